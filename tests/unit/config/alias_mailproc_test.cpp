#include "config/alias_table.h"
#include "config/dnsbl_list.h"
#include "config/mail_processors.h"
#include "config/recycle_triggers.h"
#include "temp_install.h"

#include <catch.hpp>

#include <algorithm>

using namespace sbbs;

TEST_CASE("CFG-152 alias lines: first word, then the trimmed rest; comments and valueless lines skipped", "[config]") {
    auto t = AliasTable::parse("; comment\n  joe   Joe  Smith  \nlonely\nlonely2   \n\n", "alias.cfg", nullptr);
    REQUIRE(t.entries().size() == 1);
    CHECK(t.entries()[0].alias == "joe");
    CHECK(t.entries()[0].value == "Joe  Smith");
    CHECK(t.entries()[0].line == 2);
    CHECK(t.lookup("joe") == std::optional<std::string>("Joe  Smith"));
    CHECK_FALSE(t.lookup("lonely"));
}

TEST_CASE("CFG-153 an alias line over 127 bytes is ignored with a diagnostic", "[config]") {
    Diagnostics d;
    std::string long_line = "big " + std::string(130, 'v');
    auto t = AliasTable::parse("ok 1\n" + long_line + "\n" + "edge " + std::string(122, 'e') + "\n", "alias.cfg", &d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 2);
    CHECK_FALSE(t.lookup("big"));
    CHECK(t.lookup("edge"));  // exactly 127 bytes is fine
}

TEST_CASE("CFG-154 alias lookup ignores case; the first matching line wins", "[config]") {
    auto t = AliasTable::parse("Sysop 1\nsysop 2\n", "alias.cfg", nullptr);
    CHECK(t.lookup("SYSOP") == std::optional<std::string>("1"));
}

TEST_CASE("CFG-155 '*' aliases match by suffix; a '*' value keeps the unmatched beginning", "[config]") {
    test::TempInstall inst;
    auto t = AliasTable::load(inst.ctrl() + "alias.cfg", nullptr);
    CHECK(t.lookup("joe@OldBBS.example") == std::optional<std::string>("joe@testbbs.example"));
    CHECK(t.lookup("cnnreport") == std::optional<std::string>("sub:dove-deb"));
    CHECK(t.lookup("outside") == std::optional<std::string>("someone@remote.example"));
    CHECK(t.lookup("bobby") == std::optional<std::string>("2"));
    CHECK_FALSE(t.lookup("joe@oldbbs.example.com"));
    auto whole = AliasTable::parse("*.example  postmaster\n", "a", nullptr);
    CHECK(whole.lookup("x@y.example") == std::optional<std::string>("postmaster"));
    CHECK_FALSE(whole.lookup("example"));
}

TEST_CASE("CFG-159 a missing alias.cfg means no aliases, silently", "[config]") {
    test::TempInstall inst(false);
    Diagnostics d;
    auto t = AliasTable::load(inst.path("alias.cfg"), &d);
    CHECK(t.entries().empty());
    CHECK(d.empty());
}

TEST_CASE("CFG-140 dns_blacklist.cfg: first word per line, in order, comments skipped", "[config]") {
    test::TempInstall inst;
    auto zones = load_dnsbl_list(inst.ctrl() + "dns_blacklist.cfg", nullptr);
    REQUIRE(zones.size() == 1);
    CHECK(zones[0].zone == "dnsbl.test.invalid");
    CHECK(zones[0].line == 7);
    auto many = parse_dnsbl_list("  zen.example  # one\n; no\n\nbl.example\n", "x", nullptr);
    REQUIRE(many.size() == 2);
    CHECK(many[0].zone == "zen.example");
    CHECK(many[1].zone == "bl.example");
    CHECK(load_dnsbl_list(inst.ctrl() + "none.cfg", nullptr).empty());
}

TEST_CASE("CFG-160 CFG-161 SMTP-214 mailproc.ini: one processor per section in file order, keys and defaults", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto procs = load_mail_processors(inst.ctrl() + "mailproc.ini", d);
    REQUIRE(procs.size() == 3);
    CHECK(procs[0].name == "MailAuth");
    CHECK(procs[0].disabled);
    CHECK(procs[0].access_requirements == "user equal 0 or guest");
    CHECK(procs[0].pass_thru);
    CHECK(procs[1].name == "ListServer");
    CHECK(procs[1].to == std::vector<std::string>{"listserver", "listserv"});
    CHECK_FALSE(procs[1].pass_thru);
    CHECK(procs[1].process_spam);
    CHECK(procs[1].process_dnsbl);
    CHECK_FALSE(procs[1].native);
    CHECK(procs[2].native);
    CHECK(procs[2].command == "%!mail_logger %m %l");
    CHECK(procs[2].ignore_on_error);
    CHECK_FALSE(procs[2].process_spam);
    CHECK(d.empty());
    inst.write("ctrl/mailproc.ini", "!include other.ini\n[Bare]\n[bare]\nCommand=x\n");
    Diagnostics d2;
    auto bare = load_mail_processors(inst.ctrl() + "mailproc.ini", d2);
    REQUIRE(bare.size() == 1);
    CHECK(bare[0].command == "Bare");
    CHECK(bare[0].eval.empty());
    CHECK(bare[0].to.empty());
}

TEST_CASE("CFG-162 To entries match the aliased or raw recipient; From entries the sender", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto procs = load_mail_processors(inst.ctrl() + "mailproc.ini", d);
    CHECK(procs[1].to_matches("LISTSERV"));
    CHECK(procs[1].to_matches("someone", "listserver"));
    CHECK_FALSE(procs[1].to_matches("someone", "else"));
    CHECK(procs[2].from_matches("x@remote.example"));
    // The sample's "^newsletter" has its '^' first, so it is an exact (literal) pattern.
    CHECK_FALSE(procs[2].from_matches("newsletter-42@else.example"));
    CHECK(procs[2].from_matches("^NEWSLETTER"));
    CHECK_FALSE(procs[2].from_matches("x@other.example"));
    CHECK_FALSE(procs[0].to_matches("anyone"));
}

TEST_CASE("CFG-163 a disabled non-pass-through processor claims nothing and is diagnosed at load", "[config]") {
    test::TempInstall inst;
    inst.write("ctrl/mailproc.ini", "[Off]\nTo=list\nPassThru=false\nDisabled=true\n[On]\nTo=list\nPassThru=no\n");
    Diagnostics d;
    auto procs = load_mail_processors(inst.ctrl() + "mailproc.ini", d);
    REQUIRE(procs.size() == 2);
    CHECK_FALSE(procs[0].claims_recipients());
    CHECK(procs[1].claims_recipients());
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 1);
}

TEST_CASE("CFG-166 a missing mailproc.ini means no processors", "[config]") {
    Diagnostics d;
    CHECK(load_mail_processors("", d).empty());
    CHECK(load_mail_processors("/nonexistent/dir/mailproc.ini", d).empty());
    CHECK(d.empty());
}

TEST_CASE("CFG-8 recycle triggers: semaphore names per host plus the INI files in use", "[config]") {
    InstallPaths p;
    p.ctrl = "/bbs/ctrl/";
    p.sbbs_ini = "/bbs/ctrl/sbbs.box.ini";
    auto v = recycle_trigger_paths(p, "box.example.org");
    auto has = [&](const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); };
    for (const char* name : {"recycle", "recycle.mail", "recycle.box.example.org", "recycle.box.example.org.mail",
                             "recycle.box", "recycle.box.mail", "mailsrvr.rec", "sbbs.box.ini", "mailproc.ini"})
        CHECK(has(std::string("/bbs/ctrl/") + name));
    CHECK(v.size() == 9);
    auto shut = semaphore_paths("/c/", "shutdown", "solo");
    CHECK(shut == std::vector<std::string>{"/c/shutdown", "/c/shutdown.mail", "/c/shutdown.solo", "/c/shutdown.solo.mail"});
}
