// Failure-notice construction (see bounce.h).
#include "sendmail/bounce.h"

#include "sendmail/envelope.h"

#include <cstdio>

namespace sbbs {

using namespace smb;

bool wants_notice(const MessageHeader& o) {
    if (envelope::sender_agent(o) == agent::SMTPSYSMSG) return false;
    if (o.attr & attr::NOREPLY) return false;
    if (!envelope::has_sender_ext(o) && envelope::sender_net_type(o) == net::NONE) return false;
    // Ours: a null reverse path stored as "<>" is as empty as "" (SEND-92 note).
    if (auto rp = envelope::reverse_path(o); rp && (rp->empty() || *rp == "<>")) return false;
    return true;
}

std::string notice_recipient(const MessageHeader& o) {
    if (auto rp = envelope::reverse_path(o)) return *rp;
    return o.get(hf::SENDER);
}

MessageHeader make_notice(const MessageHeader& o, const std::string& error, const BounceContext& ctx) {
    MessageHeader n = o;           // the fixed part is copied (FMT-121)
    n.fields.clear();
    n.dfields.clear();
    n.number = 0;
    n.header_offset = 0;
    n.delivery_attempts = 0;
    n.netattr = uint16_t(n.netattr & ~(netattr::INTRANSIT | netattr::SENT));
    n.attr = uint16_t((n.attr & ~(attr::READ | attr::DELETE)) | attr::NOREPLY);
    if (ctx.delete_read_mail) n.attr |= attr::KILLREAD;

    std::string subject = "Delivery failure: " + o.get(hf::SUBJECT);
    if (subject.size() > 127) subject.resize(127);
    n.add(hf::SUBJECT, subject);
    n.add(hf::RECIPIENT, notice_recipient(o));
    uint16_t agent = envelope::sender_agent(o);
    if (agent == agent::PERSON) {
        if (auto ext = o.last(hf::SENDEREXT)) n.add(hf::RECIPIENTEXT, *ext);
        uint16_t nt = envelope::sender_net_type(o);
        auto rp = envelope::reverse_path(o);
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
    char id[128];
    std::snprintf(id, sizeof id, "<%08lX.%u.bounce@%s>", static_cast<unsigned long>(ctx.now),
                  static_cast<unsigned>(o.number), ctx.host.c_str());
    n.add(hf::RFC822MSGID, id);
    if (auto orig = o.last(hf::RFC822MSGID)) n.add(hf::RFC822REPLYID, *orig);

    std::string first = ctx.host + " reporting delivery failure of message ";
    if (o.delivery_attempts > 1) first += "after " + std::to_string(o.delivery_attempts) + " attempts";
    n.add(hf::SMB_COMMENT, first);
    n.add(hf::SMB_COMMENT, "from " + o.get(hf::SENDER) + " to " + o.get(hf::RECIPIENTNETADDR) + "\r\n");
    n.add(hf::SMB_COMMENT, "Reason:");
    n.add(hf::SMB_COMMENT, error);
    n.add(hf::SMB_COMMENT, "\r\nOriginal message text follows:");
    return n;
}

} // namespace sbbs
