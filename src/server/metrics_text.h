// The counters of util/mail_metrics.h as text: the status report --status
// prints and the Prometheus text exposition format 0.0.4 for GET /metrics.
#pragma once

#include "util/mail_metrics.h"

#include <ctime>
#include <string>

namespace sbbs {

// Starts with "pid <n>" and "updated <unix time>" lines, which --status reads
// to tell a running server from a stale file; the rest is for people.
std::string status_report(const metrics::MailMetrics& m, long pid, std::time_t now);
std::string prometheus_text(const metrics::MailMetrics& m, std::time_t now);

} // namespace sbbs
