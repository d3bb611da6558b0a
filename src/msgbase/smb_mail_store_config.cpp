// Building an SmbMailStore from the configuration snapshot (kept apart so
// the store itself does not depend on how sub-boards are configured).
#include "config/settings.h"
#include "msgbase/smb_mail_store.h"

namespace sbbs::smb {

std::unique_ptr<SmbMailStore> SmbMailStore::from_config(const Config& cfg) {
    BaseOptions o;
    o.retry_time_s = cfg.msgs.smb_retry_time_s;                // FMT-82
    o.create_status.attr = status_attr::EMAIL;                 // FMT-105
    o.create_status.max_crcs = cfg.msgs.mail_max_crcs;
    o.create_status.max_age = uint16_t(cfg.msgs.mail_max_age);
    o.create_status.max_msgs = 0;
    const MsgsSettings* msgs = &cfg.msgs;
    auto resolve = [msgs](const std::string& code) -> std::optional<SubBase> {
        const SubBoard* sub = msgs->find_sub(code);
        if (!sub) return std::nullopt;
        SubBase b;
        b.prefix = sub->base_path();
        b.create_status.max_crcs = sub->max_crcs;
        b.create_status.max_msgs = sub->max_msgs;
        b.create_status.max_age = uint16_t(sub->max_age);
        return b;
    };
    return std::make_unique<SmbMailStore>(cfg.mail_base(), o, resolve);
}

} // namespace sbbs::smb
