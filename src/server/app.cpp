// The server's life: load, start, print where it listens, then wait for
// signals and semaphore files (stop / reload) until told to stop.
#include "server/app.h"

#include "config/check_install.h"
#include "config/install_paths.h"
#include "msgbase/checker.h"
#include "msgbase/notice.h"
#include "net/signals.h"
#include "server/error_tap.h"
#include "server/install_loader.h"
#include "server/listener_plan.h"
#include "server/ops_reporter.h"
#include "server/log_setup.h"
#include "server/privilege_drop.h"
#include "server/protocol_handlers.h"
#include "server/sendmail_runner.h"
#include "server/semaphore_watch.h"
#include "server/service_notify.h"
#include "server/server.h"
#include "server/tls_setup.h"
#include "state/database.h"

#include <future>

namespace sbbs {

namespace {

const char* level_word(LogLevel level) {
    return level <= LogLevel::Error ? "error" : level == LogLevel::Warning ? "warning" : "note";
}

Result<ConfigPtr> load_logged(const CliOptions& cli, Logger& log) {
    Diagnostics diags;
    auto cfg = load_install(cli, diags);
    for (const auto& d : diags) log.log(d.level, d.text());
    return cfg;
}

void announce(const Server& server) {
    for (const auto& l : server.listening()) std::printf("Listening on %s\n", describe(l).c_str());
    std::printf("sbbsmail ready\n");
    std::fflush(stdout);
    notify_ready();   // systemd (issue #17): every listener is bound
}

// A new snapshot; a bad one leaves the running one in place (CFG-170).
bool reload(Server& server, const CliOptions& cli, ServerLog& log) {
    log.logger().log(LogLevel::Notice, "Reloading the configuration");
    notify_reloading();
    auto cfg = load_logged(cli, log.logger());
    Status s = cfg ? server.reload(*cfg) : Status(cfg.error());
    if (!s) {
        log.logger().log(LogLevel::Error, "!Reload failed, keeping the running configuration: " + s.error().message);
        notify_ready();   // still serving, with the old snapshot
        return false;
    }
    log.refresh(**cfg);
    announce(server);
    return true;
}

// Starts on another thread so a stop signal can cut bind retries short.
bool start_interruptible(Server& server, SignalWatch& signals, Logger& log) {
    auto started = std::async(std::launch::async, [&] { return server.start(); });
    while (started.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready)
        if (signals.wait(100) == ProcessSignal::Stop) server.cancel_start();
    Status s = started.get();
    if (!s) log.log(LogLevel::Critical, "!" + s.error().message);
    return s.ok() && !server.start_cancelled();
}

int check_interval_ms(const Config& config) {
    unsigned s = config.mail.sem_file_check_frequency_s;
    return static_cast<int>((s ? s : 2) * 1000);
}

// Until stopped: signals, semaphore files, and reaping finished sessions.
// The SendMail thread follows the snapshot: replaced after a reload.
void serve(Server& server, SignalWatch& signals, SemaphoreWatch& semaphores, const CliOptions& cli, ServerLog& log,
           Logger& tap, const RuntimeServices& services, std::unique_ptr<SendMailRunner>& sendmail) {
    for (;;) {
        ProcessSignal sig = signals.wait(check_interval_ms(*server.config()));
        SemaphoreEvent sem = semaphores.check();
        if (sig == ProcessSignal::Stop || sem == SemaphoreEvent::Shutdown) {
            notify_stopping();   // systemd (issue #17)
            return;
        }
        if (sig == ProcessSignal::Reload) log.reopen_files();   // logrotate (issue #17), even if the reload fails
        if (sig == ProcessSignal::Reload || sem == SemaphoreEvent::Recycle) {
            if (sem == SemaphoreEvent::Recycle) log.logger().log(LogLevel::Notice, "Recycle semaphore or configuration change detected");
            if (reload(server, cli, log)) {
                sendmail.reset();
                sendmail = SendMailRunner::start(server.config(), services.state, tap);
            }
            semaphores.rearm(*server.config());
        }
        server.reap();
    }
}

// CFG-69 temp directory and the state database (issue #3 item 8).
Result<RuntimeServices> prepare_services(const Config& config) {
    Status temp = prepare_temp_dir(config);
    if (!temp) return temp.error();
    auto db = Database::open(state_db_path(config.paths.data));
    if (!db) return db.error();
    return RuntimeServices{std::shared_ptr<Database>(std::move(*db))};
}

// Issue #17: started as root, become RunAsUser (or data/'s owner) before the
// log, the state database or the base is opened; false: do not go on.
bool leave_root(const Config& config, Logger& log) {
    auto drop = drop_privileges(config.mail.run_as_user, config.paths.data);
    if (!drop) {
        log.log(LogLevel::Critical, "!Refusing to run as root: cannot switch user: " + drop.error().message);
        return false;
    }
    if (drop->dropped)
        log.log(LogLevel::Notice, "Running as user " + drop->user + " (uid " + std::to_string(drop->uid) + ", gid " +
                                      std::to_string(drop->gid) + ")");
    else if (!drop->user.empty())
        log.log(LogLevel::Notice, "Running as root: " + (config.mail.run_as_user.empty()
                                                               ? config.paths.data + " is owned by root"
                                                               : std::string("[Mail] RunAsUser names root")) +
                                       "; set [Mail] RunAsUser to the BBS's user");
    return true;
}

} // namespace

int run_server(const CliOptions& options) {
    ServerLog log;
    SignalWatch signals;
    auto cfg = load_logged(options, log.logger());
    if (!cfg) {
        log.logger().log(LogLevel::Critical, "!Cannot start: " + cfg.error().message);
        return 1;
    }
    if (!leave_root(**cfg, log.logger())) return 1;
    log.attach(**cfg);
    smb::set_notice_sink([&log](const std::string& line) { log.logger().log(LogLevel::Warning, "!" + line); });
    struct SinkReset { ~SinkReset() { smb::set_notice_sink(nullptr); } } sink_reset;   // `log` ends with this scope
    Diagnostics users;
    check_user_base((*cfg)->paths, users);   // said once here, not once per refused session
    for (const auto& d : users) log.logger().log(d.level, "!" + d.text());
    auto services = prepare_services(**cfg);
    if (!services) {
        log.logger().log(LogLevel::Critical, "!Cannot start: " + services.error().message);
        return 1;
    }
    SemaphoreWatch semaphores(**cfg, local_host_name());   // changes from now on count
    ErrorTap tap(log.logger());   // issue #17: last errors for --status
    Server server(*cfg, protocol_handlers(*services), tap);
    if (!start_interruptible(server, signals, log.logger())) return server.start_cancelled() ? 0 : 1;
    auto ops = std::make_unique<OpsReporter>(**cfg, tap);   // status file, metrics endpoint (issue #17)
    announce(server);
    auto sendmail = SendMailRunner::start(server.config(), services->state, tap);
    serve(server, signals, semaphores, options, log, tap, *services, sendmail);
    log.logger().log(LogLevel::Notice, "Stopping");
    ops.reset();
    sendmail.reset();
    server.stop();   // logs the "#### Mail Server thread terminated" summary (SMTP-256)
    return 0;
}

int run_check(const CliOptions& options, std::FILE* out) {
    InstallCheck check = check_install(load_options(options));
    size_t fatal = 0;
    for (const auto& d : check.diags) {
        fatal += d.fatal();
        std::fprintf(out, "%s: %s\n", level_word(d.level), d.text().c_str());
    }
    if (check.config) {
        TlsFiles tls = tls_files(*check.config);
        std::fprintf(out, "TLS certificate: %s, key: %s (%s)\n", tls.cert.c_str(), tls.key.c_str(),
                     tls.configured ? "[Mail] TLSCertFile/TLSKeyFile" : "generated on first start if missing");
    }
    if (!check.ok() && fatal == 0) fatal = 1;
    std::fprintf(out, "%zu problem(s), %zu fatal\n", check.diags.size(), fatal);
    return check.ok() ? 0 : 1;
}

int run_check_base(const CliOptions& options, std::FILE* out) {
    auto problems = smb::check_base(options.base_prefix);
    for (const auto& p : problems) std::fprintf(out, "%s\n", smb::describe(p).c_str());
    std::fprintf(out, "%s: %zu problem(s)\n", options.base_prefix.c_str(), problems.size());
    return problems.empty() ? 0 : 1;
}

} // namespace sbbs
