// A delivery status notice as a message for the mail base: a failure
// (SEND-92..94, FMT-121, in the original's look), a delay, a relay or a
// local delivery, each a multipart/report (report.h) addressed to the
// original's sender. Shared by SendMail and the SMTP server.
#pragma once

#include "dsn/report.h"
#include "msgbase/message.h"

#include <ctime>
#include <string>
#include <string_view>

namespace sbbs::dsn {

struct NoticeContext {
    std::string host;               // HostName, else sys_inetaddr (SEND-94)
    bool delete_read_mail = false;  // SYS_DELREADM -> MSG_KILLREAD
    time_t now = 0;                 // Message-ID, Last-Attempt-Date
};

// What became of the one recipient of the original copy.
struct NoticeFacts {
    Action action = Action::Failed;
    std::string final_recipient;    // the address as sent or delivered to, without <>
    std::string reason;             // the human reason (SEND-62 shape); failed/delayed
    std::string reply;              // the remote's reply line ("" = none)
    std::string remote;             // the remote host name ("" = none)
    bool permanent = true;          // failed: a 5xx or a bad address, not given up after retries
    std::string status;             // x.y.z when known without a reply ("" = from the reply)
    time_t retry_until = 0;         // delayed: the last retry, estimated
};

// The notice's header (no data yet) and its text, to store with add_mail.
struct Notice {
    smb::MessageHeader hdr;
    std::string body;
};

// SEND-92: false when the original gets no notice of any kind (a notice
// itself, MSG_NOREPLY, no sender, a null reverse path; RFC 3461 6.2).
bool wants_notice(const smb::MessageHeader& original);
// RFC 3461 4.1: whether the recipient's NOTIFY asks for this notice. Without
// NOTIFY only failures are reported (the original's behaviour; the RFC lets
// an MTA add delays, we do not for mail that asked for nothing).
bool notify_asks(const RecipientParams& p, Action a);
// The notice's recipient name (reverse path, else sender name).
std::string notice_recipient(const smb::MessageHeader& original);
// The notice; `original_text` is the original as it was (or would be) sent,
// CRLF lines; its ENVID, RET and ORCPT come from its stored DSN fields. A
// REQUIRETLS original's notice returns the header only and is marked
// REQUIRETLS itself (RFC 8689 5).
Notice make_notice(const smb::MessageHeader& original, std::string_view original_text, const NoticeFacts& facts,
                   const NoticeContext& ctx);

} // namespace sbbs::dsn
