// RCPT TO with SMTPUTF8 (RFC 6531 3.3): a UTF-8 local part keeps its non-ASCII
// letters, finds alias.cfg entries in UTF-8 or CP437, and is matched against
// the CP437 user names (USER-10). Without SMTPUTF8 everything stays byte for
// byte as the original did it.
#include "smtp/session.h"

#include "dns/idna.h"
#include "userbase/cp437.h"
#include "userbase/recipient_resolver.h"

#include <cctype>

namespace sbbs::smtp {

// SMTP-126: the name starts at its first letter or digit; with SMTPUTF8 a
// non-ASCII letter is one (the original's isalnum() skips every 8-bit byte).
std::string SmtpSession::local_name_start(const std::string& name) const {
    auto name_char = [&](unsigned char c) { return std::isalnum(c) || (tx_.smtputf8 && c >= 0x80); };
    size_t start = 0;
    while (start < name.size() && !name_char((unsigned char)name[start])) ++start;
    return name.substr(start, name.find('"', start) - start);
}

// SMTP-127: alias.cfg as written; a UTF-8 name also in its CP437 form, the
// code page the BBS's own files use.
std::optional<std::string> SmtpSession::utf8_alias(const std::string& name) const {
    if (!extras_.lists) return std::nullopt;
    if (auto a = extras_.lists->alias(name)) return a;
    if (!tx_.smtputf8 || !has_8bit(name)) return std::nullopt;
    auto cp437 = utf8_to_cp437_exact(name);
    return cp437 ? extras_.lists->alias(*cp437) : std::nullopt;
}

// RFC 6531 3.7.4.1: a UTF-8 address in a transaction that did not declare
// SMTPUTF8 is refused (USER-19's folding would otherwise ignore its non-ASCII
// letters and could deliver "jürgen" to "Jörgen"). 8-bit bytes that are not
// UTF-8 (a legacy client's Latin-1 or CP437) are left to the original's rules.
std::optional<Reply> SmtpSession::undeclared_utf8(const std::string& address, bool declared) {
    if (declared || !is_non_ascii_utf8(address)) return std::nullopt;
    log_client(LogLevel::Notice, "!UTF-8 address without SMTPUTF8: " + address);
    return Reply{553, "5.6.7", "Non-ASCII address requires the SMTPUTF8 parameter"};
}

RecipientMatch SmtpSession::resolve_local(UserDirectory& users, const std::string& name,
                                          bool from_alias) {                                // CFG-120, USER-24
    if (tx_.smtputf8 && has_8bit(name)) return resolve_utf8_recipient(*cfg_, users, name, from_alias);
    return resolve_recipient(*cfg_, users, name, from_alias);
}

} // namespace sbbs::smtp
