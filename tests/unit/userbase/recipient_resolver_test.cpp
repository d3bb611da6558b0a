// Local recipients to users on the sample install (CFG-120, USER-19..24, USER-53).
#include "fixture_config.h"

#include "userbase/recipient_resolver.h"
#include "userbase/tab_user_directory.h"
#include "userbase/user_record.h"

#include <catch.hpp>

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
    RecipientMatch rcpt(std::string_view lp, bool aliased = false) {
        return resolve_recipient(cfg, *dir, lp, aliased);
    }
};

} // namespace

TEST_CASE("USER-53 name#tag splits at the first #; a leading # has no name part") {
    CHECK(split_tag("tess.tagger#spam").name == "tess.tagger");
    CHECK(split_tag("tess.tagger#spam").tag == "spam");
    CHECK(split_tag("a#b#c").tag == "b#c");
    CHECK(split_tag("#tess.tagger").name == "tess.tagger");
    CHECK(split_tag("#tess.tagger").tag.empty());
    CHECK(split_tag("plain").tag.empty());
}

TEST_CASE("USER-53 USER-52 recipients with a blocked tag are refused") {
    Env e;
    CHECK(e.rcpt("tess.tagger#spam").reason == RecipientReason::BlockedTag);
    CHECK(e.rcpt("tess.tagger#newsletter").reason == RecipientReason::BlockedTag);
    CHECK(e.rcpt("tess.tagger#spam").user == 0);
    RecipientMatch shop = e.rcpt("tess.tagger#shop");
    CHECK(shop.user == 5);
    CHECK(shop.tag == "shop");
    CHECK(e.rcpt("tess.tagger#").user == 5);
    CHECK(e.rcpt("#tess.tagger").user == 5);
    CHECK(e.rcpt("bob.forward#spam").user == 2);
    e.cfg.mail.default_user = "sysop";
    CHECK(e.rcpt("tess.tagger#spam").reason == RecipientReason::BlockedTag);
}

TEST_CASE("USER-19 CFG-120 recipients by alias") {
    Env e;
    CHECK(e.rcpt("bob.forward").user == 2);
    CHECK(e.rcpt("Bob_Forward").user == 2);
    CHECK(e.rcpt("nora.netless").reason == RecipientReason::Found);
    CHECK(e.rcpt("nobody").reason == RecipientReason::Unknown);
}

TEST_CASE("USER-20 deleted and inactive recipients are unknown") {
    Env e;
    CHECK(e.rcpt("gone.user").user == 0);
    CHECK(e.rcpt("gary.gone").user == 0);
    UserTabFile tab(e.inst.data() + "user/user.tab", RetryPolicy{});
    REQUIRE(tab.update(4, [](const UserRecord&) -> Result<std::vector<FieldChange>> {
                   return std::vector<FieldChange>{set_hex(MISC, 0x26914 | User::MISC_INACTIVE)};
               }).ok());
    RecipientMatch r = e.rcpt("rita.restricted");
    CHECK(r.user == 0);
    CHECK(r.reason == RecipientReason::Unusable);
}

TEST_CASE("USER-21 CFG-120 user numbers only after an alias substitution, with a name.dat slot") {
    Env e;
    CHECK(e.rcpt("2", true).user == 2);
    CHECK(e.rcpt("2", false).user == 0);
    CHECK(e.rcpt("3", true).user == 0);
    CHECK(e.rcpt("9", true).user == 0);
    CHECK(e.rcpt("0", true).user == 0);
}

TEST_CASE("USER-24 CFG-120 sysop built-ins and the operator name") {
    Env e;
    CHECK(e.rcpt("postmaster").user == 0);
    CHECK(e.rcpt("TESTBBS").user == 0);
    e.cfg.mail.options |= mail_opt::ALLOW_SYSOP_ALIASES;
    CHECK(e.rcpt("postmaster").user == 1);
    CHECK(e.rcpt("testbbs").user == 1);
    CHECK(e.rcpt("SYSOP").user == 1);
    e.cfg.mail.options &= ~mail_opt::ALLOW_SYSOP_ALIASES;
    e.cfg.sys.operator_name = "The Operator";
    CHECK(e.rcpt("the.operator").user == 1);
    CHECK(e.rcpt("THE OPERATOR").user == 1);
    CHECK(e.rcpt("the_operator").user == 0);
}

TEST_CASE("USER-22 CFG-120 real names when msgs.ini bit 0x10000 is set, dots as spaces") {
    Env e;
    CHECK(e.rcpt("robert.smith").user == 2);
    CHECK(e.rcpt("Robert Smith").user == 2);
    CHECK(e.rcpt("robert_smith").user == 0);
    CHECK(e.rcpt("tess.tang#spam").reason == RecipientReason::BlockedTag);
    e.cfg.msgs.settings &= ~MsgsSettings::MM_REALNAME;
    CHECK(e.rcpt("robert.smith").user == 0);
}

TEST_CASE("CFG-76 DefaultUser takes unknown recipients; the built-ins always work for it") {
    Env e;
    e.cfg.mail.default_user = "postmaster";
    RecipientMatch r = e.rcpt("nobody");
    CHECK(r.user == 1);
    CHECK(r.reason == RecipientReason::DefaultUser);
    e.cfg.mail.default_user = "nora.netless";
    CHECK(e.rcpt("nobody").user == 6);
    CHECK(e.rcpt("bob.forward").user == 2);
    e.cfg.mail.default_user = "no.such.user";
    CHECK(e.rcpt("nobody").reason == RecipientReason::UnknownDefault);
    CHECK(e.rcpt("nobody").user == 0);
}
