// Dates in the shapes the original writes: RFC 822 dates for Received
// headers (SMTP-212) and compact ISO times for SENDERTIME (FMT-114).
#pragma once

#include <ctime>
#include <string>

namespace sbbs::smtp {

std::string rfc822_date(time_t t);        // "Thu, 26 Nov 2026 10:21:58 +0000", local time
std::string compact_iso_time(time_t t);   // "20261126T102158+0000", local time
int local_utc_offset_minutes(time_t t);

} // namespace sbbs::smtp
