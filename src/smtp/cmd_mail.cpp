// MAIL FROM / SEND FROM / SOML FROM / SAML FROM (SMTP-92..SMTP-102) with the
// SIZE parameter honoured (RFC 1870), BODY=BINARYMIME noted (RFC 3030),
// the DSN parameters (cmd_dsn.cpp) and REQUIRETLS (cmd_mail_requiretls.cpp)
// taken, and the submission-port rules.
#include "dns/idna.h"
#include "smtp/address.h"
#include "smtp/session.h"

#include "userbase/recipient_resolver.h"
#include "util/strings.h"

namespace sbbs::smtp {

std::optional<Reply> SmtpSession::check_mail_params(const std::string& params) {
    for (auto& p : split(params, ' ')) {
        if (!istarts_with(p, "SIZE=")) continue;   // BODY=, AUTH=, ... accepted (SMTP-95)
        std::string n = p.substr(5);
        if (!all_digits(n) || n.size() > 19) return Reply{501, "5.5.4", "Syntax error in SIZE parameter"};
        uint64_t size = std::stoull(n);
        // ours (SMTP-96): refuse before the data is sent, not after.
        if (cfg_->mail.max_msg_size && size > cfg_->mail.max_msg_size)
            return Reply{552, "5.3.4", "Message size (" + n + ") exceeds maximum: " +
                                           std::to_string(cfg_->mail.max_msg_size) + " bytes"};
    }
    return std::nullopt;
}

// RFC 6531 3.4: the SMTPUTF8 parameter (no value) of MAIL FROM.
bool SmtpSession::asks_smtputf8(const std::string& params) {
    for (auto& p : split(params, ' '))
        if (iequals(p, "SMTPUTF8")) return true;
    return false;
}

// ours: RFC 3030 section 3 (BDAT only; the body is converted at its end, cmd_bdat_binary.cpp).
bool SmtpSession::asks_binarymime(const std::string& params) {
    for (auto& p : split(params, ' '))
        if (iequals(p, "BODY=BINARYMIME")) return true;
    return false;
}

// SMTP-120; ours (RFC 6531 3.3): an IDNA name matches in its U-label and
// A-label forms, on either side (a configured "bücher.example" or "xn--...").
bool SmtpSession::is_local_domain(std::string_view domain, bool utf8) const {
    if (domain.empty()) return false;
    if (has_8bit(domain) && !utf8)                   // without SMTPUTF8: byte-exact as before
        return iequals(domain, cfg_->msgs.inet_addr) || iequals(domain, cfg_->mail.host_name) ||
               (extras_.lists && extras_.lists->extra_local_domain(domain));
    if (same_domain(domain, cfg_->msgs.inet_addr) || same_domain(domain, cfg_->mail.host_name)) return true;
    if (!extras_.lists) return false;
    if (extras_.lists->extra_local_domain(domain)) return true;
    // domains.cfg may list the name in either form: try its A-labels and its
    // U-labels as IDNA maps them (lower case, NFC).
    auto a_label = domain_to_ascii(domain);
    if (!a_label) return false;
    if (*a_label != domain && extras_.lists->extra_local_domain(*a_label)) return true;
    auto u_label = domain_to_unicode(*a_label);
    return u_label && *u_label != domain && extras_.lists->extra_local_domain(*u_label);
}

std::string SmtpSession::alias_address(const User& u) const {                      // SMTP-97
    std::string a;
    for (unsigned char c : u.alias) a += (c == ' ' || c >= 0x80) ? '.' : char(c);
    return a + "@" + (cfg_->msgs.inet_addr.empty() ? host() : cfg_->msgs.inet_addr);
}

bool SmtpSession::sender_address_allowed(const User& u, const std::string& address, bool utf8) {  // SMTP-99
    if (address.empty()) return true;
    auto at = address.rfind('@');
    if (at == std::string::npos) return false;
    if (!is_local_domain(address.substr(at + 1), utf8))
        return cfg_->mail.has(mail_opt::ALLOW_RELAY) && !u.restricted('M') && !u.restricted('G');
    std::string name = address.substr(0, at);
    bool from_alias = false;
    if (extras_.lists) {
        auto v = extras_.lists->alias(address);
        if (!v) v = extras_.lists->alias(name);
        if (v) {
            if (v->find('@') != std::string::npos) return false;
            name = *v;
            from_alias = true;
        }
    }
    RecipientMatch m = utf8 && has_8bit(name) ? resolve_utf8_recipient(*cfg_, users_, name, from_alias)
                                               : resolve_recipient(*cfg_, users_, name, from_alias);
    return m.reason == RecipientReason::Found && m.user == u.number;
}

SmtpSession::Flow SmtpSession::cmd_mail(const std::string& line, MailKind kind) {
    if (is_submission(listener_) && !authenticated()) {                            // SMTP-93
        log_client(LogLevel::Notice, "!UNAUTHENTICATED submission attempt from " + client_ip_);
        reply({530, "5.7.0", "Authentication required."});
        return Flow::Continue;
    }
    // The filters (SMTP-94 email.can) see the argument as received, before our SIZE check.
    Verdict v = filters_.consult([&](SmtpFilter& f) { return f.on_mail(facts(), line.substr(10)); });
    if (v.decided()) return apply(v);
    std::string arg(trim(std::string_view(line).substr(10)));
    auto sp = arg.find(' ');
    std::string rp = arg.substr(0, sp);                                             // SMTP-95
    std::string params = sp == std::string::npos ? "" : arg.substr(sp + 1);
    if (auto r = check_mail_params(params)) {
        reply(*r);
        return Flow::Continue;
    }
    // Ours: one set of MAIL parameters stored with every copy (dsn::store):
    // RET/ENVID (RFC 3461 4.3, 4.4) and REQUIRETLS (RFC 8689 4.1).
    dsn::EnvelopeParams envelope;
    if (auto r = take_dsn_mail_params(params, envelope)) {
        reply(*r);
        return Flow::Continue;
    }
    if (auto r = take_requiretls(params, envelope)) {
        reply(*r);
        return Flow::Continue;
    }
    const bool utf8 = asks_smtputf8(params);
    if (auto r = undeclared_utf8(without_angles(rp), utf8)) {                       // ours: RFC 6531 3.7.4.1
        reply(*r);
        return Flow::Continue;
    }
    if (is_submission(listener_)) {                                                 // SMTP-97
        auto u = users_.get(auth_user_);
        std::string addr = without_angles(rp);
        if (!u.ok() || !sender_address_allowed(*u, addr, utf8)) {
            reply({550, "5.7.1", "Sender address <" + addr + "> not authorized for this account, try <" +
                                     (u.ok() ? alias_address(*u) : std::string()) + ">"});
            return Flow::Continue;
        }
    }
    Transaction next;                                                               // SMTP-101 (ours: telegram flag too)
    next.kind = kind;
    next.reverse_path = rp;
    next.smtputf8 = utf8;
    next.binarymime = asks_binarymime(params);
    next.envelope_params = std::move(envelope);
    if (auto r = authenticate_envelope(rp, next)) {                                 // issue #16: SPF
        reply(*r);
        return Flow::Continue;
    }
    tx_ = std::move(next);
    phase_ = Phase::HaveSender;
    bad_commands_ = 0;                                                              // SMTP-49
    reply(ok("2.1.0"));
    return Flow::Continue;
}

} // namespace sbbs::smtp
