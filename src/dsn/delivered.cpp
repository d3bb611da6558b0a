// Local delivery's success notice (see delivered.h).
#include "dsn/delivered.h"

namespace sbbs::dsn {

using namespace smb;

bool wants_delivered_notice(const MessageHeader& copy) {
    bool local = copy.get_u16(hf::RECIPIENTNETTYPE).value_or(net::NONE) == net::NONE && copy.last(hf::RECIPIENTEXT);
    return local && notify_asks(recipient_params(copy), Action::Delivered) && wants_notice(copy);
}

std::string returned_text(const MessageHeader& copy, std::string_view header, const TextPieces& body) {
    std::string text(header);
    text += text.ends_with("\r\n") ? "\r\n" : "\r\n\r\n";   // the empty line after the header
    if (envelope_params(copy).ret == Ret::Full) text += body.str();   // RET=FULL asked for the copy
    return text;
}

Result<uint32_t> queue_delivered_notice(MailStore& store, const MessageHeader& copy, std::string_view header,
                                        const TextPieces& body, const NoticeContext& ctx) {
    const std::string text = returned_text(copy, header, body);
    NoticeFacts f;
    f.action = Action::Delivered;
    f.final_recipient = copy.get(hf::SMTPFORWARDPATH);
    if (f.final_recipient.empty()) f.final_recipient = copy.get(hf::RECIPIENT);
    if (f.final_recipient.size() >= 2 && f.final_recipient.front() == '<' && f.final_recipient.back() == '>')
        f.final_recipient = f.final_recipient.substr(1, f.final_recipient.size() - 2);
    Notice n = make_notice(copy, text, f, ctx);
    NewMessage m{std::move(n.hdr), TextPieces(n.body), {}};
    auto added = store.add_mail(m, {RecipientCopy{}});
    if (!added) return added.error();
    return added->front();
}

} // namespace sbbs::dsn
