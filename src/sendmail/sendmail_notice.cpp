// Storing a failure notice (SEND-92..94, FMT-121). Ours (RFC 8689 5): the
// notice of a message sent with REQUIRETLS returns its header only, as
// RET=HDRS would (whatever RET the sender gave), and is itself marked
// REQUIRETLS, so when it goes back to an Internet sender it travels only as
// the original did. Postfix's default ("requiretls_redact_dsn") instead
// drops the mark from the header-only notice so that it cannot be lost on a
// return path without REQUIRETLS; we keep the stricter reading: nothing of
// such a message crosses the network without verified TLS.
#include "sendmail/sendmail.h"

#include "dsn/params.h"
#include "sendmail/data_text.h"

namespace sbbs {

using namespace smb;

namespace {

// The header block of a rendered message (up to its empty line), CR LF lines.
std::string header_block(const std::string& rendered) {
    auto end = rendered.find("\r\n\r\n");
    return end == std::string::npos ? rendered : rendered.substr(0, end + 2);
}

} // namespace

Result<uint32_t> SendMail::add_notice(const MessageHeader& original, const std::string& error,
                                      const BounceContext& ctx) {
    MessageHeader n = make_notice(original, error, ctx);
    if (!dsn::envelope_params(original).requiretls) return d_.store.add_sharing_data(original.number, n);
    for (auto it = n.fields.rbegin(); it != n.fields.rend(); ++it)   // the notice's last line says what follows
        if (it->type == hf::SMB_COMMENT) {
            it->data = "\r\nOriginal message header follows (the message was sent with REQUIRETLS: "
                       "its body is not returned, RFC 8689 section 5):";
            break;
        }
    dsn::EnvelopeParams mark;
    mark.requiretls = true;
    dsn::store(n, mark, {});
    // The header as it would have been sent, so the sender recognises the message.
    std::string text = header_block(crlf_lines(d_.render(Message{original, {}, {}})));
    NewMessage msg;
    msg.hdr = std::move(n);
    msg.body = text;                // lent: `text` outlives the store call
    auto added = d_.store.add_mail(msg, {RecipientCopy{}});
    if (!added) return added.error();
    return added->front();
}

} // namespace sbbs
