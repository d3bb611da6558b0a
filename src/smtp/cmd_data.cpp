// DATA: reception with dot-unstuffing and line limits (SMTP-160..SMTP-172)
// and the end-of-data checks before storage (SMTP-173..SMTP-190). MaxMsgSize
// is enforced while receiving: the body stops being spooled at the limit.
#include "smtp/address.h"
#include "smtp/session.h"

#include "util/strings.h"

namespace sbbs::smtp {

SmtpSession::Flow SmtpSession::cmd_data() {
    if (phase_ != Phase::HaveRecipients) {                                            // SMTP-160
        reply(bad_sequence());
        return Flow::Continue;
    }
    bool telegram = tx_.kind != MailKind::Mail;
    log_client(LogLevel::Info, std::string("Receiving ") + (telegram ? "telegram" : "mail") + " message from " +
                                   tx_.reverse_path + " to " + tx_.last_rcpt);         // SMTP-162
    reply({354, "", "send the mail data, end with <CRLF>.<CRLF>"});
    Spool spool;
    if (receive_data(spool) == Flow::Close) return Flow::Close;
    phase_ = Phase::Ready;                                                            // SMTP-172
    Flow f = end_of_data(spool);
    reset_transaction();
    return f;
}

// SMTP-164 as RFC 5321 4.1.1.4 has it: the message ends only at CR LF . CR LF
// (the DATA command itself counts as the first CR LF). A "." ended or preceded
// by a bare LF is data, so a second message hidden behind <LF>.<LF> or the
// like is never read as new commands (SEC-2, SMTP smuggling). White space
// after the dot still counts (SMTP-164): a sender dot-stuffs such a line.
static bool ends_data(std::string_view line, bool after_crlf, LineEnd end) {
    if (!after_crlf || end != LineEnd::CrLf || !line.starts_with('.')) return false;
    return line.find_first_not_of(" \t", 1) == std::string_view::npos;
}

// SEC-2: a bare LF has ended its line and is stored as CR LF, as Postfix's
// smtpd_forbid_bare_newline = normalize does; a bare CR in the body becomes
// CR LF too, so no bare line end is stored and later relayed to a server
// that would take it for one (header lines drop theirs, SMTP-165).
static std::string bare_cr_as_crlf(std::string line) {
    if (line.find('\r') == std::string::npos) return line;
    std::string out;
    out.reserve(line.size() + 16);
    for (char c : line) {
        if (c == '\r') out += "\r\n";
        else out += c;
    }
    return out;
}

SmtpSession::Flow SmtpSession::receive_data(Spool& s) {
    bool in_header = tx_.kind == MailKind::Mail;                                      // SMTP-169
    // MaxMsgSize 0 is "unlimited" (CFG-65), but an SMB data field holds at most
    // 2 GiB (FMT-136: bit 31 of a length is invalid): past that, refuse (552).
    uint64_t max = cfg_->mail.max_msg_size ? cfg_->mail.max_msg_size : kSmbMaxBody;
    bool after_crlf = true;
    for (;;) {
        ReadLine in = read(1000);
        if (in.status == ReadStatus::TooLong) {
            reply({500, "5.5.2", std::string("Line too long (") + (in_header ? "header" : "body") + ")"});
            return Flow::Close;
        }
        if (in.status != ReadStatus::Line) {
            log_client(LogLevel::Warning, "!Sender disconnected (premature evacuation)");   // SMTP-174
            return Flow::Close;
        }
        bool ends = ends_data(in.line, after_crlf, in.end);                           // SMTP-164
        after_crlf = in.end == LineEnd::CrLf;
        if (ends) return Flow::Continue;
        std::string& line = in.line;
        if (line.size() > 1 && line[0] == '.') line.erase(0, 1);                      // ours: SMTP-165 too
        if (in_header) {
            std::string clean;
            for (char c : line) if (c != '\r') clean += c;                            // SMTP-165
            // A line of bare CRs ends the header too: stored as an empty line
            // inside it, readers would disagree on where the header ends.
            if (clean.empty()) { in_header = false; continue; }
            if (clean.size() > 998) {                                                 // SMTP-166
                reply({500, "5.5.2", "Line too long (header)"});
                return Flow::Close;
            }
            if (cfg_->mail.has(mail_opt::DEBUG_RX_HEADER)) log_client(LogLevel::Debug, "RX: " + clean);
            ++s.header_lines;
            if (s.header_overflow) continue;
            s.header += clean;
            s.header += "\r\n";
            if (s.header.size() > 65535) s.header_overflow = true;                        // bounded, SMTP-184
            continue;
        }
        if (line.size() > 998) {                                                      // SMTP-170
            reply({500, "5.5.2", "Line too long (body)"});
            return Flow::Close;
        }
        line = bare_cr_as_crlf(std::move(line));                                      // SEC-2
        s.body_bytes += line.size() + 2;
        ++s.body_lines;
        if (max && s.body_bytes > max) s.too_big = true;                              // ours: SMTP-171
        if (s.too_big) continue;
        line += "\r\n";
        s.body.append(line);                                          // whole lines, in chunks of 256 KiB
    }
}

static bool looks_like_address(const std::string& s) {
    return s.find('@') != std::string::npos && s.find(' ') == std::string::npos;
}

// SMTP-182 (SEC-3): every mailbox of every From: field must pass the check;
// a From: that cannot be read as mailboxes, or names none (e.g. a comment and
// an address run together, or "<>"), is refused as well. Returns the address
// to name in the refusal, or nothing when all pass.
template <class Allowed>
static std::optional<std::string> refused_from(const ParsedHeader& p, Allowed allowed) {
    if (p.from_all.malformed || p.from_all.mailboxes.empty())
        return p.from.address.empty() ? std::string("<>") : p.from.address;
    for (auto& m : p.from_all.mailboxes)
        if (!allowed(m.address)) return m.address;
    return std::nullopt;
}

SmtpSession::Flow SmtpSession::end_of_data(Spool& s) {
    if (s.header.empty() && s.body_bytes == 0) {                                       // SMTP-173
        reply({554, "5.6.0", "No message text"});
        return Flow::Continue;
    }
    log_client(LogLevel::Info, "End of message (body: " + std::to_string(s.body_lines) + " lines, " +
                                   std::to_string(s.body_bytes) + " bytes, header: " +
                                   std::to_string(s.header_lines) + " lines, " +
                                   std::to_string(s.header.size()) + " bytes)");     // SMTP-174
    std::vector<std::string> addrs;
    for (auto& r : tx_.rcpts) addrs.push_back(r.to);
    TextPieces body = s.body.view();
    spam::MessageMarks marks{s.header, false};                                         // SMTP-186
    const ReceivedMessage msg{s.header, body, addrs, &marks};
    Verdict v = filters_.consult([&](SmtpFilter& f) { return f.on_data_end(facts(), msg); });
    if (v.decided()) return apply(v);                                                 // SMTP-175, SMTP-178
    if (tx_.kind != MailKind::Mail) return deliver_telegram(body, s.body_bytes);      // SMTP-176
    if (auto handled = run_mail_processors(s)) return *handled;                       // SMTP-178
    body = s.body.view();                               // a processor may have replaced the text:
    marks.header = s.header;                            // the checks below and storage read the new one
    addrs.clear();
    for (auto& r : tx_.rcpts) addrs.push_back(r.to);
    if (tx_.rcpts.empty() && tx_.sub_code.empty()) {                                  // SMTP-179
        log_client(LogLevel::Debug, "No recipients in recipient list");
        reply(ok());
        return Flow::Continue;
    }
    v = filters_.consult([&](SmtpFilter& f) { return f.on_header(facts(), msg); });
    if (v.decided()) return apply(v);                                                 // SMTP-181
    if (s.header_overflow) {                                                          // SMTP-184
        reply({452, "4.3.1", "Insufficient system storage"});
        return Flow::Continue;
    }
    ParsedHeader p = parse_rfc822_header(marks.header);                               // SMTP-181
    if (is_submission(listener_) && authenticated() && p.has_from) {                  // SMTP-182
        auto u = users_.get(auth_user_);
        auto refused = refused_from(p, [&](const std::string& a) { return u.ok() && sender_address_allowed(*u, a, tx_.smtputf8); });
        if (refused) {
            reply({550, "5.7.1", "Mail header 'FROM' address <" + *refused +
                                     "> not authorized for this account, try <" + (u.ok() ? alias_address(*u) : "") +
                                     ">"});
            return Flow::Continue;
        }
    }
    uint16_t attr = 0;
    if (p.spam || marks.spam) attr |= smb::attr::SPAM;                                // SMTP-199, SMTP-186
    if ((cfg_->sys.settings & SystemSettings::SYS_DELREADM) ||                        // SMTP-187
        (cfg_->mail.has(mail_opt::KILL_READ_SPAM) && (attr & smb::attr::SPAM)))
        attr |= smb::attr::KILLREAD;
    std::string rp = without_angles(tx_.reverse_path);
    if (!p.has_from) {                                                                // SMTP-163
        auto at = rp.find('@');
        p.from.address = rp;
        p.from.name = at == std::string::npos ? "" : rp.substr(0, at);
    }
    if (p.from.name.empty()) {                                                        // SMTP-188
        reply({554, "5.6.0", "Mail header missing 'FROM' field"});
        return Flow::Continue;
    }
    if (!authenticated() && looks_like_address(p.from.name) &&                       // SMTP-189
        without_angles(p.from.name) != p.from.address && p.from.name != p.from.address) {
        reply({554, "5.7.1", "Mail header contains mismatched 'FROM' field"});
        return Flow::Continue;
    }
    if (s.too_big) {                                                                  // SMTP-190
        uint64_t max = cfg_->mail.max_msg_size ? cfg_->mail.max_msg_size : kSmbMaxBody;
        reply({552, "5.3.4", "Message size (" + std::to_string(s.body_bytes) + ") exceeds maximum: " +
                                 std::to_string(max) + " bytes"});
        return Flow::Continue;
    }
    if (!tx_.sub_code.empty()) return post_mail(p, body, attr);                       // SMTP-191
    v = filters_.consult([&](SmtpFilter& f) { return f.on_store(facts(), msg); });
    if (v.decided()) return apply(v);                                                 // SMTP-194
    bool stored = false;
    Flow f = store_mail(p, body, attr, stored);                                       // SMTP-195
    if (stored && !(attr & smb::attr::SPAM)) archive(s);                              // SMTP-211
    return f;
}

} // namespace sbbs::smtp
