// The user base as the protocols see it: find, read and update users
// (userbase.md). The real one reads data/user/user.tab and name.dat with the
// BBS's locking; tests may use an in-memory double.
#pragma once

#include "userbase/user.h"
#include "util/result.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace sbbs {

struct LoginRecord {                       // USER-31
    std::string ip;
    std::string host;                      // "<no name>" when not looked up
    std::string protocol;                  // "SMTP"/"SMTPS"; "" = leave CONNECTION alone
    time_t when = 0;
};

class UserDirectory {
public:
    virtual ~UserDirectory() = default;

    virtual uint32_t last_user_number() = 0;                        // USER-8
    virtual Result<User> get(uint32_t number) = 0;                  // USER-47
    // Each find returns 0 when nothing matches.
    virtual uint32_t find_by_alias(std::string_view name) = 0;       // USER-19 (name.dat)
    // USER-10: the same index, 8-bit letters kept (fold_user_name_8bit), so a
    // UTF-8 recipient is found without reading user records.
    virtual uint32_t find_by_alias_8bit(std::string_view name) = 0;
    virtual uint32_t find_by_real_name(std::string_view name) = 0;   // USER-22
    virtual uint32_t find_by_netmail(std::string_view address) = 0; // USER-23
    virtual uint32_t find_by_ip(std::string_view ip) = 0;           // USER-23
    // Is `number`'s name.dat slot non-empty (USER-21, alias.cfg numbers)?
    virtual bool has_name_slot(uint32_t number) = 0;
    // False when the user base's own files are gone (a restore in progress):
    // a name not found then says nothing about the user, so callers answer
    // a temporary failure instead of "unknown user".
    virtual bool available() { return true; }

    virtual Status record_login(uint32_t number, const LoginRecord& login) = 0; // USER-31
    // USER-42: +1 EMAILS (or FBACKS when to_sysop) and +1 ETODAY.
    virtual Status count_email_sent(uint32_t number, bool to_sysop) = 0;
    // USER-42: +1 POSTS and +1 PTODAY.
    virtual Status count_post(uint32_t number) = 0;
    // USER-52/53: does a line of data/user/NNNN.smtpblock match `tag`?
    virtual bool tag_blocked(uint32_t number, std::string_view tag) = 0;
    // POP3-112, the original's logoutuserdat: LASTON = `logout`, TLAST = whole
    // minutes since `login`, added to TIMEON and TTODAY. Not pure, so the test
    // doubles that do not keep time-on need not implement it.
    virtual Status record_logout(uint32_t /*number*/, time_t /*login*/, time_t /*logout*/) { return {}; }
};

} // namespace sbbs
