// MessageAuthenticator (see message_authenticator.h).
#include "auth/message_authenticator.h"

namespace sbbs::auth {

MessageAuthenticator::MessageAuthenticator(MailAuthSettings settings, std::string authserv_id,
                                           std::unique_ptr<Resolver> resolver, DnsRecordCache* cache)
    : settings_(std::move(settings)), authserv_id_(std::move(authserv_id)), resolver_(std::move(resolver)),
      spf_(*resolver_, cache) {}

MessageAuthentication MessageAuthenticator::check_envelope(const SpfRequest& r) {
    MessageAuthentication a;
    if (!settings_.spf_check) return a;
    a.spf_helo = spf_.check_helo(r);
    a.spf_mailfrom = spf_.check_mail_from(r);
    return a;
}

void MessageAuthenticator::check_message(std::string_view header, const TextPieces& body, MessageAuthentication& a) {
    // DKIM (RFC 6376) and DMARC (RFC 7489) fill a.dkim and a.dmarc here.
    (void)header;
    (void)body;
    (void)a;
}

std::string MessageAuthenticator::stamped_header(std::string_view header, const MessageAuthentication& a,
                                                 const SpfRequest& r, int* removed) const {
    const SpfContext ctx{r.client_ip, r.helo, SpfChecker::sender_of(r)};
    std::string top = authentication_results_field(authserv_id_, a, ctx);
    if (a.spf_mailfrom) top += received_spf_field(authserv_id_, *a.spf_mailfrom, ctx);
    return top + without_our_authentication_results(header, authserv_id_, removed);
}

} // namespace sbbs::auth
