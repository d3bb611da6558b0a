// The services one configuration snapshot's sessions share: the user base,
// the mail store, site lists, notices and DNS. Built on first use of a
// snapshot; a session keeps the bundle it started with, so a reload never
// changes what a running session sees.
#pragma once

#include "auth/message_authenticator.h"
#include "config/settings.h"
#include "dns/libresolv_resolver.h"
#include "mailproc/processor_chain.h"
#include "msgbase/smb_mail_store.h"
#include "pop3/mailbox_lock.h"
#include "pop3/pop3_session.h"
#include "smtp/file_site_lists.h"
#include "smtp/filter.h"
#include "smtp/node_notices.h"
#include "state/dns_record_cache.h"
#include "state/dnsbl_cache.h"
#include "state/login_attempts.h"
#include "state/request_rate.h"
#include "userbase/tab_user_directory.h"
#include "util/result.h"

#include <memory>
#include <mutex>

namespace sbbs {

class Database;

struct MailServices {
    ConfigPtr config;
    std::unique_ptr<TabUserDirectory> users;
    std::unique_ptr<smb::SmbMailStore> store;
    std::unique_ptr<LibresolvResolver> resolver;   // null with NO_HOST_LOOKUP
    std::unique_ptr<smtp::FileSiteLists> site_lists;
    std::unique_ptr<smtp::NodeNotices> notices;
    std::unique_ptr<DnsblCache> dnsbl_cache;       // null without a state database
    smtp::FilterChain smtp_filters;                // the anti-spam rules (src/spam)
    std::unique_ptr<Pop3AccessLists> pop3_lists;
    // The failed-login ban's lists (SMTP-25, SMTP-26, POP3-44), re-read on change.
    std::unique_ptr<CachedPatternList> ipfilter_exempt, name_can;
    std::unique_ptr<mailproc::ProcessorChain> mail_processors;   // ctrl/mailproc.ini
    std::unique_ptr<CachedPatternList> smtp_spy;                 // text/smtpspy.can (SMTP-34)
    std::unique_ptr<DnsRecordCache> dns_records;                 // SPF look-ups (null without a state database)
    std::unique_ptr<auth::MessageAuthenticator> authenticator;   // inbound SPF (issue #16)

    // `db`: the state database for the DNSBL answer cache (may be null).
    // `db`: the state database for the DNSBL answer cache (may be null).
    static Result<std::shared_ptr<MailServices>> build(ConfigPtr config, Database* db = nullptr);
};

// What lives for the whole process: the state database, its failed-login
// table, the request rate limiter and the POP3 mailbox registry; plus the current snapshot's services.
class ServiceCache {
public:
    explicit ServiceCache(std::shared_ptr<Database> db);
    // The bundle for `config`, built when the snapshot is new to the cache.
    Result<std::shared_ptr<MailServices>> for_config(const ConfigPtr& config);
    // True the first time `reason` keeps sessions from being served, so a
    // missing user base is logged once, not once per refused session.
    bool first_failure(const std::string& reason);
    LoginAttempts& login_attempts() { return attempts_; }
    pop3::MailboxLockRegistry& mailbox_locks() { return locks_; }
    pop3::SizeMemo& pop3_sizes() { return sizes_; }
    RequestRateLimiter& request_rates() { return rates_; }

private:
    std::shared_ptr<Database> db_;
    LoginAttempts attempts_;
    pop3::MailboxLockRegistry locks_;
    pop3::SizeMemo sizes_;              // POP3 sizes across sessions (issue #13 item 1)
    RequestRateLimiter rates_;          // SMTP-52: shared by SMTP and POP3
    std::mutex mu_;
    std::shared_ptr<MailServices> current_;
    std::string last_failure_;
};

} // namespace sbbs
