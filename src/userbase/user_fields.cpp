// Per-field limits of user.tab: text maximums, counter widths, daily fields.
#include "userbase/user_fields.h"

#include <cstdint>

namespace sbbs::userfield {

std::size_t max_length(Field f) {
    switch (f) {
    case ALIAS: case NAME: return 25;
    case HANDLE: return 8;
    case NOTE: return 30;
    case IPADDR: return 45;
    case HOST: case NETMAIL: case COMMENT: return 60;
    case ADDRESS: case LOCATION: return 30;
    case ZIPCODE: return 10;
    case PHONE: return 12;
    case BIRTH: case CONNECTION: case LANG: return 8;
    case GENDER: case PROT: return 1;
    case TMPEXT: return 15;
    case CURSUB: case CURDIR: return 32;
    case CURXTRN: return 16;
    case PASS: return 40;
    default: return 0;
    }
}

unsigned long long counter_max(Field f) {
    switch (f) {
    case ULB: case DLB: case CDT: case FREECDT: case BTODAY: return UINT64_MAX;
    default: return UINT32_MAX;
    }
}

bool is_daily(Field f) {
    switch (f) {
    case LTODAY: case ETODAY: case PTODAY: case TTODAY: case TEXTRA:
    case FREECDT: case DTODAY: case BTODAY: return true;
    default: return false;
    }
}

} // namespace sbbs::userfield
