// Process-wide mail counters (see mail_metrics.h).
#include "util/mail_metrics.h"

#include <algorithm>

namespace sbbs::metrics {

const char* protocol_name(SessionProtocol p) {
    switch (p) {
    case SessionProtocol::Smtp: return "smtp";
    case SessionProtocol::Submission: return "submission";
    case SessionProtocol::SubmissionTls: return "submissions";
    case SessionProtocol::Pop3: return "pop3";
    case SessionProtocol::Pop3Tls: return "pop3s";
    }
    return "?";
}

void LatencyHistogram::observe(std::chrono::steady_clock::duration d) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    if (us < 0) us = 0;
    double s = double(us) / 1e6;
    size_t i = size_t(std::lower_bound(kBucketBounds.begin(), kBucketBounds.end(), s) - kBucketBounds.begin());
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_us_.fetch_add(uint64_t(us), std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const {
    Snapshot s;
    uint64_t running = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative[i] = running;
    }
    s.sum_s = double(sum_us_.load(std::memory_order_relaxed)) / 1e6;
    return s;
}

void MailMetrics::note_error(std::string line) {
    std::lock_guard lk(errors_mu_);
    if (errors_.size() == kErrorsKept) errors_.erase(errors_.begin());
    errors_.push_back(std::move(line));
}

std::vector<std::string> MailMetrics::last_errors() const {
    std::lock_guard lk(errors_mu_);
    return errors_;
}

MailMetrics& mail_metrics() {
    static MailMetrics m;   // one per process: the server's sessions and SendMail share it
    return m;
}

} // namespace sbbs::metrics
