// Delivery status notices as mail-base messages (see notice.h).
#include "dsn/notice.h"

#include "util/strings.h"

#include <cstdio>

namespace sbbs::dsn {

using namespace smb;

namespace {

uint16_t sender_agent(const MessageHeader& h) { return h.get_u16(hf::SENDERAGENT).value_or(agent::PERSON); }
uint16_t sender_net_type(const MessageHeader& h) { return h.get_u16(hf::SENDERNETTYPE).value_or(net::NONE); }

const char* subject_prefix(Action a) {
    switch (a) {
    case Action::Failed: return "Delivery failure: ";   // SEND-93
    case Action::Delayed: return "Delivery delayed: ";
    case Action::Relayed: return "Delivery relayed: ";
    case Action::Delivered: return "Delivered: ";
    }
    return "Delivery failure: ";
}

// The fixed part copied (FMT-121), addressed back to the original's sender (SEND-93).
MessageHeader notice_header(const MessageHeader& o, Action a, const NoticeContext& ctx) {
    MessageHeader n = o;
    n.fields.clear();
    n.dfields.clear();
    n.number = 0;
    n.header_offset = 0;
    n.offset = 0;
    n.delivery_attempts = 0;
    n.netattr = uint16_t(n.netattr & ~(netattr::INTRANSIT | netattr::SENT));
    n.attr = uint16_t((n.attr & ~(attr::READ | attr::DELETE)) | attr::NOREPLY);
    // Ours: the text is our report now, not the original's: its attachment
    // flags would make the renderer wrap the report around files SendMail
    // has deleted (SEND-82), and its fixed-format flag would misdescribe it.
    n.auxattr &= ~(auxattr::FILEATTACH | auxattr::MIMEATTACH | auxattr::KILLFILE | auxattr::FIXED_FORMAT);
    if (ctx.delete_read_mail) n.attr |= attr::KILLREAD;
    std::string subject = subject_prefix(a) + o.get(hf::SUBJECT);
    if (subject.size() > 127) subject.resize(127);
    n.add(hf::SUBJECT, subject);
    n.add(hf::RECIPIENT, notice_recipient(o));
    uint16_t agent = sender_agent(o);
    if (agent == agent::PERSON) {
        if (auto ext = o.last(hf::SENDEREXT)) n.add(hf::RECIPIENTEXT, *ext);
        uint16_t nt = sender_net_type(o);
        auto rp = o.reverse_path();
        if ((nt == net::INTERNET || nt == net::QWK) && rp) {
            n.add_u16(hf::RECIPIENTNETTYPE, nt);
            n.add(hf::RECIPIENTNETADDR, *rp);
        }
    } else {
        n.add_u16(hf::RECIPIENTAGENT, agent);
    }
    n.add(hf::SENDER, "Mail Delivery Subsystem");
    n.add_u16(hf::SENDERAGENT, agent::SMTPSYSMSG);
    // Ours (FMT-121): a Message-ID of its own; the original's threads the two.
    char id[160];
    std::snprintf(id, sizeof id, "<%08lX.%u.%s@%s>", static_cast<unsigned long>(ctx.now),
                  static_cast<unsigned>(o.number), a == Action::Failed ? "bounce" : action_name(a), ctx.host.c_str());
    n.add(hf::RFC822MSGID, id);
    if (auto orig = o.last(hf::RFC822MSGID)) n.add(hf::RFC822REPLYID, *orig);
    return n;
}

std::string attempts_text(const MessageHeader& o) {
    return o.delivery_attempts > 1 ? "after " + std::to_string(o.delivery_attempts) + " attempts" : std::string();
}

// The human part. A failure's lines are the original's SEND-93 comment
// lines, as a reader saw them before the notice became a report.
std::string human_text(const MessageHeader& o, const NoticeFacts& f, const NoticeContext& ctx, Ret ret) {
    std::string to = o.get(hf::RECIPIENTNETADDR);
    if (to.empty()) to = f.final_recipient;
    std::string from_to = "from " + o.get(hf::SENDER) + " to " + to + "\r\n";
    switch (f.action) {
    case Action::Failed:
        return ctx.host + " reporting delivery failure of message " + attempts_text(o) + "\r\n" + from_to + "\r\n" +
               "Reason:\r\n" + f.reason + "\r\n\r\n" +
               (ret == Ret::Hdrs ? "Original message header follows:\r\n" : "Original message text follows:\r\n");
    case Action::Delayed:
        return ctx.host + " reporting delayed delivery of message " + attempts_text(o) + "\r\n" + from_to + "\r\n" +
               "Reason:\r\n" + f.reason + "\r\n\r\n" + "Delivery will be tried again until " +
               utc_date(f.retry_until) + ".\r\nYou need not send the message again.\r\n";
    case Action::Relayed:
        return ctx.host + " relayed message\r\n" + from_to + "to " + printable_ascii(f.remote, 255) +
               ", which does not report delivery status: no further notice will follow.\r\n";
    case Action::Delivered:
        return ctx.host + " delivered message\r\n" + from_to;
    }
    return {};
}

} // namespace

bool wants_notice(const MessageHeader& o) {
    if (sender_agent(o) == agent::SMTPSYSMSG) return false;
    if (o.attr & attr::NOREPLY) return false;
    if (!o.last(hf::SENDEREXT) && sender_net_type(o) == net::NONE) return false;
    // Ours: a null reverse path stored as "<>" is as empty as "" (SEND-92 note).
    if (auto rp = o.reverse_path(); rp && (rp->empty() || *rp == "<>")) return false;
    return true;
}

bool notify_asks(const RecipientParams& p, Action a) {
    switch (a) {
    case Action::Failed: return p.wants(notify::FAILURE);
    case Action::Delayed: return (p.notify & notify::DELAY) != 0;
    case Action::Relayed:
    case Action::Delivered: return (p.notify & notify::SUCCESS) != 0;
    }
    return false;
}

std::string notice_recipient(const MessageHeader& o) {
    if (auto rp = o.reverse_path()) return *rp;
    return o.get(hf::SENDER);
}

Notice make_notice(const MessageHeader& o, std::string_view original_text, const NoticeFacts& f,
                   const NoticeContext& ctx) {
    ReportInput in;
    in.reporting_mta = ctx.host;
    in.envelope = envelope_params(o);
    // RFC 8689 5: a REQUIRETLS message's notice returns its header only,
    // whatever RET asked, so its body never travels without the TLS it required.
    if (in.envelope.requiretls) in.envelope.ret = Ret::Hdrs;
    in.arrival = o.when_imported_time;
    in.original = std::string(original_text);
    in.seed = o.number ^ uint32_t(ctx.now);
    RecipientReport r;
    r.action = f.action;
    r.final_recipient = f.final_recipient;
    r.params = recipient_params(o);
    r.status = f.status.empty() || !f.reply.empty() ? status_for(f.action, f.reply, f.permanent) : f.status;
    r.reply = f.reply;
    r.remote_mta = f.remote;
    r.last_attempt = f.action == Action::Delivered ? 0 : ctx.now;
    r.will_retry_until = f.retry_until;
    in.recipients.push_back(std::move(r));
    in.human = human_text(o, f, ctx, returned(in));
    Report rep = build_report(in);
    Notice n{notice_header(o, f.action, ctx), std::move(rep.body)};
    // Stored as Internet mail stores its MIME header (FMT-33): the BBS shows
    // the first text/plain part, POP3 and SendMail send these lines as they are.
    n.hdr.add(hf::RFC822HEADER, "MIME-Version: 1.0");
    n.hdr.add(hf::RFC822HEADER, "Content-Type: " + rep.content_type);
    if (in.envelope.requiretls) {   // RFC 8689 5: and it is itself sent only as the original would be
        EnvelopeParams mark;
        mark.requiretls = true;
        store(n.hdr, mark, {});
    }
    return n;
}

} // namespace sbbs::dsn
