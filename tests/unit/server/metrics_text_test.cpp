// The status report and the Prometheus text of the mail counters (issue #17).
#include "server/metrics_text.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("ISSUE17-4i Prometheus text: TYPE before samples, +Inf bucket equals _count", "[server]") {
    metrics::MailMetrics m;
    m.accepted = 3;
    m.sessions[size_t(metrics::SessionProtocol::Pop3)] = 2;
    m.accept_latency.observe(std::chrono::milliseconds(2));
    std::string t = prometheus_text(m, std::time(nullptr));
    CHECK(t.find("# TYPE sbbsmail_messages_accepted_total counter\nsbbsmail_messages_accepted_total 3\n") != std::string::npos);
    CHECK(t.find("# TYPE sbbsmail_pop3_sessions gauge\nsbbsmail_pop3_sessions 2\n") != std::string::npos);
    CHECK(t.find("sbbsmail_accept_latency_seconds_bucket{le=\"0.001\"} 0\n") != std::string::npos);
    CHECK(t.find("sbbsmail_accept_latency_seconds_bucket{le=\"0.0025\"} 1\n") != std::string::npos);
    CHECK(t.find("sbbsmail_accept_latency_seconds_bucket{le=\"+Inf\"} 1\nsbbsmail_accept_latency_seconds_sum 0.002\n"
                 "sbbsmail_accept_latency_seconds_count 1\n") != std::string::npos);
}

TEST_CASE("ISSUE17-4j status report starts with pid and time, then the counters", "[server]") {
    metrics::MailMetrics m;
    m.refused = 4;
    m.note_error("!something broke");
    std::string r = status_report(m, 1234, 1700000000);
    CHECK(r.rfind("pid 1234\nupdated 1700000000\n", 0) == 0);
    CHECK(r.find("refused=4") != std::string::npos);
    CHECK(r.find("sendmail queue (not scanned yet)") != std::string::npos);
    CHECK(r.find("last errors: 1\n  !something broke\n") != std::string::npos);
}
