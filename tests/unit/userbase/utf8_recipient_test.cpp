// USER-10 / RFC 6531: UTF-8 recipient local parts against the CP437 names
// of the user base (resolve_utf8_recipient), and the exact CP437 conversion.
#include "memory_user_directory.h"

#include "config/settings.h"
#include "userbase/cp437.h"
#include "userbase/recipient_resolver.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

struct Users {
    Config cfg;
    test::MemoryUserDirectory dir;
    Users() {
        dir.add(1, "Sysop", "x");
        dir.add(2, "J\x94rg", "x");                        // "Jörg" in CP437 (ö = 0x94)
        dir.add(3, "J\x81rg", "x");                        // "Jürg" (ü = 0x81): USER-19 folds both to "jrg"
        dir.add(4, "Juergen", "x").name = "J\x81rgen M\x81ller";
    }
    uint32_t rcpt(std::string_view utf8) { return resolve_utf8_recipient(cfg, dir, utf8, false).user; }
};

} // namespace

TEST_CASE("USER-10 utf8_to_cp437_exact converts what CP437 has and refuses the rest") {
    CHECK(utf8_to_cp437_exact("J\xc3\xbcrgen") == std::optional<std::string>("J\x81rgen"));
    CHECK(utf8_to_cp437_exact("plain?") == std::optional<std::string>("plain?"));
    CHECK_FALSE(utf8_to_cp437_exact("\xd0\xb6"));           // Cyrillic: no CP437 byte
    CHECK_FALSE(utf8_to_cp437_exact("a\xc0\xaf" "b"));         // overlong '/': no ASCII smuggled in
    CHECK_FALSE(utf8_to_cp437_exact("\xc3"));               // cut short
}

TEST_CASE("USER-10 RFC6531-6 a UTF-8 local part reaches the user its letters spell") {
    Users u;
    CHECK(u.rcpt("j\xc3\xbcrg") == 3);                      // "jürg": not Jörg, who comes first
    CHECK(u.rcpt("J\xc3\xb6rg") == 2);
    CHECK(u.rcpt("j\xc3\xbcrg#news") == 3);                 // a tag does not change whom it names
    CHECK(u.rcpt("j\xc3\xa4rg") == 0);                      // "järg" names nobody
    CHECK(u.rcpt("\xd0\xb6") == 0);                         // nothing CP437 can write
    u.cfg.msgs.settings |= MsgsSettings::MM_REALNAME;
    CHECK(u.rcpt("j\xc3\xbcrgen.m\xc3\xbcller") == 4);      // real name through CP437
}

TEST_CASE("USER-10 RFC6531-6 an unknown UTF-8 name still goes to DefaultUser") {
    Users u;
    u.cfg.mail.default_user = "Sysop";
    auto m = resolve_utf8_recipient(u.cfg, u.dir, "j\xc3\xa4rg", false);
    CHECK(m.reason == RecipientReason::DefaultUser);
    CHECK(m.user == 1);
}

TEST_CASE("USER-10 RFC6531-6 8-bit letters match in either case, as ASCII ones do (CP437 pairs)") {
    Users u;
    u.dir.add(5, "J\x94rgen", "x");                        // "Jörgen" (ö = 0x94)
    CHECK(u.rcpt("J\xc3\x96RGEN") == 5);                    // "JÖRGEN": Ö is 0x99, folded to ö
    CHECK(u.rcpt("J\xc3\x9cRGEN") == 0);                    // "JÜRGEN": Ü folds to ü, not ö
    CHECK(u.rcpt("J\xc3\x9cRG") == 3);                      // "JÜRG" is Jürg
    CHECK(cp437_lower('\x80') == '\x87');                   // Ç/ç
    CHECK(cp437_lower('\xA5') == '\xA4');                   // Ñ/ñ
    CHECK(cp437_lower('\xE1') == '\xE1');                   // ß has no pair
    CHECK(cp437_iequals("J\x9A" "RGEN M\x9A" "LLER", "J\x81rgen M\x81ller"));
    u.cfg.msgs.settings |= MsgsSettings::MM_REALNAME;
    u.dir.users[4].alias = "J\x9A" "rgen";                   // the alias "JÜrgen" differs in case only
    CHECK(u.rcpt("j\xc3\xbcrgen") == 4);                     // "jürgen" spells that alias
}

TEST_CASE("USER-10 RFC6531-6 a UTF-8 name that USER-19 matches to another user reads no user base scan") {
    // An unauthenticated SMTPUTF8 client may send such a name on every RCPT:
    // the 8-bit match goes through name.dat, not through every user record.
    Users u;
    for (uint32_t n = 10; n < 310; ++n) u.dir.add(n, "Filler" + std::to_string(n), "x");
    u.dir.gets = 0;
    CHECK(u.rcpt("J\xc3\xa5rg") == 0);                      // "Jårg": USER-19 finds Jörg, who does not match
    CHECK(u.dir.gets <= 3);
    u.dir.gets = 0;
    CHECK(u.rcpt("j\xc3\xbcrg") == 3);                      // "jürg": found through the index
    CHECK(u.dir.gets <= 3);
    u.dir.users[3].misc |= User::MISC_INACTIVE;                  // an unusable Jürg is nobody's
    CHECK(u.rcpt("j\xc3\xbcrg") == 0);
}
