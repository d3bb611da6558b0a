// Issue #16 in the session: SPF of the HELO and MAIL FROM identities at
// MAIL (RFC 7208 2.3, 2.4; a refusal there, as 8.4 allows, before any data
// is sent), and after the data the Authentication-Results (RFC 8601) and
// Received-SPF (RFC 7208 9.1) header fields and the tag of SPFPolicy. AUTH
// clients and relay.cfg clients are not checked: their mail is ours to send,
// but a forged A-R of ours is removed from theirs too.
#include "auth/authentication_results.h"
#include "auth/spf_policy.h"
#include "smtp/address.h"
#include "smtp/session.h"

namespace sbbs::smtp {

bool SmtpSession::authentication_applies() {
    if (!extras_.authenticator || !extras_.authenticator->settings().spf_check) return false;
    if (authenticated()) return false;                                              // AUTH'd submission
    return !(extras_.lists && extras_.lists->relay_client(client_ip_, confirmed_host()));   // relay.cfg
}

static std::string spf_log_text(const auth::SpfVerdict& v, const std::string& subject) {
    std::string t = "SPF " + v.identity + " " + subject + ": " + auth::name(v.result);
    return v.explanation.empty() ? t : t + " (" + v.explanation + ")";
}

std::optional<Reply> SmtpSession::authenticate_envelope(const std::string& reverse_path, Transaction& next) {
    if (next.kind != MailKind::Mail || !authentication_applies()) return std::nullopt;
    auth::MessageAuthenticator& a = *extras_.authenticator;
    next.spf_request = {client_ip_, helo_name_, without_angles(reverse_path), a.authserv_id()};
    next.authentication = a.check_envelope(next.spf_request);
    const auth::SpfRequest& r = next.spf_request;
    std::optional<Reply> refusal;
    for (const auto* v : {&next.authentication->spf_helo, &next.authentication->spf_mailfrom}) {
        if (!*v) continue;
        const std::string subject = (*v)->identity == "helo" ? r.helo : auth::SpfChecker::sender_of(r);
        log_client(LogLevel::Info, spf_log_text(**v, subject));
        // The HELO identity acts only on a fail (RFC 7208 2.3: a conclusive
        // result); a missing or odd HELO record says little about the sender.
        if ((*v)->identity == "helo" && (*v)->result != auth::SpfResult::Fail) continue;
        auth::PolicyDecision d = auth::spf_decision(a.settings(), **v, client_ip_);
        if (refusal || (d.action != auth::PolicyAction::Reject && d.action != auth::PolicyAction::Defer)) continue;
        log_client(LogLevel::Notice, std::string(d.action == auth::PolicyAction::Reject ? "!SPF REFUSED" : "!SPF DEFERRED") +
                                         " MAIL from " + reverse_path + ": " + d.text);
        refusal = Reply{d.code, d.enhanced, d.text};
    }
    return refusal;
}

void SmtpSession::stamp_authentication(const std::string& received_header, const TextPieces& body,
                                       spam::MessageMarks& marks) {
    int removed = 0;
    const std::string& authserv_id = extras_.authenticator ? extras_.authenticator->authserv_id() : host();
    auto log_removed = [&] {
        if (removed)                                                                  // RFC 8601 5
            log_client(LogLevel::Notice, "!SPF removed " + std::to_string(removed) +
                                             " Authentication-Results header(s) claiming to be ours (" +
                                             authserv_id + ")");
    };
    if (!tx_.authentication || !extras_.authenticator) {
        // RFC 8601 5: forgeries of ours go from all mail entering, checked or
        // not (AUTH'd users, relay.cfg clients, SPFCheck=false).
        marks.header = auth::without_our_authentication_results(marks.header, authserv_id, &removed);
        return log_removed();
    }
    auth::MessageAuthenticator& a = *extras_.authenticator;
    a.check_message(received_header, body, *tx_.authentication);
    const auth::MessageAuthentication& m = *tx_.authentication;
    std::string header = a.stamped_header(marks.header, m, tx_.spf_request, &removed);
    log_removed();
    for (const auto* v : {&m.spf_mailfrom, &m.spf_helo}) {
        if (!*v || ((*v)->identity == "helo" && (*v)->result != auth::SpfResult::Fail)) continue;
        if (auth::spf_decision(a.settings(), **v, client_ip_).action != auth::PolicyAction::Tag) continue;
        const bool subject = !a.settings().spf_subject.empty() && auth::has_subject_field(header);
        header = auth::spf_tagged_header(header, a.settings(), **v, client_ip_);
        marks.spam = true;                                                            // as a DNSBL tag does
        if (subject)
            log_client(LogLevel::Notice, "TAGGED MAIL SUBJECT with: " + a.settings().spf_subject + " (SPF " +
                                             auth::name((*v)->result) + ")");
        if (!a.settings().spf_header.empty())
            log_client(LogLevel::Notice, "TAGGED MAIL HEADER with: " + a.settings().spf_header + " (SPF " +
                                             auth::name((*v)->result) + ")");
        break;                                                                        // one tag a message
    }
    marks.header = std::move(header);
}

} // namespace sbbs::smtp
