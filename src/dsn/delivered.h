// The "delivered" notice of local final delivery (RFC 3461 6.2.1 (a)): a
// copy stored in a BBS user's mailbox whose RCPT asked NOTIFY=SUCCESS gets
// a report queued to its reverse path once the copy is durable.
#pragma once

#include "dsn/notice.h"
#include "msgbase/mail_store.h"
#include "util/result.h"
#include "util/text_pieces.h"

#include <string_view>

namespace sbbs::dsn {

// The stored copy is a local user's (not queued onward), its NOTIFY has
// SUCCESS and its sender may get a notice (SEND-92 rules, RFC 3461 6.2).
bool wants_delivered_notice(const smb::MessageHeader& copy);

// What of the message the report returns (RFC 3461 4.3), as text: its
// header and the empty line; the body too only for RET=FULL. Decided before
// anything is joined, so the usual report never copies a body (SEC-11).
std::string returned_text(const smb::MessageHeader& copy, std::string_view header, const TextPieces& body);

// Adds the notice for `copy` (the header as stored, its number set) to
// `store`; `header` and `body` are the message as received.
Result<uint32_t> queue_delivered_notice(MailStore& store, const smb::MessageHeader& copy, std::string_view header,
                                        const TextPieces& body, const NoticeContext& ctx);

} // namespace sbbs::dsn
