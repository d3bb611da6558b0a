// The 68 fields of a user.tab record in their fixed order (userbase.md USER-11).
#pragma once

#include <cstddef>

namespace sbbs::userfield {

enum Field : int {
    ID, ALIAS, NAME, HANDLE, NOTE, IPADDR, HOST, NETMAIL, ADDRESS, LOCATION,
    ZIPCODE, PHONE, BIRTH, GENDER, COMMENT, CONNECTION, MISC, QWK, CHAT, ROWS,
    COLS, XEDIT, SHELL, TMPEXT, PROT, CURSUB, CURDIR, CURXTRN, LOGONTIME, NS_TIME,
    LASTON, FIRSTON, LOGONS, LTODAY, TIMEON, TTODAY, TLAST, POSTS, EMAILS, FBACKS,
    ETODAY, PTODAY, ULB, ULS, DLB, DLS, DLCPS, PASS, PWMOD, LEVEL,
    FLAGS1, FLAGS2, FLAGS3, FLAGS4, EXEMPT, REST, CDT, FREECDT, MIN, TEXTRA,
    EXPIRE, LEECH, MAIL, LANG, DELDATE, DTODAY, BTODAY, RESET,
    COUNT // = 68
};

static_assert(COUNT == 68);

// Longest value kept when a field is read into memory (USER-15); 0 = no limit.
std::size_t max_length(Field f);
// Largest value a counter may hold (USER-43 ours: saturate at it).
unsigned long long counter_max(Field f);
// The daily counters that a new day resets (USER-17).
bool is_daily(Field f);

} // namespace sbbs::userfield
