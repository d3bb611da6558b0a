// DKIM then DMARC for one message (see dkim_dmarc_step.h).
#include "auth/dkim_dmarc_step.h"

#include "auth/cached_txt_resolver.h"
#include "auth/dkim_verify.h"
#include "auth/from_domain.h"

#include <optional>

namespace sbbs::auth {

void DkimDmarcStep::run(std::string_view message, const std::vector<std::string_view>& more_body,
                        MessageAuthentication& result) const {
    std::optional<CachedTxtResolver> cached;
    if (cache_) cached.emplace(resolver_, *cache_);
    Resolver& dns = cached ? static_cast<Resolver&>(*cached) : resolver_;
    result.dkim = verify_dkim(message, more_body, dns);
    const auto& spf = result.spf_mailfrom ? result.spf_mailfrom : result.spf_helo;
    result.dmarc = evaluate_dmarc(rfc5322_from_domain(message).domain, spf, result.dkim, dns, percent_);
}

} // namespace sbbs::auth
