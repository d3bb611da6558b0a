// The DKIM and DMARC part of judging one inbound message, for the SMTP
// intake to call once the message text is complete and SPF has been judged:
// fills MessageAuthentication's dkim and dmarc from the text and the SPF
// verdicts already in it.
#pragma once

#include "auth/dmarc_eval.h"
#include "auth/verdicts.h"
#include "dns/resolver.h"
#include "state/dns_record_cache.h"

#include <string_view>
#include <vector>

namespace sbbs::auth {

class DkimDmarcStep {
public:
    // `cache`, when given, keeps key and policy answers for their TTL.
    explicit DkimDmarcStep(Resolver& resolver, DnsRecordCache* cache = nullptr, PercentDraw percent = random_percent)
        : resolver_(resolver), cache_(cache), percent_(std::move(percent)) {}

    // `message`: header and body as received (CRLF, not dot-stuffed). DMARC
    // takes the MAIL FROM verdict, or HELO's when there is none (a null
    // reverse path, RFC 7489 3.1.2).
    void run(std::string_view message, MessageAuthentication& result) const { run(message, {}, result); }
    // The same with the body in pieces after `message` (the header and its
    // blank line), so the intake need not copy a large message.
    void run(std::string_view message, const std::vector<std::string_view>& more_body,
             MessageAuthentication& result) const;

private:
    Resolver& resolver_;
    DnsRecordCache* cache_;
    PercentDraw percent_;
};

} // namespace sbbs::auth
