// Inbound mail authentication, one step per method: SPF at MAIL FROM (the
// envelope), then the message's own checks after the data, then the header
// fields that carry the results to readers. SPFCheck switches the first,
// DKIMCheck the DKIM and DMARC steps, each without the other.
#pragma once

#include "auth/authentication_results.h"
#include "auth/dkim_dmarc_step.h"
#include "auth/spf_check.h"
#include "auth/verdicts.h"
#include "config/mail_auth_settings.h"
#include "util/text_pieces.h"

#include <memory>
#include <string>
#include <string_view>

namespace sbbs::auth {

class MessageAuthenticator {
public:
    // `resolver` answers SPF's, DKIM's and DMARC's look-ups (the DNSBL's
    // kind); `cache` (may be null) keeps their answers for all three.
    MessageAuthenticator(MailAuthSettings settings, std::string authserv_id, std::unique_ptr<Resolver> resolver,
                         DnsRecordCache* cache, PercentDraw percent = random_percent);

    // Whether any method runs (SPFCheck or DKIMCheck).
    bool enabled() const { return settings_.spf_check || settings_.dkim_check; }

    const MailAuthSettings& settings() const { return settings_; }
    const std::string& authserv_id() const { return authserv_id_; }

    // MAIL FROM: SPF for the HELO identity (RFC 7208 2.3) and the MAIL FROM
    // identity (2.4).
    MessageAuthentication check_envelope(const SpfRequest& r);
    // After the data: the methods that read the message (DKIM, DMARC), on
    // the header as received (before any tag of ours or the DNSBL's), CRLF
    // lines without the blank line; `body` as received, not dot-stuffed.
    void check_message(std::string_view header, const TextPieces& body, MessageAuthentication& a);
    // `header` as stored: our Authentication-Results and Received-SPF on
    // top, any arriving one claiming our authserv-id removed (RFC 8601 5).
    std::string stamped_header(std::string_view header, const MessageAuthentication& a, const SpfRequest& r,
                               int* removed = nullptr) const;

private:
    MailAuthSettings settings_;
    std::string authserv_id_;
    std::unique_ptr<Resolver> resolver_;
    SpfChecker spf_;
    DkimDmarcStep dkim_dmarc_;
};

} // namespace sbbs::auth
