// The SendMail thread (SEND-6..14): scans at start, whenever the mail base's
// last message number changes (polled every SemFileCheckFrequency) and every
// RescanFrequency; stops before the next message when asked.
#pragma once

#include "sendmail/sendmail.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sbbs {

// Wiring in the server (every object outlives the thread):
//   SendMailSettings s = sendmail_settings(*cfg, &logger);
//   auto resolver = make_resolver(s);            // check resolver->usable()
//   auto connector = make_tcp_connector();
//   auto db = Database::open(state_db_path(cfg->paths.data));
//   DeliveryBook book(**db);
//   BookRetrySchedule retry(book, s.rescan_frequency_s, s.max_backoff_scans);
//   SendMailDeps deps{store, *resolver, *connector, rfc822_renderer(render_context(*cfg)),
//                     logger, &users};                       // sendmail/renderer.h
//   deps.retry = &retry;
//   deps.dns_server_text = resolver->server_address();
//   SendMailThread sendmail(s, deps);            // loads the DKIM key (SEND-7)
//   sendmail.start();                            // false when NO_SENDMAIL (SEND-6)
//   ... sendmail.stop();                         // on shutdown/recycle (SEND-9)
class SendMailThread {
public:
    // `poll_interval` overrides SemFileCheckFrequency (tests); zero = use it.
    SendMailThread(SendMailSettings settings, SendMailDeps deps,
                   std::chrono::milliseconds poll_interval = std::chrono::milliseconds(0));
    ~SendMailThread();
    SendMailThread(const SendMailThread&) = delete;
    SendMailThread& operator=(const SendMailThread&) = delete;

    // Starts the thread unless NO_SENDMAIL is set (SEND-6); false then.
    bool start();
    // Signals and joins: every wait of a delivery in progress ends at once
    // (SEC-5) and its message stays queued without an attempt counted.
    void stop();
    bool running() const { return thread_.joinable(); }
    unsigned scans() const { return scans_; }

private:
    void run();
    bool wait(std::chrono::milliseconds d);   // false when stopping

    SendMail sendmail_;
    Logger& log_;
    MailStore& store_;
    std::chrono::milliseconds poll_;
    std::chrono::seconds rescan_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::atomic<unsigned> scans_{0};
    std::thread thread_;
};

} // namespace sbbs
