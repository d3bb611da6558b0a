// Stored DSN parameters to ESMTP text for the next hop (see relayed_dsn.h).
#include "sendmail/relayed_dsn.h"

#include "dsn/params.h"

namespace sbbs {

void relayed_dsn_params(const smb::MessageHeader& h, OutboundJob& job) {
    dsn::EnvelopeParams e = dsn::envelope_params(h);
    e.requiretls = false;   // not a DSN parameter: SmtpTransaction::requiretls, on a session verified for it (RFC 8689 4.2.1)
    job.dsn_mail = dsn::format(e);
    job.dsn_rcpt = dsn::format(dsn::recipient_params(h));
}

} // namespace sbbs
