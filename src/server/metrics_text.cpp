// Status report and Prometheus exposition of the mail counters.
#include "server/metrics_text.h"

#include <chrono>
#include <cstdio>

namespace sbbs {

namespace {

using metrics::kProtocols;
using metrics::SessionProtocol;

long long uptime_s(const metrics::MailMetrics& m, std::time_t now) {
    return static_cast<long long>(now - std::chrono::system_clock::to_time_t(m.started));
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const std::string& name, const std::string& value) {
    out += name + " " + value + "\n";
}

void histogram(std::string& out, const char* name, const char* help, const metrics::LatencyHistogram& h) {
    family(out, name, "histogram", help);
    auto s = h.snapshot();
    for (size_t i = 0; i < metrics::kBucketBounds.size(); ++i)
        sample(out, std::string(name) + "_bucket{le=\"" + number(metrics::kBucketBounds[i]) + "\"}",
               std::to_string(s.cumulative[i]));
    sample(out, std::string(name) + "_bucket{le=\"+Inf\"}", std::to_string(s.cumulative.back()));
    sample(out, std::string(name) + "_sum", number(s.sum_s));
    sample(out, std::string(name) + "_count", std::to_string(s.cumulative.back()));
}

} // namespace

std::string status_report(const metrics::MailMetrics& m, long pid, std::time_t now) {
    std::string out = "pid " + std::to_string(pid) + "\nupdated " + std::to_string(static_cast<long long>(now)) + "\n";
    out += "uptime " + std::to_string(uptime_s(m, now)) + " s\n";
    out += "sessions";
    for (size_t i = 0; i < kProtocols; ++i)
        out += std::string(" ") + metrics::protocol_name(SessionProtocol(i)) + "=" +
               std::to_string(m.sessions[i].load(std::memory_order_relaxed));
    out += "\n";
    int64_t q = m.queue_length.load(std::memory_order_relaxed);
    out += "sendmail queue " + (q < 0 ? std::string("(not scanned yet)") : std::to_string(q)) + "\n";
    out += "messages since start: accepted=" + std::to_string(m.accepted.load()) +
           " delivered=" + std::to_string(m.delivered.load()) + " bounced=" + std::to_string(m.bounced.load()) +
           " refused=" + std::to_string(m.refused.load()) + "\n";
    auto errors = m.last_errors();
    out += "last errors: " + std::to_string(errors.size()) + "\n";
    for (const auto& e : errors) out += "  " + e + "\n";
    return out;
}

std::string prometheus_text(const metrics::MailMetrics& m, std::time_t now) {
    std::string out;
    for (size_t i = 0; i < kProtocols; ++i) {
        std::string name = std::string("sbbsmail_") + metrics::protocol_name(SessionProtocol(i)) + "_sessions";
        family(out, name.c_str(), "gauge", "Sessions open now on this protocol's ports.");
        sample(out, name, std::to_string(m.sessions[i].load(std::memory_order_relaxed)));
    }
    struct Counter { const char* name; const char* help; const std::atomic<uint64_t>& value; };
    for (const Counter& c : {Counter{"sbbsmail_messages_accepted_total", "Messages stored after DATA or BDAT (250).", m.accepted},
                             Counter{"sbbsmail_messages_delivered_total", "Messages SendMail handed to the next hop.", m.delivered},
                             Counter{"sbbsmail_messages_bounced_total", "Messages SendMail gave up on and bounced.", m.bounced},
                             Counter{"sbbsmail_messages_refused_total", "Recipients or messages refused with 550..554.", m.refused}}) {
        family(out, c.name, "counter", c.help);
        sample(out, c.name, std::to_string(c.value.load(std::memory_order_relaxed)));
    }
    family(out, "sbbsmail_sendmail_queue_length", "gauge", "Messages queued for SendMail at its last scan (-1: none yet).");
    sample(out, "sbbsmail_sendmail_queue_length", std::to_string(m.queue_length.load(std::memory_order_relaxed)));
    family(out, "sbbsmail_uptime_seconds", "gauge", "Seconds since the server started.");
    sample(out, "sbbsmail_uptime_seconds", std::to_string(uptime_s(m, now)));
    histogram(out, "sbbsmail_accept_latency_seconds", "End of DATA text to the 250 reply.", m.accept_latency);
    histogram(out, "sbbsmail_pop3_retr_latency_seconds", "POP3 RETR command to the message sent.", m.retr_latency);
    histogram(out, "sbbsmail_outbound_delivery_latency_seconds", "One outbound SMTP transaction, MAIL to final reply.",
              m.outbound_latency);
    return out;
}

} // namespace sbbs
