// Building and running the SendMail thread (see sendmail_runner.h and the
// wiring notes in sendmail/sendmail_thread.h).
#include "server/sendmail_runner.h"

#include "config/options.h"
#include "mailfmt/render.h"
#include "msgbase/smb_mail_store.h"
#include "sendmail/book_retry_schedule.h"
#include "sendmail/dns_setup.h"
#include "sendmail/sendmail_thread.h"
#include "state/database.h"
#include "state/delivery_book.h"
#include "userbase/tab_user_directory.h"

namespace sbbs {

// Declared in the order they must be built; destroyed in reverse, so the
// thread stops before anything it uses goes away.
struct SendMailRunner::Parts {
    ConfigPtr config;
    std::shared_ptr<Database> db;
    SendMailSettings settings;
    std::unique_ptr<smb::SmbMailStore> store;
    std::unique_ptr<TabUserDirectory> users;
    std::unique_ptr<LibresolvResolver> resolver;
    std::unique_ptr<SmtpConnector> connector;
    std::unique_ptr<DeliveryBook> book;
    std::unique_ptr<BookRetrySchedule> retry;
    std::unique_ptr<SendMailThread> thread;
};

namespace {

RenderContext render_context(const Config& cfg) {
    RenderContext c;
    c.host_name = cfg.mail.host_name;
    c.inet_addr = cfg.msgs.inet_addr;
    c.system_name = cfg.sys.name;
    c.qwk_id = cfg.sys.qwk_id;
    c.operator_name = cfg.sys.operator_name;
    c.data_dir = cfg.paths.data;
    return c;
}

} // namespace

std::unique_ptr<SendMailRunner> SendMailRunner::start(ConfigPtr config, std::shared_ptr<Database> db, Logger& log) {
    if (config->mail.has(mail_opt::NO_SENDMAIL)) return nullptr;   // SEND-6
    auto p = std::make_unique<Parts>();
    p->config = config;
    p->db = std::move(db);
    p->settings = sendmail_settings(*config, &log);
    p->store = smb::SmbMailStore::from_config(*config);
    auto users = TabUserDirectory::open(*config);
    if (users) p->users = std::move(*users);
    p->resolver = make_resolver(p->settings);
    if (!p->resolver->usable()) log.log(LogLevel::Error, "!SendMail DNS resolver: " + p->resolver->init_error());
    p->connector = make_tcp_connector();
    p->book = std::make_unique<DeliveryBook>(*p->db);
    p->retry = std::make_unique<BookRetrySchedule>(*p->book, p->settings.rescan_frequency_s,
                                                   p->settings.max_backoff_scans);
    RenderContext rc = render_context(*config);
    SendMailDeps deps{*p->store, *p->resolver, *p->connector,
                      [rc](const smb::Message& m) { return render_rfc822(m, rc); }, log, p->users.get()};
    deps.retry = p->retry.get();
    deps.dns_server_text = p->resolver->server_address();
    p->thread = std::make_unique<SendMailThread>(p->settings, deps);
    p->thread->start();
    return std::unique_ptr<SendMailRunner>(new SendMailRunner(std::move(p)));
}

SendMailRunner::SendMailRunner(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

SendMailRunner::~SendMailRunner() {
    if (parts_ && parts_->thread) parts_->thread->stop();
}

} // namespace sbbs
