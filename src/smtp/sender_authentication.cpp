// Issue #16 in the session: SPF of the HELO and MAIL FROM identities at
// MAIL (RFC 7208 2.3, 2.4; a refusal there, as 8.4 allows, before any data
// is sent), and after the data DKIM and DMARC, the Authentication-Results
// (RFC 8601) and Received-SPF (RFC 7208 9.1) header fields, the tags of
// SPFPolicy and DMARCPolicy and DMARCPolicy's refusal. AUTH clients and
// relay.cfg clients are not checked: their mail is ours to send, but a
// forged A-R of ours is removed from theirs too.
#include "auth/authentication_results.h"
#include "auth/dmarc_policy.h"
#include "smtp/address.h"
#include "smtp/session.h"

namespace sbbs::smtp {

bool SmtpSession::authentication_applies() {
    if (!extras_.authenticator || !extras_.authenticator->enabled()) return false;
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

static std::string dkim_log_text(const auth::DkimVerdict& v) {
    std::string t = "DKIM " + (v.domain.empty() ? std::string("(no domain)") : v.domain) + " (s=" + v.selector +
                    ", " + v.algorithm + "): " + auth::name(v.result);
    return v.reason.empty() ? t : t + " (" + v.reason + ")";
}

void SmtpSession::log_dkim_dmarc(const auth::MessageAuthentication& m) {
    for (const auth::DkimVerdict& v : m.dkim) log_client(LogLevel::Info, dkim_log_text(v));
    if (m.dmarc && !m.dmarc->from_domain.empty())
        log_client(LogLevel::Info, "DMARC " + m.dmarc->from_domain + ": " + auth::name(m.dmarc->result) + " (" +
                                       auth::dmarc_policy_text(*m.dmarc) + ")");
}

// SPFPolicy's tag of the MAIL FROM (or a failed HELO) verdict, if it asks
// for one; true when it tagged.
bool SmtpSession::tag_spf(const auth::MessageAuthentication& m, spam::MessageMarks& marks) {
    const MailAuthSettings& s = extras_.authenticator->settings();
    for (const auto* v : {&m.spf_mailfrom, &m.spf_helo}) {
        if (!*v || ((*v)->identity == "helo" && (*v)->result != auth::SpfResult::Fail)) continue;
        if (auth::spf_decision(s, **v, client_ip_).action != auth::PolicyAction::Tag) continue;
        const bool subject = !s.spf_subject.empty() && auth::has_subject_field(marks.header);
        marks.header = auth::spf_tagged_header(marks.header, s, **v, client_ip_);
        marks.spam = true;                                                            // as a DNSBL tag does
        const std::string why = " (SPF " + std::string(auth::name((*v)->result)) + ")";
        if (subject) log_client(LogLevel::Notice, "TAGGED MAIL SUBJECT with: " + s.spf_subject + why);
        if (!s.spf_header.empty()) log_client(LogLevel::Notice, "TAGGED MAIL HEADER with: " + s.spf_header + why);
        return true;                                                                  // one tag a message
    }
    return false;
}

std::optional<Reply> SmtpSession::stamp_authentication(const std::string& received_header, const TextPieces& body,
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
        log_removed();
        return std::nullopt;
    }
    auth::MessageAuthenticator& a = *extras_.authenticator;
    a.check_message(received_header, body, *tx_.authentication);
    const auth::MessageAuthentication& m = *tx_.authentication;
    log_dkim_dmarc(m);
    if (m.dmarc) {
        auth::PolicyDecision d = auth::dmarc_decision(a.settings(), *m.dmarc);
        if (d.action == auth::PolicyAction::Reject) {                                 // RFC 7489 6.7: 550 5.7.1
            log_client(LogLevel::Notice, "!DMARC REFUSED message from " + tx_.reverse_path + ": " + d.text);
            return Reply{d.code, d.enhanced, d.text};
        }
    }
    marks.header = a.stamped_header(marks.header, m, tx_.spf_request, &removed);
    log_removed();
    if (tag_spf(m, marks) || !m.dmarc) return std::nullopt;                           // one tag a message
    if (auth::dmarc_decision(a.settings(), *m.dmarc).action != auth::PolicyAction::Tag) return std::nullopt;
    const bool subject = !a.settings().spf_subject.empty() && auth::has_subject_field(marks.header);
    marks.header = auth::dmarc_tagged_header(marks.header, a.settings(), *m.dmarc);
    marks.spam = true;
    if (subject)
        log_client(LogLevel::Notice, "TAGGED MAIL SUBJECT with: " + a.settings().spf_subject + " (DMARC fail)");
    log_client(LogLevel::Notice, "TAGGED MAIL HEADER with: X-DMARC (DMARC fail)");
    return std::nullopt;
}

} // namespace sbbs::smtp
