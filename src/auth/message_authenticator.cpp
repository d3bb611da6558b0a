// MessageAuthenticator (see message_authenticator.h).
#include "auth/message_authenticator.h"

namespace sbbs::auth {

MessageAuthenticator::MessageAuthenticator(MailAuthSettings settings, std::string authserv_id,
                                           std::unique_ptr<Resolver> resolver, DnsRecordCache* cache,
                                           PercentDraw percent)
    : settings_(std::move(settings)), authserv_id_(std::move(authserv_id)), resolver_(std::move(resolver)),
      spf_(*resolver_, cache), dkim_dmarc_(*resolver_, cache, std::move(percent)) {}

MessageAuthentication MessageAuthenticator::check_envelope(const SpfRequest& r) {
    MessageAuthentication a;
    if (!settings_.spf_check) return a;
    a.spf_helo = spf_.check_helo(r);
    a.spf_mailfrom = spf_.check_mail_from(r);
    return a;
}

void MessageAuthenticator::check_message(std::string_view header, const TextPieces& body, MessageAuthentication& a) {
    if (!settings_.dkim_check) return;
    // DKIM hashes the message as it came (RFC 6376 3.7): header, the blank
    // line, body; the body is handed over where it lies (SEC-11: a message
    // is held once), only the header is copied to add the blank line.
    std::string head(header);
    if (!head.empty() && !head.ends_with("\r\n")) head += "\r\n";
    head += "\r\n";
    dkim_dmarc_.run(head, body.pieces(), a);
    a.dkim_checked = true;
}

std::string MessageAuthenticator::stamped_header(std::string_view header, const MessageAuthentication& a,
                                                 const SpfRequest& r, int* removed) const {
    const SpfContext ctx{r.client_ip, r.helo, SpfChecker::sender_of(r)};
    std::string top = authentication_results_field(authserv_id_, a, ctx);
    if (a.spf_mailfrom) top += received_spf_field(authserv_id_, *a.spf_mailfrom, ctx);
    return top + without_our_authentication_results(header, authserv_id_, removed);
}

} // namespace sbbs::auth
