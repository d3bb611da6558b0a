// The DNSBL rules once a message has been received: the From: exemption,
// Received: relays, tagging, DNSBL_IGNORE and the spam hash base
// (SMTP-183..SMTP-194, section 17).
#include "spam/dnsbl.h"

#include "config/options.h"
#include "log/system_time.h"
#include "spam/anti_spam.h"
#include "spam/mail_address.h"
#include "util/strings.h"

namespace sbbs::spam {

namespace {

// A hostile message may carry many Received: lines; each costs a look-up per
// zone, so only the first few relays are asked (ours: a bound on the delay).
constexpr int kMaxReceivedChecked = 8;

struct Relay {
    std::string host, ip;
};

// SMTP-239: the word after the first "from " and the first [...] of the field.
std::optional<Relay> relay_of(const std::string& value) {
    std::string v = to_lower(value);
    Relay r;
    if (auto from = v.find("from "); from != std::string::npos) {
        size_t start = v.find_first_not_of(' ', from + 5);
        if (start != std::string::npos) r.host = v.substr(start, v.find_first_of(" \t\r\n", start) - start);
    }
    auto open = v.find('[');
    if (open == std::string::npos) return std::nullopt;
    auto close = v.find(']', open);
    if (close == std::string::npos) return std::nullopt;
    r.ip = v.substr(open + 1, close - open - 1);
    if (r.ip.starts_with("ipv6:")) r.ip.erase(0, 5);
    if (r.ip.empty()) return std::nullopt;
    return r;
}

// The sender as the original's log lines name it: "<address>", or
// "'name' <address>" when the From: name is not the address itself.
std::string sender_info(const NamedAddress& from) {
    if (from.name.empty() || from.name == from.address) return "<" + from.address + ">";
    return "'" + from.name + "' <" + from.address + ">";
}

bool has_subject(std::string_view header) {
    for (const HeaderField& f : header_fields(header))
        if (iequals(f.name, "SUBJECT")) return true;
    return false;
}

} // namespace

std::string tagged_header(std::string_view header, const std::string& subject_tag, const std::string& header_name,
                          const DnsblListing& l) {
    std::string out;
    bool tagged = subject_tag.empty();
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find('\n', pos);
        end = end == std::string_view::npos ? header.size() : end + 1;
        std::string_view line = header.substr(pos, end - pos);
        if (!tagged && istarts_with(line, "Subject:")) {                              // SMTP-186
            size_t v = line.find_first_not_of(" \t", 8);
            v = v == std::string_view::npos ? line.size() : v;
            out += std::string(line.substr(0, v)) + subject_tag + ": " + std::string(line.substr(v));
            tagged = true;
        } else {
            out += line;
        }
        pos = end;
    }
    if (header_name.empty()) return out;
    if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
    return out + header_name + ": " + l.ip + " is listed on " + l.dnsbl + " as " + l.result + "\r\n";
}

std::optional<DnsblListing> Dnsbl::received_listing(std::string_view header, Decision& d) {
    int asked = 0;
    const auto deadline = lookup_->deadline();                      // one budget for all relays
    for (const HeaderField& f : header_fields(header)) {                            // SMTP-185
        if (!iequals(f.name, "RECEIVED")) continue;
        auto relay = relay_of(f.value);
        if (!relay) continue;
        if (++asked > kMaxReceivedChecked) break;
        DnsblOutcome o = lookup_->lookup(relay->ip, relay->host, deadline);
        note_problems(o, d);
        if (!o.hit) continue;
        d.note(LogLevel::Notice, "[" + relay->ip + "] BLACKLISTED SERVER on " + o.hit->dnsbl + ": " + relay->host +
                                     " = " + o.hit->result, false);                  // SMTP-239
        return DnsblListing{true, relay->ip, o.hit->dnsbl, o.hit->result, true};
    }
    return std::nullopt;
}

Decision Dnsbl::on_header(const SessionInfo& s, DnsblListing& l, std::string_view header, const TextPieces& body,
                          MessageMarks& marks) {
    Decision d;
    if (l.via_received) l = {};             // a message refused after its Received: check left it
    if (s.authenticated) return d;                                                  // SMTP-250, ours: SMTP-193
    if (s.spam_bait)                                                                // SMTP-192
        if (auto st = hashes_.add(body, std::time(nullptr)); !st)
            d.note(LogLevel::Error, "!ERROR " + st.error().message + " adding to the SPAM database");
    if (l.listed) {
        for (const HeaderField& f : header_fields(header)) {                        // SMTP-183
            if (!iequals(f.name, "FROM")) continue;
            NamedAddress from = split_mail_address(f.value);
            if (lookup_->sender_exempt(from.address)) {
                l = {};
                d.note(LogLevel::Info, "Ignoring DNSBL results for exempt sender (from): " + from.address);
            }
        }
    }
    if (!l.listed && settings_.has(mail_opt::DNSBL_CHKRECVHDRS))                    // SMTP-185, SMTP-247
        if (auto r = received_listing(header, d)) l = *r;
    if (!l.listed || settings_.has(mail_opt::DNSBL_IGNORE)) return d;              // SMTP-245: no tags
    marks.spam = true;                                                              // SMTP-186, SMTP-246
    // SMTP-246: a listing found only in a Received: header does not tag the subject.
    marks.header = tagged_header(marks.header, l.via_received ? std::string() : settings_.subject, settings_.header, l);
    if (!l.via_received && !settings_.subject.empty() && has_subject(header))
        d.note(LogLevel::Notice, "TAGGED MAIL SUBJECT from blacklisted server with: " + settings_.subject);
    if (!settings_.header.empty())
        d.note(LogLevel::Notice, "TAGGED MAIL HEADER from blacklisted server with: " + settings_.header);
    if (!settings_.header.empty() || !settings_.subject.empty())
        spam_log(s, {"", "TAGGED", "Listed on " + l.dnsbl + " as " + l.result, "", l.ip, s.last_rcpt, s.reverse_path},
                 d);
    return d;
}

namespace {

// A discard carrying the notes gathered so far (SMTP-194: 250 OK, nothing stored).
Decision discard_with(Decision&& notes) {
    Decision d = Decision::discard();
    d.notes = std::move(notes.notes);
    return d;
}

} // namespace

Decision Dnsbl::on_store(const SessionInfo& s, DnsblListing& l, std::string_view header, const TextPieces& body) {
    Decision d;
    const DnsblListing listing = l;
    const bool listed = listed_unauthenticated(s, l);
    if (l.via_received) l = {};                                                     // SMTP-239: this message only
    if (s.authenticated) return d;                                                  // ours: SMTP-193
    std::time_t now = std::time(nullptr);
    if (auto added = hashes_.find(body)) {                                          // SMTP-192
        const std::string sender = sender_info(AntiSpam::sender_of(s, header));
        const std::string found = "TEXT_BODY (hash) found in SPAM database (added on " +
                                  system_time_text(*added, settings_.sys_settings) + ")";
        d.note(LogLevel::Notice, "Message from " + sender + " " + found);
        spam_log(s, {"", "IGNORED", found, "", "", s.last_rcpt, s.reverse_path}, d);
        return discard_with(std::move(d)).note(LogLevel::Notice, "!IGNORED SPAM MESSAGE from " + sender + " to <" +
                                                                     s.last_rcpt + "> (" +
                                                                     std::to_string(++ignored_) + " total)");
    }
    if (listed && settings_.has(mail_opt::DNSBL_SPAMHASH))                          // SMTP-249
        if (auto st = hashes_.add(body, now); !st)
            d.note(LogLevel::Error, "!ERROR " + st.error().message + " adding to the SPAM database");
    if (!listed || !settings_.has(mail_opt::DNSBL_IGNORE)) return d;                // SMTP-245
    std::string reason = "Listed on " + listing.dnsbl + " as " + listing.result;
    d.note(LogLevel::Notice, "!IGNORED MAIL from " + sender_info(AntiSpam::sender_of(s, header)) + " to <" +
                                 s.last_rcpt + "> from server: " + reason + " (" + std::to_string(++ignored_) +
                                 " total)");
    spam_log(s, {"", "IGNORED", reason, "", listing.ip, s.last_rcpt, s.reverse_path}, d);
    return discard_with(std::move(d));
}

} // namespace sbbs::spam
