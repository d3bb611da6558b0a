// Building and running the SendMail thread (see sendmail_runner.h and the
// wiring notes in sendmail/sendmail_thread.h).
#include "server/sendmail_runner.h"

#include "config/options.h"
#include "msgbase/smb_mail_store.h"
#include "sendmail/bench_switch.h"
#include "sendmail/book_retry_schedule.h"
#include "sendmail/dns_setup.h"
#include "sendmail/renderer.h"
#include "sendmail/sendmail_thread.h"
#include "state/database.h"
#include "state/delivery_book.h"
#include "userbase/tab_user_directory.h"

#include <cstdlib>

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

std::unique_ptr<SendMailRunner> SendMailRunner::start(ConfigPtr config, std::shared_ptr<Database> db, Logger& log) {
    if (config->mail.has(mail_opt::NO_SENDMAIL)) return nullptr;   // SEND-6
    auto p = std::make_unique<Parts>();
    p->config = config;
    p->db = std::move(db);
    p->settings = sendmail_settings(*config, &log);
    // Benches deliver to sinks on 127.x (bench/outbound): said at every
    // start so that a real install running with it cannot go unnoticed.
    if (apply_loopback_mx_switch(p->settings, std::getenv(kAllowLoopbackMxEnv)))
        log.log(LogLevel::Warning, std::string("SendMail: ") + kAllowLoopbackMxEnv +
                                       "=1: MX hosts on this machine are contacted (SEND-41 off; tests and benches only)");
    p->store = smb::SmbMailStore::from_config(*config);
    auto users = TabUserDirectory::open(*config);
    if (users) p->users = std::move(*users);
    p->resolver = make_resolver(p->settings);
    if (!p->resolver->usable()) log.log(LogLevel::Error, "!SendMail DNS resolver: " + p->resolver->init_error());
    p->connector = make_tcp_connector();
    p->book = std::make_unique<DeliveryBook>(*p->db);
    p->retry = std::make_unique<BookRetrySchedule>(*p->book, p->settings.rescan_frequency_s,
                                                   p->settings.max_backoff_scans);
    SendMailDeps deps{*p->store, *p->resolver, *p->connector, rfc822_renderer(render_context(*config)), log,
                      p->users.get()};
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
