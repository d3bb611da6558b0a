// The server's life: load, start, print where it listens, then wait for
// signals (stop / reload) until told to stop.
#include "server/app.h"

#include "net/signals.h"
#include "server/console_logger.h"
#include "server/install_loader.h"
#include "server/listener_plan.h"
#include "net/host_name.h"
#include "server/protocol_handlers.h"
#include "server/semaphore_watch.h"
#include "server/server.h"
#include "server/tls_setup.h"

#include <future>

namespace sbbs {

namespace {

void log_diagnostics(const Diagnostics& diags, Logger& log) {
    for (const auto& d : diags) log.log(d.level, d.text());
}

Result<ConfigPtr> load_logged(const std::string& ctrl, Logger& log) {
    Diagnostics diags;
    auto cfg = load_install(ctrl, diags);
    log_diagnostics(diags, log);
    return cfg;
}

void announce(const Server& server) {
    for (const auto& l : server.listening()) std::printf("Listening on %s\n", describe(l).c_str());
    std::printf("sbbsmail ready\n");
    std::fflush(stdout);
}

// SIGHUP: a new snapshot; a bad one leaves the running one in place (CFG-170).
void reload(Server& server, const std::string& ctrl, ConsoleLogger& log) {
    log.log(LogLevel::Notice, "Reloading the configuration");
    auto cfg = load_logged(ctrl, log);
    Status s = cfg ? server.reload(*cfg) : Status(cfg.error());
    if (!s) return log.log(LogLevel::Error, "!Reload failed, keeping the running configuration: " + s.error().message);
    log.set_level((*cfg)->mail.log_level);
    announce(server);
}

// Starts on another thread so a stop signal can cut bind retries short.
bool start_interruptible(Server& server, SignalWatch& signals, Logger& log) {
    auto started = std::async(std::launch::async, [&] { return server.start(); });
    while (started.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
        if (signals.wait(100) == ProcessSignal::Stop) server.cancel_start();
    }
    Status s = started.get();
    if (!s) log.log(LogLevel::Critical, "!" + s.error().message);
    return s.ok() && !server.start_cancelled();
}

unsigned check_interval_ms(const Config& config) {
    unsigned s = config.mail.sem_file_check_frequency_s;
    return (s ? s : 2) * 1000;
}

// Until stopped: signals, semaphore files, and reaping finished sessions.
void serve(Server& server, SignalWatch& signals, SemaphoreWatch& semaphores, const std::string& ctrl,
           ConsoleLogger& log) {
    for (;;) {
        ProcessSignal sig = signals.wait(static_cast<int>(check_interval_ms(*server.config())));
        SemaphoreEvent sem = semaphores.check();
        if (sig == ProcessSignal::Stop || sem == SemaphoreEvent::Shutdown) return;
        if (sig == ProcessSignal::Reload || sem == SemaphoreEvent::Recycle) {
            if (sem == SemaphoreEvent::Recycle) log.log(LogLevel::Notice, "Recycle semaphore or configuration change detected");
            reload(server, ctrl, log);
            semaphores.rearm(*server.config());
        }
        server.reap();
    }
}

} // namespace

int run_server(const CliOptions& options) {
    ConsoleLogger log(stderr);
    SignalWatch signals;
    auto cfg = load_logged(options.ctrl_dir, log);
    if (!cfg) {
        log.log(LogLevel::Critical, "!Cannot start: " + cfg.error().message);
        return 1;
    }
    log.set_level((*cfg)->mail.log_level);
    SemaphoreWatch semaphores(**cfg, local_host_name());   // changes from now on count
    Server server(*cfg, protocol_handlers(), log);
    if (!start_interruptible(server, signals, log)) return server.start_cancelled() ? 0 : 1;
    announce(server);
    serve(server, signals, semaphores, options.ctrl_dir, log);
    log.log(LogLevel::Notice, "Stopping");
    server.stop();
    log.log(LogLevel::Notice, "Mail server terminated (" + std::to_string(server.counters().served.load()) +
                                  " clients served)");
    return 0;
}

int run_check(const CliOptions& options, std::FILE* out) {
    Diagnostics diags;
    auto cfg = load_install(options.ctrl_dir, diags);
    if (cfg) {
        auto clash = check_listener_plan(plan_listeners((*cfg)->mail, true), (*cfg)->paths.sbbs_ini);
        diags.insert(diags.end(), clash.begin(), clash.end());
    }
    size_t fatal = 0;
    for (const auto& d : diags) {
        fatal += d.fatal();
        std::fprintf(out, "%s: %s\n", d.fatal() ? "error" : "warning", d.text().c_str());
    }
    if (!cfg && fatal == 0) {
        std::fprintf(out, "error: %s\n", cfg.error().message.c_str());
        fatal = 1;
    }
    if (cfg) {
        TlsFiles tls = tls_files(**cfg);
        std::fprintf(out, "TLS certificate: %s, key: %s (%s)\n", tls.cert.c_str(), tls.key.c_str(),
                     tls.configured ? "[Mail] TLSCertFile/TLSKeyFile" : "generated on first start if missing");
    }
    std::fprintf(out, "%zu problem(s), %zu fatal\n", diags.size() + (!cfg && diags.empty()), fatal);
    return fatal ? 1 : 0;
}

int run_check_base(const CliOptions& options, std::FILE* out) {
    std::fprintf(out, "sbbsmail: --check-base %s: the message base checker is not available in this build\n",
                 options.base_prefix.c_str());
    return 2;
}

} // namespace sbbs
