// Checks once the data has ended: the twit list (SMTP-175, every sender),
// subject.can and email.can on the header lines (SMTP-181, unauthenticated
// senders only) and the spam-bait drop (SMTP-194).
#include "spam/anti_spam.h"

#include "util/strings.h"

namespace sbbs::spam {

Decision AntiSpam::on_message(const SessionInfo& s, std::string_view header) {
    NamedAddress sender = sender_of(s, header);
    if (!twit_list_.get()->contains(sender.name, sender.address))
        return {};
    std::string who = "'" + sender.name + "' <" + sender.address + ">";
    Decision d = Decision::refuse(554, "5.7.1", "Sender not allowed.", false);     // CFG-151
    d.note(LogLevel::Notice, "!FILTERING TWIT-LISTED SENDER: " + who + " (" + std::to_string(++refused_) + " total)");
    spam_log(s, {"", "REFUSED", "Twit-listed sender: " + who, "", "", s.last_rcpt, s.reverse_path}, d);
    return d;
}

// The original tests each unfolded header line as it parses it, so the first
// offending Subject:, From: or To: line decides.
Decision AntiSpam::on_header(const SessionInfo& s, std::string_view header) {
    if (s.authenticated) return {};
    for (const HeaderField& f : header_fields(header)) {
        if (iequals(f.name, "SUBJECT")) {
            if (!subject_can_.get()->contains(f.value)) continue;
            std::string what = "(" + f.value + ") from: " + s.reverse_path;
            Decision d = Decision::refuse(554, "5.7.1", "Subject not allowed.", false);
            d.note(LogLevel::Notice, "!BLOCKED SUBJECT " + what + " (" + std::to_string(++refused_) + " total)");
            spam_log(s, {"", "REFUSED", "Blocked subject " + what, "", "", s.last_rcpt, s.reverse_path}, d);
            return d;
        }
        if (iequals(f.name, "FROM")) {
            Decision d = blocked_address(s, f.value, "FROM", s.last_rcpt, s.reverse_path);
            if (!d.decided()) continue;
            ++refused_;                                                             // SMTP-196
            return std::move(d).with_reply(554, "5.7.1", "Sender not allowed.", false);
        }
        if (iequals(f.name, "TO") && !s.spam_bait) {
            Decision d = blocked_address(s, f.value, "TO", s.last_rcpt, s.reverse_path);
            if (!d.decided()) continue;
            ++refused_;
            return std::move(d).with_reply(550, "5.1.1", "Unknown user.", false);
        }
    }
    return {};
}

Decision AntiSpam::on_store(const SessionInfo& s, std::string_view header) {
    if (!s.spam_bait) return {};
    std::string info;                                                               // SMTP-255's sender-info
    NamedAddress sender = sender_of(s, header);
    if (s.authenticated) info = "'" + s.client_id + "' #" + std::to_string(s.user);
    else if (iequals(sender.name, sender.address)) info = "<" + sender.address + ">";
    else info = "'" + sender.name + "' <" + sender.address + ">";
    return Decision::discard().note(LogLevel::Notice, "!IGNORED SPAM MESSAGE from " + info + " to <" + s.last_rcpt +
                                                          "> (" + std::to_string(++ignored_) + " total)");
}

} // namespace sbbs::spam
