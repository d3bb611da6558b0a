// Login IDs and passwords, shared by POP3 and SMTP AUTH (USER-21, USER-22,
// USER-26..32, CFG-70, CFG-101).
#pragma once

#include "userbase/user_directory.h"

#include <functional>
#include <string>
#include <string_view>

namespace sbbs {

struct Config;

// USER-32: the ID cut at the first "#nospam" (case-sensitive, anywhere).
struct LoginId {
    std::string id;
    bool nospam = false;
};
LoginId split_nospam(std::string_view raw);

// CFG-101: the original's real-name validity check (length >= 2, starts
// with a letter, no leading/trailing blank, no control character, no double
// space, no 0xFF, not listed in text/name.can).
bool valid_real_name(const Config& cfg, std::string_view name);

// USER-21/22, CFG-101: login ID -> user number (0 = unknown). Never applies
// the sysop built-ins (USER-24).
uint32_t find_login_user(const Config& cfg, UserDirectory& users, std::string_view id);

// USER-27: the shared secret of APOP and CRAM-MD5.
std::string digest_secret(const User& user);

enum class AuthMethod { Pop3Pass, SmtpPlain, SmtpLogin, Digest };

enum class AuthOutcome {
    Ok,
    UnknownUser,       // no such login ID
    ReadError,         // the record could not be read (lock/IO)
    Unusable,          // DELETED or INACTIVE, refused before any compare
    EmptyPassword,     // SMTP AUTH with an empty password argument
    BadPassword,       // also: the account's stored password is empty (SEC-4)
    Requirements,      // LoginRequirements not met (or not understood)
};

struct AuthResult {
    AuthOutcome outcome = AuthOutcome::UnknownUser;
    User user;                    // valid from Unusable on
    std::string detail;           // e.g. the unsupported ARS part
    bool ok() const { return outcome == AuthOutcome::Ok; }
};

struct Credentials {
    std::string_view login_id;    // already cut at "#nospam"
    std::string_view password;    // for Pop3Pass, SmtpPlain, SmtpLogin
    AuthMethod method = AuthMethod::Pop3Pass;
    // For Digest: is the client's digest right for this secret (USER-27)?
    std::function<bool(const std::string& secret)> digest_matches;
};

// USER-26..30: look up, refuse DELETED/INACTIVE, compare, then check
// LoginRequirements.
AuthResult authenticate(const Config& cfg, UserDirectory& users, const Credentials& c);

} // namespace sbbs
