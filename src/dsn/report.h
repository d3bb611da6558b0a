// A delivery status notification as RFC 3464 / RFC 6522 shape it: a
// multipart/report; report-type=delivery-status body with a human part, the
// machine-readable message/delivery-status part and the original message
// (RET=FULL, the default) or its header (RET=HDRS, RFC 3461 4.3).
#pragma once

#include "dsn/params.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::dsn {

enum class Action { Failed, Delayed, Delivered, Relayed };   // RFC 3464 2.3.3
const char* action_name(Action a);

// One recipient's block of the delivery-status part (RFC 3464 2.3).
struct RecipientReport {
    Action action = Action::Failed;
    std::string final_recipient;    // the address as this MTA used it, without <>
    RecipientParams params;         // ORCPT (Original-Recipient) when given
    std::string status;             // x.y.z; "" = derived (status_for)
    std::string reply;              // the remote SMTP reply line ("" = none): Diagnostic-Code
    std::string remote_mta;         // the host that answered ("" = none): Remote-MTA
    time_t last_attempt = 0;        // 0 = none
    time_t will_retry_until = 0;    // delayed only; 0 = none
};

struct ReportInput {
    std::string reporting_mta;      // our host name (Reporting-MTA: dns;...)
    EnvelopeParams envelope;        // ENVID (Original-Envelope-Id), RET
    time_t arrival = 0;             // Arrival-Date; 0 = none
    std::string human;              // the human-readable text, CRLF lines
    std::string original;           // the original message as sent, CRLF lines
    std::vector<RecipientReport> recipients;
    uint32_t seed = 0;              // the boundary's
};

struct Report {
    std::string content_type;       // the Content-Type field value of the notice
    std::string body;               // the MIME body, CRLF lines
};

Report build_report(const ReportInput& in);

// RFC 3461 4.3: what of the original the report returns: RET as asked;
// without it the whole message with a failure, only its header with a delay
// or success report (the message itself arrived or is still on its way).
Ret returned(const ReportInput& in);

// The delivery-status part alone (RFC 3464 2.1), CRLF lines.
std::string delivery_status(const ReportInput& in);

// RFC 3463: the enhanced code at the start of `reply` after its basic code
// ("550 5.1.1 ..." -> "5.1.1") when it has one and its class matches; else
// the reply's class with ".0.0"; else by the action (no reply: 4.4.1, the
// host was not reached; 2.0.0 for a success).
std::string status_for(Action a, std::string_view reply, bool permanent);

// RFC 5322 date in UTC ("Tue, 08 Dec 2026 00:12:41 +0000").
std::string utc_date(time_t t);

} // namespace sbbs::dsn
