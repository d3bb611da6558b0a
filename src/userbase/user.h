// One user.tab record as the mail server sees it (userbase.md USER-11).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace sbbs {

struct User {
    uint32_t number = 0;
    std::string alias, name, handle, note, ipaddr, host, netmail, comment, connection;
    std::string password;
    uint32_t misc = 0, qwk = 0, chat = 0, mail = 0;
    uint32_t level = 0;
    uint32_t flags1 = 0, flags2 = 0, flags3 = 0, flags4 = 0;
    uint32_t exempt = 0, rest = 0;           // letter sets: bit (letter - 'A')
    uint32_t logons = 0, posts = 0, emails = 0, fbacks = 0, etoday = 0, ptoday = 0;
    time_t logontime = 0, laston = 0, firston = 0, pwmod = 0, expire = 0, deldate = 0;

    static constexpr uint32_t MISC_DELETED = 0x1;
    static constexpr uint32_t MISC_INACTIVE = 0x40;
    static constexpr uint32_t MISC_NETMAIL = 0x1000;

    bool deleted() const { return misc & MISC_DELETED; }
    bool inactive() const { return misc & MISC_INACTIVE; }
    bool usable() const { return !deleted() && !inactive(); }
    bool forwards_mail() const { return misc & MISC_NETMAIL; }
    static uint32_t letter(char c) { return 1u << ((c | 0x20) - 'a'); }
    bool exempt_from(char c) const { return exempt & letter(c); }
    bool restricted(char c) const { return rest & letter(c); }
};

} // namespace sbbs
