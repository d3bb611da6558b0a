// Dnsbl: the session-time DNSBL rules (see dnsbl.h); the message-time ones
// are in dnsbl_message.cpp.
#include "spam/dnsbl.h"

#include "config/options.h"

namespace sbbs::spam {

DnsblSettings DnsblSettings::of(const Config& cfg) {
    DnsblSettings s;
    s.logs = cfg.paths.logs;
    s.options = cfg.mail.options;
    s.header = cfg.mail.dnsbl_header;
    s.subject = cfg.mail.dnsbl_subject;
    s.sys_settings = cfg.sys.settings;
    return s;
}

Dnsbl::Dnsbl(DnsblSettings settings, std::unique_ptr<DnsblLookup> lookup, SpamHashBase hashes)
    : settings_(std::move(settings)), lookup_(std::move(lookup)), hashes_(std::move(hashes)) {}

void Dnsbl::spam_log(const SessionInfo& s, SpamEvent e, Decision& d) const {
    log_spam_event(settings_.logs, settings_.sys_settings, s, std::move(e), d);
}

void Dnsbl::note_problems(const DnsblOutcome& o, Decision& d) const {
    for (const std::string& p : o.problems)                                          // fail open, logged
        d.note(p.front() == '!' ? LogLevel::Error : LogLevel::Warning, p);
}

Decision Dnsbl::on_connect(const SessionInfo& s, DnsblListing& l) {
    Decision d;
    if (s.ip == s.server_ip || lookup_->client_exempt(s.ip, s.host)) return d;      // SMTP-24, SMTP-25
    DnsblOutcome o = lookup_->lookup(s.ip, s.host);                                  // SMTP-237
    note_problems(o, d);
    if (!o.hit) return d;
    l = {true, s.ip, o.hit->dnsbl, o.hit->result, false};
    d.note(LogLevel::Notice, "BLACKLISTED SERVER on " + l.dnsbl + ": " + s.host + " = " + l.result);
    if (!settings_.has(mail_opt::DNSBL_REFUSE)) return d;                           // SMTP-243
    spam_log(s, {"", "SESSION REFUSED", "Listed on " + l.dnsbl + " as " + l.result, "", "", std::nullopt, std::nullopt},
             d);
    Decision r = Decision::refuse(550, "5.7.1", "Mail from " + s.ip + " refused due to listing at " + l.dnsbl, true);
    r.notes = std::move(d.notes);
    r.note(LogLevel::Notice, "!REFUSED SESSION from blacklisted server (" + std::to_string(++refused_) + " total)",
           false);
    return r;
}

Decision Dnsbl::on_reverse_path(const SessionInfo& s, DnsblListing& l) {
    Decision d;
    if (!l.listed || !lookup_->sender_exempt(s.reverse_path)) return d;              // SMTP-100
    l = {};
    d.note(LogLevel::Info, "Ignoring DNSBL results for exempt sender: " + s.reverse_path);
    return d;
}

Decision Dnsbl::on_recipient(const SessionInfo& s, const DnsblListing& l) {
    if (!listed_unauthenticated(s, l) || !settings_.has(mail_opt::DNSBL_BADUSER)) return {};   // SMTP-244
    Decision d = Decision::refuse(550, "5.7.1", "Mail from " + s.ip + " refused due to listing at " + l.dnsbl, true);
    d.note(LogLevel::Notice, "!REFUSED MAIL from blacklisted server (" + std::to_string(++refused_) + " total)");
    spam_log(s, {"", "REFUSED", "Listed on " + l.dnsbl + " as " + l.result, "", "", s.last_rcpt, s.reverse_path}, d);
    return d;
}

} // namespace sbbs::spam
