// Envelope checks: text/email.can on the reverse path and recipients
// (SMTP-94, SMTP-113) and spam baits (SMTP-110, SMTP-111), in the order of
// SMTP-115. Authenticated senders skip email.can; a bait is a bait for all.
#include "spam/anti_spam.h"

#include "spam/block_list.h"

namespace sbbs::spam {

// The original's chk_email_addr(): display name and address both tested
// (SMTP-234); `q=` keeps the rejection but drops the log and spam.log lines.
Decision AntiSpam::blocked_address(const SessionInfo& s, std::string_view text, const char* source,
                                   std::optional<std::string> to, std::optional<std::string> from) {
    NamedAddress a = split_mail_address(text);
    std::shared_ptr<const PatternList> email_can = email_can_.get();
    const ListEntry* e = email_can->find(a.name, a.address);
    if (!e) return {};
    Decision d;
    d.kind = Decision::Kind::Refuse;
    if (e->quiet()) return d;
    d.note(LogLevel::Notice, "[" + s.ip + "] !BLOCKED " + std::string(source) + " e-mail address: " +   // the IP,
                                 std::string(text) + " " + entry_details(*e), false);                 // not the alias
    spam_log(s, {"", "REFUSED", "Blocked " + std::string(source) + " e-mail address: " + std::string(text), "", "",
                 std::move(to), std::move(from)},
             d);
    return d;
}

Decision AntiSpam::on_reverse_path(const SessionInfo& s, std::string_view arg) {
    if (s.authenticated) return {};
    Decision d = blocked_address(s, arg, "REVERSE PATH", std::nullopt, std::nullopt);  // SMTP-94
    if (!d.decided()) return d;
    ++refused_;
    return std::move(d).with_reply(554, "5.7.1", "Sender not allowed.", true);
}

Decision AntiSpam::on_recipient(const SessionInfo& s, const std::string& address, const std::string& raw) {
    if (spam_bait_.get()->contains(address))   // SMTP-110
        return spam_bait(s, address);
    if (s.authenticated) return {};
    Decision d = blocked_address(s, address, "RECIPIENT", address, s.reverse_path);  // SMTP-113
    if (!d.decided()) return d;
    ++refused_;
    return std::move(d).with_reply(550, "5.1.1", "Unknown User: " + raw, false);
}

Decision AntiSpam::spam_bait(const SessionInfo& s, const std::string& address) {
    std::string reason = "SPAM BAIT (" + address + ") taken";
    Decision d = Decision::discard();
    d.note(LogLevel::Notice, reason + " by: " + s.reverse_path);
    if (s.authenticated) return d;
    std::string action = "IGNORED";
    // SMTP-111: a DNSBL-listed session is not double-filtered.
    if (!s.dnsbl_listed && !spam_block_exempt(s)) {
        BlockRequest b{s.ip, s.host, s.protocol, reason, s.reverse_path, paths_.spam_block_duration_s};
        std::unique_lock<std::mutex> one_writer(block_mu_);
        auto added = add_blocked_ip(spam_block_.path(), b, *ipfilter_exempt_.get(), std::time(nullptr));
        one_writer.unlock();
        if (!added)
            d.note(LogLevel::Error, "!ERROR " + added.error().message + " adding to " + spam_block_.path());
        else if (*added) {
            spam_block_.invalidate();   // ours: the very next session is refused
            d.note(LogLevel::Notice, "!BLOCKING IP ADDRESS: " + s.client_id + " in " + spam_block_.path(), false);
            action += " and BLOCKED";
        }
    }
    spam_log(s, {"", action, "Attempted recipient in SPAM BAIT list", "", "", address, s.reverse_path}, d);
    return d;
}

} // namespace sbbs::spam
