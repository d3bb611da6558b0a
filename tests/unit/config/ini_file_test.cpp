#include "config/ini_file.h"
#include "config/ini_get.h"
#include "temp_install.h"

#include <catch.hpp>

using namespace sbbs;

namespace {
IniFile ini_of(const std::string& text, Diagnostics& d, const IniOptions& opt = {}) {
    return IniFile::parse(text, "t.ini", opt, d);
}
bool has_diag(const Diagnostics& d, int line, const std::string& words = "") {
    for (const auto& x : d)
        if (x.line == line && x.text().find(words) != std::string::npos) return true;
    return false;
}
} // namespace

TEST_CASE("CFG-9 CR LF line ends; an over-long line is split with a diagnostic", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[A]\r\nk = v \r\nlong = " + std::string(2100, 'x') + "\r\n", d);
    const IniSection* a = ini.section("A");
    REQUIRE(a != nullptr);
    CHECK(a->find("k")->value == "v");
    CHECK(has_diag(d, 3, "2047"));
    CHECK(has_diag(d, 3, "neither"));  // the 60-byte tail is read as a line of its own
}

TEST_CASE("CFG-10 ';' comment lines and blank lines; a later ';' is part of the value", "[config]") {
    Diagnostics d;
    auto ini = ini_of("  ; comment = 1\n\n[S]\nname = a;b\n", d);
    CHECK(ini.root().entries.empty());
    CHECK(ini.section("S")->find("name")->value == "a;b");
    CHECK(d.empty());
}

TEST_CASE("CFG-11 section name is up to the LAST ']'; '[' without ']' hides keys below", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[Mail]\tSMTP(S)/POP3(S) Mail Server\nA=1\n[ [x] ]\nB=2\n[broken\nC=3\n", d);
    REQUIRE(ini.section("Mail") != nullptr);
    CHECK(ini.section("Mail")->find("A")->value == "1");
    CHECK(ini.section("[x]") != nullptr);
    CHECK(ini.section("[x]")->find("C") == nullptr);
    CHECK(has_diag(d, 5, "']'"));
}

TEST_CASE("CFG-12 lines before the first header form the root section", "[config]") {
    Diagnostics d;
    auto ini = ini_of("name=Test BBS\n[dir]\ndata=../data/\n", d);
    CHECK(ini.root().find("name")->value == "Test BBS");
    CHECK(ini.root().find("data") == nullptr);
}

TEST_CASE("CFG-13 '|' lists several section names", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[ Web | Mail ]\nk=1\n", d);
    REQUIRE(ini.section("Mail") != nullptr);
    CHECK(ini.section("Web") == ini.section("Mail"));
    CHECK(ini.section("Other|mail") == ini.section("Mail"));  // a '|' query matches any of its names
    CHECK(ini.section("Other") == nullptr);
}

TEST_CASE("CFG-14 section lookup: exact case first, then ignoring case; first wins, duplicates diagnosed", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[mail]\nk=lower\n[Mail]\nk=exact\n[MAIL]\nk=upper\n[Other]\n[mail]\n", d);
    CHECK(ini.section("Mail")->find("k")->value == "exact");
    CHECK(ini.section("mAIL")->find("k")->value == "lower");
    CHECK(has_diag(d, 3, "duplicate section"));
    CHECK(has_diag(d, 8, "duplicate section"));
}

TEST_CASE("CFG-15 prefix section lists are in file order, ignoring case, duplicates kept", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[sub:A:X]\n[grp:A]\n[SUB:a:y]\n[sub:A:X]\n", d);
    auto subs = ini.sections_with_prefix("sub:");
    REQUIRE(subs.size() == 3);
    CHECK(subs[0]->name == "sub:A:X");
    CHECK(subs[1]->name == "SUB:a:y");
    CHECK(subs[2]->line == 4);
}

TEST_CASE("CFG-16 the first of '=' and ':' separates; lines with neither are diagnosed", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\nRelayServer = host:25\nurl: http://x=y\nnothing here\n", d);
    const IniSection* s = ini.section("S");
    CHECK(s->find("RelayServer")->value == "host:25");
    CHECK(s->find("url")->colon);
    CHECK(s->find("url")->value == "http://x=y");
    CHECK(has_diag(d, 4, "neither"));
}

TEST_CASE("CFG-17 keys ignore case; the first occurrence wins, duplicates diagnosed", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\n  MaxClients = 5\nmaxclients=9\n", d);
    CHECK(ini.section("S")->find("MAXCLIENTS")->value == "5");
    CHECK(has_diag(d, 3, "t.ini:2"));
}

TEST_CASE("CFG-18 '=' values are trimmed", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\nk =   spaced value \t\n", d);
    CHECK(ini.section("S")->find("k")->value == "spaced value");
    CHECK(IniGetter(ini.section("S"), d).get_string("k", "") == "spaced value");
}

TEST_CASE("CFG-19 ':' string values keep trailing blanks, lose one quote pair, decode escapes", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\na : keep  \nb : \"q\\tx\" tail\nc: \\x41\\\\\nn : 42  \n", d);
    IniGetter g(ini.section("S"), d);
    CHECK(g.get_string("a", "") == "keep  ");
    CHECK(g.get_string("b", "") == "q\tx");
    CHECK(g.get_string("c", "") == "A\\");
    CHECK(g.get_int("n", 0) == 42);  // numbers are trimmed as with '='
}

TEST_CASE("CFG-20 a 0xFF byte truncates the value", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\nk = abc\xFF" "def\n", d);
    CHECK(ini.section("S")->find("k")->value == "abc");
}

TEST_CASE("CFG-21 values over 1023 bytes are truncated with a diagnostic", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\nk = " + std::string(1500, 'v') + "\n", d);
    CHECK(ini.section("S")->find("k")->value.size() == 1023);
    CHECK(has_diag(d, 2, "1023"));
}

TEST_CASE("CFG-22 a blank value is the default except for bit fields", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[S]\ns =\nn =\nb=\nOptions =\n", d);
    IniGetter g(ini.section("S"), d);
    CHECK(g.get_string("s", "X-DNSBL") == "X-DNSBL");
    CHECK(g.get_int("n", 7) == 7);
    CHECK(g.get_bool("b", true));
    CHECK(g.get_bits("Options", mail_option_names(), 0, 4) == 0);
    CHECK(g.get_bits("Missing", mail_option_names(), 0, 4) == 4);
    CHECK(d.empty());
}

TEST_CASE("CFG-33 !include inserts sorted glob matches relative to the base dir, nested, dirs skipped", "[config]") {
    test::TempInstall inst(false);
    inst.write("inc/b.ini", "b = 2\n!include inc/sub/*.ini\n");
    inst.write("inc/a.ini", "[Mail]\na = 1\n");
    inst.write("inc/sub/c.ini", "c = 3\n");
    inst.write("inc/dir.ini/x", "");
    inst.write("sbbs.ini", "[Global]\n!include inc/*.ini\nafter = 4\n");
    Diagnostics d;
    auto ini = IniFile::load(inst.path("sbbs.ini"), {true, inst.root()}, d);
    REQUIRE(ini.ok());
    const IniSection* mail = ini->section("Mail");
    REQUIRE(mail != nullptr);
    CHECK(mail->find("a")->value == "1");
    CHECK(mail->find("b")->value == "2");
    CHECK(mail->find("c")->file == inst.path("inc/sub/c.ini"));
    CHECK(mail->find("after")->value == "4");
    CHECK(ini->section("Global")->entries.empty());
    CHECK(d.empty());
    // Not honoured where includes are off (main.ini, msgs.ini, ...).
    Diagnostics d2;
    auto plain = IniFile::load(inst.path("sbbs.ini"), {}, d2);
    CHECK(plain->section("Mail") == nullptr);
}

TEST_CASE("CFG-34 an !include that matches nothing is diagnosed with file and line", "[config]") {
    test::TempInstall inst(false);
    inst.write("sbbs.ini", "[Global]\n\n!include nothing/*.ini\n");
    Diagnostics d;
    auto ini = IniFile::load(inst.path("sbbs.ini"), {true, inst.root()}, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].file == inst.path("sbbs.ini"));
    CHECK(d[0].line == 3);
    CHECK(d[0].message.find("nothing/*.ini") != std::string::npos);
}

TEST_CASE("CFG-35 !eof ends the file, in any section", "[config]") {
    Diagnostics d;
    auto ini = ini_of("[A]\nx=1\n!EOF  \ny=2\n[B]\nz=3\n", d);
    CHECK(ini.section("A")->find("y") == nullptr);
    CHECK(ini.section("B") == nullptr);
    auto indented = ini_of("[A]\n !eof\ny=2\n", d);
    CHECK(indented.section("A")->find("y") != nullptr);
}
