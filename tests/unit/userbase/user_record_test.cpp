// user.tab record codec against records written by the original.
#include "temp_install.h"

#include "userbase/field_values.h"
#include "userbase/tab_time.h"
#include "userbase/user_record.h"
#include "userbase/userbase_platform.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::userfield;

namespace {

const time_t kCreated = 1795587819;   // 20261125T062339Z

std::string fixture_record(uint32_t n) {
    test::TempInstall inst;
    return inst.read("data/user/user.tab").substr((n - 1) * 1000, 1000);
}

// A record built the way the original's writer builds one.
std::string make_record(const std::vector<std::string>& fields) {
    std::string s;
    for (auto& f : fields) s += f + "\t";
    s.resize(999, '\t');
    return s + "\n";
}

} // namespace

TEST_CASE("USER-7 USER-9 fixture records are 999 data bytes, TAB padding and one LF") {
    test::TempInstall inst;
    std::string tab = inst.read("data/user/user.tab");
    REQUIRE(tab.size() == 6000);
    for (size_t n = 0; n < 6; ++n) {
        std::string rec = tab.substr(n * 1000, 1000);
        CHECK(rec[999] == '\n');
        UserRecord r(rec);
        CHECK(r.field(ID) == std::to_string(n + 1));
        // everything after field 67 is TAB padding
        size_t pos = 0;
        for (int i = 0; i < COUNT; ++i) pos = rec.find('\t', pos) + 1;
        CHECK(rec.find_first_not_of('\t', pos) == 999);
    }
}

TEST_CASE("USER-11 USER-12 USER-13 USER-14 all 68 fields of the sysop record decode") {
    UserRecord r(fixture_record(1));
    REQUIRE(r.field_count() >= 68);
    CHECK(r.text(ALIAS) == "Sysop");
    CHECK(r.text(NAME) == "Sam Sysop");
    CHECK(r.text(HANDLE) == "Sysop");
    CHECK(r.text(NOTE).empty());
    CHECK(r.text(LOCATION) == "Testville, TS");
    CHECK(r.text(GENDER) == "M");
    CHECK(r.text(COMMENT) == "System operator");
    CHECK(r.hex(MISC) == 0x26914);
    CHECK(r.hex(QWK) == 0x10b);
    CHECK(r.hex(CHAT) == 0x10);
    CHECK(r.number(ROWS) == 0);
    CHECK(r.number(COLS) == 0);
    CHECK(r.text(XEDIT).empty());
    CHECK(r.text(SHELL) == "default");
    CHECK(r.text(TMPEXT) == "zip");
    CHECK(r.text(PROT) == "Z");
    CHECK(r.time(LOGONTIME) == 0);
    CHECK(r.time(NS_TIME) == 0);
    CHECK(r.time(LASTON) == kCreated);
    CHECK(r.time(FIRSTON) == kCreated);
    for (Field f : {LOGONS, LTODAY, TIMEON, TTODAY, TLAST, POSTS, EMAILS, FBACKS, ETODAY,
                    PTODAY, ULB, ULS, DLB, DLS, DLCPS})
        CHECK(r.number(f) == 0);
    CHECK(r.text(PASS) == "SYSOP-PASS");
    CHECK(r.time(PWMOD) == kCreated);
    CHECK(r.level() == 99);
    CHECK(r.letters(FLAGS1) == 0x3ffffff);
    CHECK(r.letters(FLAGS2) == 0);
    CHECK(r.letters(EXEMPT) == 0x3ffffff);
    CHECK(r.letters(REST) == 0);
    CHECK(r.number(CDT) == 10485760);
    CHECK(r.number(FREECDT) == 10240000);
    CHECK(r.number(MIN) == 0);
    CHECK(r.time(EXPIRE) == 0);
    CHECK(r.hex(MAIL) == 0);
    CHECK(r.time(DELDATE) == 0);
    CHECK(r.time(RESET) == 0);

    User u = r.to_user(1, kCreated);
    CHECK(u.alias == "Sysop");
    CHECK(u.password == "SYSOP-PASS");
    CHECK(u.level == 99);
    CHECK(u.exempt_from('W'));
    CHECK(u.usable());
}

TEST_CASE("USER-11 fixture users: netmail flag, deletion date, restrictions") {
    User bob = UserRecord(fixture_record(2)).to_user(2, kCreated);
    CHECK(bob.netmail == "bob@remote.example");
    CHECK(bob.forwards_mail());
    User gone = UserRecord(fixture_record(3)).to_user(3, kCreated);
    CHECK(gone.deleted());
    CHECK(gone.alias == "Gone User");
    CHECK(gone.deldate == kCreated + 11);
    User rita = UserRecord(fixture_record(4)).to_user(4, kCreated);
    CHECK(rita.rest == User::letter('I'));
    User nora = UserRecord(fixture_record(6)).to_user(6, kCreated);
    CHECK(nora.rest == User::letter('M'));
    CHECK(nora.level == 10);
}

TEST_CASE("USER-12 dates: every accepted layout and zone") {
    CHECK(parse_time("20261125T062339Z") == kCreated);
    CHECK(parse_time("2026-11-25T06:23:39Z") == kCreated);
    CHECK(parse_time("2026-11-25T06:23:39") == platform::local_to_time(2026, 11, 25, 6, 23, 39));
    CHECK(parse_time("20261125062339Z") == kCreated);
    CHECK(parse_time("20261125T072339+0100") == kCreated);
    CHECK(parse_time("20261125T045339-0130") == kCreated);
    CHECK(parse_time("20261125T062339") == platform::local_to_time(2026, 11, 25, 6, 23, 39));
    CHECK(parse_time("") == 0);
    CHECK(parse_time("never") == 0);
    CHECK(format_time(kCreated) == "20261125T062339Z");
    CHECK(format_time(0).empty());
    CHECK(parse_time(format_time(kCreated + 86400 * 400)) == kCreated + 86400 * 400);
}

TEST_CASE("USER-13 letter sets: any case, other characters ignored, written as 26 columns") {
    CHECK(parse_letters("        I                 ") == User::letter('I'));
    CHECK(parse_letters("ai") == (User::letter('A') | User::letter('I')));
    CHECK(parse_letters("A1-b\x82") == (User::letter('A') | User::letter('B')));
    CHECK(format_letters(User::letter('I')) == std::string(8, ' ') + "I" + std::string(17, ' '));
    CHECK(format_letters(0).size() == 26);

    UserRecord r(fixture_record(2));
    auto out = r.with({set_letters(REST, User::letter('I'))});
    REQUIRE(out.ok());
    CHECK(UserRecord(*out).field(REST) == std::string(8, ' ') + "I" + std::string(17, ' '));
}

TEST_CASE("USER-14 numbers: strtoul base 0, LEVEL decimal, flag words hex") {
    CHECK(parse_number("0x10") == 16);
    CHECK(parse_number("010") == 8);
    CHECK(parse_number("") == 0);
    CHECK(parse_number("42abc") == 42);
    CHECK(parse_hex32("1fz") == 0x1f);
    CHECK(parse_hex32("") == 0);
    std::vector<std::string> f(68);
    f[LEVEL] = "010";
    f[LOGONS] = "0x20";
    f[MISC] = "41";
    UserRecord r(make_record(f));
    CHECK(r.level() == 10);
    CHECK(r.number(LOGONS) == 32);
    CHECK(r.to_user(1, kCreated).inactive());
}

TEST_CASE("USER-15 writes refuse TAB, CR, LF and records over 999 bytes; reads truncate") {
    UserRecord r(fixture_record(2));
    CHECK(r.with({set_text(NOTE, "a\tb")}).error().code == ErrorCode::Invalid);
    CHECK_FALSE(r.with({set_text(NOTE, "a\rb")}).ok());
    CHECK_FALSE(r.with({set_text(NOTE, "a\nb")}).ok());
    CHECK_FALSE(r.with({set_text(COMMENT, std::string(900, 'x'))}).ok());
    CHECK(r.with({set_text(COMMENT, std::string(60, 'x'))}).ok());

    std::vector<std::string> f(68);
    f[ALIAS] = std::string(40, 'A');
    CHECK(UserRecord(make_record(f)).text(ALIAS).size() == 25);
}

TEST_CASE("USER-16 an update keeps every other byte, fields past 67 included") {
    std::string raw = fixture_record(5);
    size_t pos = 0;
    for (int i = 0; i < COUNT; ++i) pos = raw.find('\t', pos) + 1;
    raw.insert(pos, "X-EXTRA\tYY\xe9Z\t");           // CP437 byte kept as is
    raw.resize(999);
    raw += "\n";
    UserRecord r(raw);
    CHECK(r.field_at(68) == "X-EXTRA");
    auto out = r.with({set_text(PASS, "NEWPASS")});
    REQUIRE(out.ok());
    std::string expect = raw.substr(0, 999);
    expect.replace(expect.find("TESSPASS"), 8, "NEWPASS");
    expect.resize(999, '\t');
    CHECK(*out == expect + "\n");
    CHECK(UserRecord(*out).field_at(69) == "YY\xe9Z");
}

TEST_CASE("USER-17 daily counters read as zero when RESET is not today") {
    std::vector<std::string> f(68);
    f[ETODAY] = "5";
    f[PTODAY] = "2";
    f[EMAILS] = "7";
    const time_t now = kCreated;
    f[RESET] = format_time(now - 2 * 86400);
    User stale = UserRecord(make_record(f)).to_user(1, now);
    CHECK(stale.etoday == 0);
    CHECK(stale.ptoday == 0);
    CHECK(stale.emails == 7);
    f[RESET] = format_time(now);
    User fresh = UserRecord(make_record(f)).to_user(1, now);
    CHECK(fresh.etoday == 5);
    CHECK(fresh.ptoday == 2);
}

TEST_CASE("USER-10 CP437 bytes are read and written as they are, never transcoded") {
    std::vector<std::string> f(68);
    f[ALIAS] = "J\x81rgen";           // CP437 u-umlaut
    f[NAME] = "Andr\x82";
    UserRecord r(make_record(f));
    CHECK(r.text(ALIAS) == "J\x81rgen");
    auto out = r.with({set_text(NOTE, "caf\x82")});
    REQUIRE(out.ok());
    CHECK(UserRecord(*out).field(NOTE) == "caf\x82");
    CHECK(UserRecord(*out).field(NAME) == "Andr\x82");
    CHECK(out->size() == 1000);
}
