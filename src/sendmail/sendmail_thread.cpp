// The SendMail thread loop (see sendmail_thread.h).
#include "sendmail/sendmail_thread.h"

#include "config/options.h"

#include <exception>

namespace sbbs {

namespace {
// SEND-7: the DKIM key is read once, when the thread is created.
SendMailDeps with_dkim(const SendMailSettings& s, SendMailDeps deps) {
    if (!deps.dkim) deps.dkim = load_dkim(s, deps.log);
    return deps;
}
} // namespace

SendMailThread::SendMailThread(SendMailSettings settings, SendMailDeps deps, std::chrono::milliseconds poll_interval)
    : sendmail_(settings, with_dkim(settings, deps)), log_(deps.log), store_(deps.store),
      poll_(poll_interval.count() > 0 ? poll_interval
                                      : std::chrono::milliseconds(1000LL * sendmail_.settings().sem_check_frequency_s)),
      rescan_(sendmail_.settings().rescan_frequency_s) {}

SendMailThread::~SendMailThread() { stop(); }

bool SendMailThread::start() {
    if (sendmail_.settings().has(mail_opt::NO_SENDMAIL) || thread_.joinable()) return false;
    stop_ = false;
    thread_ = std::thread([this] { run(); });
    return true;
}

void SendMailThread::stop() {
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    sendmail_.request_stop();
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool SendMailThread::wait(std::chrono::milliseconds d) {
    std::unique_lock lk(mu_);
    return !cv_.wait_for(lk, d, [this] { return stop_; });
}

void SendMailThread::run() {
    log_.log(LogLevel::Info, "SendMail thread started");
    using clock = std::chrono::steady_clock;
    bool first = true;
    uint32_t seen = 0;
    auto last_scan = clock::now(), last_periodic = clock::now();
    do {
        auto lm = store_.last_msg();
        if (!lm) {
            // SEND-14: the check is skipped.
            log_.log(LogLevel::Debug, "0000 SEND ERROR -1 (" + lm.error().message + ") opening: " +
                                          sendmail_.settings().mail_base);
            continue;
        }
        auto now = clock::now();
        bool periodic = first || now - last_periodic >= rescan_;
        if (!periodic && *lm == seen) continue;   // SEND-12
        auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - last_scan).count();
        log_.log(LogLevel::Debug, "0000 SEND last_msg=" + std::to_string(seen) +
                                      ", smb.status.last_msg=" + std::to_string(*lm) +
                                      ", elapsed=" + std::to_string(elapsed));
        // Taken before the scan: bounces it adds trigger the next one (SEND-95).
        seen = *lm;
        last_scan = now;
        if (periodic) last_periodic = now;
        first = false;
        try {
            sendmail_.scan(periodic);
        } catch (const std::exception& e) {   // e.g. out of memory rendering a huge message
            log_.log(LogLevel::Critical, std::string("0000 !SEND scan aborted: ") + e.what());
        }
        ++scans_;
    } while (wait(poll_));
    log_.log(LogLevel::Debug, "0000 SendMail thread terminated");
}

} // namespace sbbs
