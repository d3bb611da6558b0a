// The DSN parameters a queued copy carries onward (RFC 3461 5.2.1): read
// from its stored fields (0xD4/0xD5) into the job's MAIL and RCPT text.
#pragma once

#include "msgbase/message.h"
#include "sendmail/outbound_batch.h"

namespace sbbs {

// RET/ENVID and NOTIFY/ORCPT as stored; REQUIRETLS, stored in the same
// field, is not a DSN parameter and is left to its own rule (RFC 8689).
void relayed_dsn_params(const smb::MessageHeader& h, OutboundJob& job);

} // namespace sbbs
