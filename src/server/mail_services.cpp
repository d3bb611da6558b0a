// Building a snapshot's services (see mail_services.h).
#include "server/mail_services.h"

#include "config/options.h"
#include "smtp/dnsbl_filter.h"
#include "smtp/spam_filter.h"
#include "state/database.h"

namespace sbbs {

namespace {

// --check reports mailproc.ini's diagnostics; a running server only uses it.
std::unique_ptr<mailproc::ProcessorChain> processor_chain(const Config& cfg) {
    Diagnostics reported_by_check;
    mailproc::ProcessorChain::Setup setup{cfg.paths.exec, cfg.paths.mods, cfg.paths.ctrl,
                                          std::chrono::seconds(cfg.mail.mail_processor_timeout_s)};
    return std::make_unique<mailproc::ProcessorChain>(load_mail_processors(cfg.paths.mailproc_ini, reported_by_check),
                                                      std::move(setup));
}

// Section 17: after SpamFilter, so the DNSBL is the fifth connection check
// (SMTP-31). Look-ups use the system's name servers with short tries (SEC-1).
std::shared_ptr<spam::Dnsbl> dnsbl_rules(const Config& cfg, DnsblCache* cache, UserDirectory* users) {
    const ResolverOptions dns = session_resolver_options();
    auto lookup = std::make_unique<spam::DnsblLookup>(
        cfg.paths.ctrl, cfg.sys.cache_filter_files_s, std::make_unique<LibresolvResolver>(dns), cache, users,
        std::chrono::seconds(dns.timeout_s * dns.tries));
    return std::make_shared<spam::Dnsbl>(spam::DnsblSettings::of(cfg), std::move(lookup),
                                         spam::SpamHashBase(cfg.paths.data + "spam.hash"));
}

} // namespace

Result<std::shared_ptr<MailServices>> MailServices::build(ConfigPtr config, Database* db) {
    auto users = TabUserDirectory::open(*config);
    if (!users) return users.error();
    auto s = std::make_shared<MailServices>();
    s->users = std::move(*users);
    s->store = smb::SmbMailStore::from_config(*config);
    if (!config->mail.has(mail_opt::NO_HOST_LOOKUP))                                  // short tries, SEC-1
        s->resolver = std::make_unique<LibresolvResolver>(session_resolver_options());
    s->site_lists = std::make_unique<smtp::FileSiteLists>(config->paths.ctrl);
    s->notices = std::make_unique<smtp::NodeNotices>(*config);
    const uint32_t interval = config->sys.cache_filter_files_s;                     // CFG-133
    s->pop3_lists = std::make_unique<Pop3AccessLists>(config->paths.ctrl, config->paths.text, interval);
    s->ipfilter_exempt = std::make_unique<CachedPatternList>(config->paths.ctrl + "ipfilter_exempt.cfg", interval);
    s->name_can = std::make_unique<CachedPatternList>(config->paths.text + "name.can", interval);
    s->smtp_spy = std::make_unique<CachedPatternList>(config->paths.text + "smtpspy.can", interval);
    s->smtp_filters.add(std::make_shared<smtp::SpamFilter>(
        std::make_shared<spam::AntiSpam>(spam::AntiSpamPaths::of(*config))));
    if (db) s->dnsbl_cache = std::make_unique<DnsblCache>(*db);
    s->smtp_filters.add(std::make_shared<smtp::DnsblFilter>(
        dnsbl_rules(*config, s->dnsbl_cache.get(), s->users.get())));
    s->mail_processors = processor_chain(*config);
    // Issue #16: SPF asks the DNSBL's kind of resolver (the system's name
    // servers, short tries: SEC-1), its answers kept in the state database.
    if (db) s->dns_records = std::make_unique<DnsRecordCache>(*db);
    s->authenticator = std::make_unique<auth::MessageAuthenticator>(
        config->mail.auth, config->mail.host_name, std::make_unique<LibresolvResolver>(session_resolver_options()),
        s->dns_records.get());
    s->config = std::move(config);
    return s;
}

ServiceCache::ServiceCache(std::shared_ptr<Database> db) : db_(std::move(db)), attempts_(*db_) {}

Result<std::shared_ptr<MailServices>> ServiceCache::for_config(const ConfigPtr& config) {
    std::lock_guard<std::mutex> lock(mu_);
    if (current_ && current_->config == config) return current_;
    auto built = MailServices::build(config, db_.get());
    if (!built) return built.error();
    current_ = *built;
    last_failure_.clear();
    return current_;
}

bool ServiceCache::first_failure(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu_);
    if (reason == last_failure_) return false;
    last_failure_ = reason;
    return true;
}

} // namespace sbbs
