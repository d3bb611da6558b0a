// Login IDs and password checks on the sample install's users.
#include "fixture_config.h"

#include "userbase/login_auth.h"
#include "userbase/tab_user_directory.h"
#include "userbase/user_record.h"

#include <catch.hpp>

#include <filesystem>

using namespace sbbs;
using namespace sbbs::userfield;

namespace {

struct Env {
    test::TempInstall inst;
    Config cfg = test::fixture_config(inst);
    std::unique_ptr<TabUserDirectory> dir;
    Env() {
        TabUserDirectoryOptions o;
        o.data_dir = inst.data();
        auto d = TabUserDirectory::open(std::move(o));
        REQUIRE(d.ok());
        dir = std::move(*d);
    }
    void poke(uint32_t n, std::vector<FieldChange> c) {
        UserTabFile tab(inst.data() + "user/user.tab", RetryPolicy{});
        REQUIRE(tab.update(n, [&](const UserRecord&) -> Result<std::vector<FieldChange>> { return c; }).ok());
    }
    AuthResult auth(std::string_view id, std::string_view pw, AuthMethod m = AuthMethod::Pop3Pass) {
        Credentials c;
        c.login_id = id;
        c.password = pw;
        c.method = m;
        return authenticate(cfg, *dir, c);
    }
};

} // namespace

TEST_CASE("USER-32 login IDs are cut at the first case-sensitive #nospam") {
    CHECK(split_nospam("bob.forward#nospam").id == "bob.forward");
    CHECK(split_nospam("bob.forward#nospam").nospam);
    CHECK(split_nospam("bob#nospamXY#nospam").id == "bob");
    CHECK_FALSE(split_nospam("bob#NOSPAM").nospam);
    CHECK(split_nospam("bob#NOSPAM").id == "bob#NOSPAM");
    Env e;
    CHECK(e.auth(split_nospam("Bob Forward#nospam").id, "bobpass").ok());
}

TEST_CASE("USER-21 CFG-101 login by number: digit-led IDs are only ever numbers") {
    Env e;
    CHECK(find_login_user(e.cfg, *e.dir, "2") == 0);           // bit off: an alias "2"
    e.cfg.sys.login = SystemSettings::LOGIN_USERNUM;
    CHECK(find_login_user(e.cfg, *e.dir, "2") == 2);
    CHECK(find_login_user(e.cfg, *e.dir, "6") == 6);
    CHECK(find_login_user(e.cfg, *e.dir, "7") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "0") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "2pac") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "bob.forward") == 2);
    CHECK(e.auth("3", "gonepass").outcome == AuthOutcome::Unusable);
}

TEST_CASE("USER-22 CFG-101 login by real name: a fallback behind bit 0x2 and a validity check") {
    Env e;
    CHECK(find_login_user(e.cfg, *e.dir, "Robert Smith") == 0);
    e.cfg.sys.login = SystemSettings::LOGIN_REALNAME;
    CHECK(find_login_user(e.cfg, *e.dir, "Robert Smith") == 2);
    CHECK(find_login_user(e.cfg, *e.dir, "robert smith") == 2);
    CHECK(find_login_user(e.cfg, *e.dir, "Robert  Smith") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "Gary Gone") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "Bob Forward") == 2);
    CHECK_FALSE(valid_real_name(e.cfg, " Robert Smith"));
    CHECK_FALSE(valid_real_name(e.cfg, "R"));
    CHECK_FALSE(valid_real_name(e.cfg, "1Robert"));
    CHECK_FALSE(valid_real_name(e.cfg, "Rob\tert"));
    std::filesystem::create_directories(e.inst.path("text"));
    e.inst.write("text/name.can", "robert*\n");
    CHECK_FALSE(valid_real_name(e.cfg, "Robert Smith"));
    CHECK(find_login_user(e.cfg, *e.dir, "Robert Smith") == 0);
}

TEST_CASE("USER-24 sysop built-in names never apply to login IDs") {
    Env e;
    e.cfg.mail.options |= mail_opt::ALLOW_SYSOP_ALIASES;
    CHECK(find_login_user(e.cfg, *e.dir, "postmaster") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "TESTBBS") == 0);
    CHECK(find_login_user(e.cfg, *e.dir, "sysop") == 1);          // user 1's own alias
}

TEST_CASE("USER-26 USER-28 plain passwords compare ignoring case") {
    Env e;
    CHECK(e.auth("bob.forward", "bobpass").ok());
    CHECK(e.auth("bob.forward", "BOBPASS").ok());
    CHECK(e.auth("Bob Forward", "BobPass", AuthMethod::SmtpPlain).ok());
    CHECK(e.auth("bob.forward", "bobpas", AuthMethod::SmtpLogin).outcome == AuthOutcome::BadPassword);
    CHECK(e.auth("nobody", "x").outcome == AuthOutcome::UnknownUser);
    e.poke(2, {set_text(PASS, "MiXeD")});
    CHECK(e.auth("bob.forward", "mixed").ok());
}

TEST_CASE("USER-27 APOP and CRAM-MD5 use the lower-case password as the secret") {
    Env e;
    std::string seen;
    Credentials c;
    c.login_id = "tess.tagger";
    c.method = AuthMethod::Digest;
    c.digest_matches = [&](const std::string& secret) { seen = secret; return secret == "tesspass"; };
    CHECK(authenticate(e.cfg, *e.dir, c).ok());
    CHECK(seen == "tesspass");
    CHECK(digest_secret(e.dir->get(1).value()) == "sysop-pass");
    c.digest_matches = [](const std::string& secret) { return secret == "TESSPASS"; };
    CHECK(authenticate(e.cfg, *e.dir, c).outcome == AuthOutcome::BadPassword);
}

TEST_CASE("SEC-4 USER-29 an empty stored password logs in through no mechanism") {
    Env e;
    e.poke(5, {set_text(PASS, "")});
    CHECK(e.auth("tess.tagger", "").outcome == AuthOutcome::BadPassword);              // POP3 PASS
    CHECK(e.auth("tess.tagger", "", AuthMethod::SmtpPlain).outcome == AuthOutcome::EmptyPassword);
    CHECK(e.auth("tess.tagger", "", AuthMethod::SmtpLogin).outcome == AuthOutcome::EmptyPassword);
    CHECK(e.auth("tess.tagger", "x", AuthMethod::SmtpPlain).outcome == AuthOutcome::BadPassword);
    bool compared = false;
    Credentials c;                                 // CRAM-MD5 and APOP: a digest keyed with ""
    c.login_id = "tess.tagger";
    c.method = AuthMethod::Digest;
    c.digest_matches = [&](const std::string& secret) { compared = true; return secret.empty(); };
    CHECK(authenticate(e.cfg, *e.dir, c).outcome == AuthOutcome::BadPassword);
    CHECK_FALSE(compared);
    CHECK(e.auth("bob.forward", "bobpass").ok());
    CHECK(e.auth("bob.forward", "", AuthMethod::SmtpPlain).outcome == AuthOutcome::EmptyPassword);
}

TEST_CASE("USER-20 USER-30 CFG-70 deleted/inactive refused before the password; then LoginRequirements") {
    Env e;
    CHECK(e.auth("gone.user", "gonepass").outcome == AuthOutcome::UnknownUser);
    e.poke(4, {set_hex(MISC, 0x26914 | User::MISC_INACTIVE)});
    bool compared = false;
    Credentials c;
    c.login_id = "rita.restricted";
    c.method = AuthMethod::Digest;
    c.digest_matches = [&](const std::string&) { compared = true; return true; };
    CHECK(authenticate(e.cfg, *e.dir, c).outcome == AuthOutcome::Unusable);
    CHECK_FALSE(compared);
    CHECK(e.auth("rita.restricted", "ritapass").outcome == AuthOutcome::Unusable);

    e.cfg.mail.login_requirements = "LEVEL 20";
    CHECK(e.auth("nora.netless", "norapass").outcome == AuthOutcome::Requirements);
    CHECK(e.auth("nora.netless", "wrong").outcome == AuthOutcome::BadPassword);
    CHECK(e.auth("bob.forward", "bobpass").ok());
    e.cfg.mail.login_requirements = "NOT REST M";
    CHECK(e.auth("nora.netless", "norapass").outcome == AuthOutcome::Requirements);
    e.cfg.mail.login_requirements = "AGE 18";
    AuthResult r = e.auth("bob.forward", "bobpass");
    CHECK(r.outcome == AuthOutcome::Requirements);
    CHECK(r.detail.find("AGE") != std::string::npos);
}
