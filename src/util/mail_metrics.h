// Process-wide mail counters for --status and the Prometheus endpoint (issue
// #17 item 4): one relaxed atomic increment per event on the hot paths, so
// the benchmarked accept and RETR paths pay nothing measurable.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace sbbs::metrics {

// Same order as config's ListenerKind (the server maps one to the other).
enum class SessionProtocol { Smtp, Submission, SubmissionTls, Pop3, Pop3Tls };
inline constexpr size_t kProtocols = 5;
const char* protocol_name(SessionProtocol p);   // "smtp", "submission", ...

// Upper bounds (seconds) shared by every latency histogram; a last +Inf
// bucket catches the rest. Kept non-cumulative here, summed when rendered.
inline constexpr std::array<double, 14> kBucketBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                         0.25,  0.5,    1,     2.5,  5,     10,  30};

class LatencyHistogram {
public:
    void observe(std::chrono::steady_clock::duration d);
    struct Snapshot {
        std::array<uint64_t, kBucketBounds.size() + 1> cumulative{};   // last = +Inf = count
        double sum_s = 0;
    };
    Snapshot snapshot() const;

private:
    std::array<std::atomic<uint64_t>, kBucketBounds.size() + 1> buckets_{};
    std::atomic<uint64_t> sum_us_{0};
};

struct MailMetrics {
    std::array<std::atomic<int64_t>, kProtocols> sessions{};   // open now
    std::atomic<uint64_t> accepted{0};     // messages stored after DATA/BDAT (250)
    std::atomic<uint64_t> refused{0};      // permanent refusals (5xx) of RCPT or message text
    std::atomic<uint64_t> delivered{0};    // SendMail: sent to the next hop
    std::atomic<uint64_t> bounced{0};      // SendMail: given up, notice to the sender
    std::atomic<int64_t> queue_length{-1}; // SendMail's queue at its last scan; -1 before the first
    LatencyHistogram accept_latency;       // end of DATA text to 250
    LatencyHistogram retr_latency;         // POP3 RETR command to the last byte sent
    LatencyHistogram outbound_latency;     // one outbound transaction, MAIL to final reply
    std::chrono::system_clock::time_point started = std::chrono::system_clock::now();

    // Errors are rare: a mutex is fine there, never on a hot path.
    void note_error(std::string line);
    std::vector<std::string> last_errors() const;   // oldest first, at most kErrorsKept
    static constexpr size_t kErrorsKept = 5;

private:
    mutable std::mutex errors_mu_;
    std::vector<std::string> errors_;
};

MailMetrics& mail_metrics();

// RAII: counts one open session of a protocol for as long as it lives.
class OpenSession {
public:
    explicit OpenSession(SessionProtocol p) : slot_(mail_metrics().sessions[size_t(p)]) { slot_.fetch_add(1, std::memory_order_relaxed); }
    ~OpenSession() { slot_.fetch_sub(1, std::memory_order_relaxed); }
    OpenSession(const OpenSession&) = delete;
    OpenSession& operator=(const OpenSession&) = delete;

private:
    std::atomic<int64_t>& slot_;
};

inline void count(std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

} // namespace sbbs::metrics
