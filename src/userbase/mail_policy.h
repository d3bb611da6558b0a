// What a user's flags, exemptions and restrictions mean for mail
// (userbase.md section 5), as predicates the SMTP server asks; the reply
// codes stay with the SMTP rules that use them.
#pragma once

#include "userbase/user.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sbbs {

struct Config;

// USER-36: restriction I closes the mailbox to unauthenticated senders (550 Closed mailbox).
bool closed_mailbox(const User& recipient, bool sender_authenticated);
// USER-35: MaxMsgsWaiting (0 = unlimited) unless the recipient is exempt W (450 Mailbox full).
bool mailbox_full(const Config& cfg, const User& recipient, uint32_t waiting);
// USER-34 / CFG-106: [level:N] emailperday reached by ETODAY plus this
// message's recipients, unless exempt M (452 Too many emails today).
bool email_limit_reached(const Config& cfg, const User& sender, uint32_t recipients);
// USER-34: pending sent messages plus recipients above MaxRecipients, unless exempt M.
bool pending_limit_reached(const Config& cfg, const User& sender, uint32_t recipients, uint32_t pending);
// USER-37/38: restrictions M and G forbid relaying, external submission and
// foreign sender addresses.
bool may_send_external(const User& sender);

struct ForwardContext {
    bool telegram = false;
    bool qwk_routed = false;
    bool local_prefix = false;       // "local:" recipient
    bool forward_prefix = false;     // "forward:" recipient
};

// USER-33: the address to forward a recipient's mail to, or nothing when it
// is stored locally. `is_local_domain` answers CFG-121 for a domain.
std::optional<std::string> forward_address(const Config& cfg, const User& recipient,
                                           const ForwardContext& ctx,
                                           const std::function<bool(std::string_view)>& is_local_domain);

} // namespace sbbs
