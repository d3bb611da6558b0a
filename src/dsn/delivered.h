// The "delivered" notice of local final delivery (RFC 3461 6.2.1 (a)): a
// copy stored in a BBS user's mailbox whose RCPT asked NOTIFY=SUCCESS gets
// a report queued to its reverse path once the copy is durable.
#pragma once

#include "dsn/notice.h"
#include "msgbase/mail_store.h"
#include "util/result.h"

#include <string_view>

namespace sbbs::dsn {

// The stored copy is a local user's (not queued onward), its NOTIFY has
// SUCCESS and its sender may get a notice (SEND-92 rules, RFC 3461 6.2).
bool wants_delivered_notice(const smb::MessageHeader& copy);

// Adds the notice for `copy` (the header as stored, its number set) to
// `store`; `text` is the message as received (header, empty line, body).
Result<uint32_t> queue_delivered_notice(MailStore& store, const smb::MessageHeader& copy, std::string_view text,
                                        const NoticeContext& ctx);

} // namespace sbbs::dsn
