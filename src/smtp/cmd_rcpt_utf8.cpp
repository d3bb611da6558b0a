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

RecipientMatch SmtpSession::resolve_local(const std::string& name, bool from_alias) {   // CFG-120, USER-24
    if (tx_.smtputf8 && has_8bit(name)) return resolve_utf8_recipient(*cfg_, users_, name, from_alias);
    return resolve_recipient(*cfg_, users_, name, from_alias);
}

} // namespace sbbs::smtp
