// Mail-related meaning of user flags; kept free of protocol state.
#include "userbase/mail_policy.h"

#include "config/settings.h"

namespace sbbs {

bool closed_mailbox(const User& recipient, bool sender_authenticated) {
    return recipient.restricted('I') && !sender_authenticated;
}

bool mailbox_full(const Config& cfg, const User& recipient, uint32_t waiting) {
    return cfg.mail.max_msgs_waiting != 0 && !recipient.exempt_from('W') &&
           waiting > cfg.mail.max_msgs_waiting;
}

bool email_limit_reached(const Config& cfg, const User& sender, uint32_t recipients) {
    if (sender.exempt_from('M')) return false;
    // CFG-106: a level without a [level:N] section allows N per day.
    auto it = cfg.sys.levels.find(static_cast<int>(sender.level));
    const uint64_t limit = it != cfg.sys.levels.end() ? it->second.email_per_day : sender.level;
    return uint64_t(sender.etoday) + recipients >= limit;
}

bool pending_limit_reached(const Config& cfg, const User& sender, uint32_t recipients, uint32_t pending) {
    return cfg.mail.max_recipients != 0 && !sender.exempt_from('M') &&
           uint64_t(recipients) + pending > cfg.mail.max_recipients;
}

bool may_send_external(const User& sender) {
    return !sender.restricted('M') && !sender.restricted('G');
}

std::optional<std::string> forward_address(const Config& cfg, const User& u, const ForwardContext& ctx,
                                           const std::function<bool(std::string_view)>& is_local_domain) {
    if (ctx.telegram || ctx.qwk_routed || ctx.local_prefix) return std::nullopt;
    if (!(cfg.sys.settings & SystemSettings::SYS_FWDTONET)) return std::nullopt;
    if (!u.forwards_mail() && !ctx.forward_prefix) return std::nullopt;
    const size_t at = u.netmail.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 >= u.netmail.size()) return std::nullopt;
    const std::string_view domain = std::string_view(u.netmail).substr(at + 1);
    if (is_local_domain && is_local_domain(domain)) return std::nullopt;
    return u.netmail;
}

} // namespace sbbs
