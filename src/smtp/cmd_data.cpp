// DATA: reception with dot-unstuffing and line limits (SMTP-160..SMTP-172)
// and the end-of-data checks before storage (SMTP-173..SMTP-190). MaxMsgSize
// is enforced while receiving: the body stops being spooled at the limit.
#include "smtp/address.h"
#include "smtp/message_intake.h"
#include "smtp/session.h"

#include "util/strings.h"

namespace sbbs::smtp {

SmtpSession::Flow SmtpSession::cmd_data() {
    if (phase_ != Phase::HaveRecipients) {                                            // SMTP-160
        reply(bad_sequence());
        return Flow::Continue;
    }
    // RFC 3030 section 2: DATA and BDAT never mix in one transaction; the
    // BDAT state stays as it was.
    if (tx_.chunks) {
        reply({503, "5.5.1", "Bad sequence of commands: DATA after BDAT"});
        return Flow::Continue;
    }
    // RFC 3030 section 3: after BODY=BINARYMIME only BDAT may carry the
    // text; the transaction stays for the client to RSET.
    if (tx_.binarymime) {
        reply({503, "5.5.1", "Bad sequence of commands: BODY=BINARYMIME requires BDAT"});
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

SmtpSession::Flow SmtpSession::receive_data(Spool& s) {
    MessageIntake intake(s, tx_.kind == MailKind::Mail, max_body());                  // SMTP-169
    if (cfg_->mail.has(mail_opt::DEBUG_RX_HEADER))
        intake.on_header_line = [this](const std::string& l) { log_client(LogLevel::Debug, "RX: " + l); };
    bool after_crlf = true;
    for (;;) {
        ReadLine in = read(1000);
        if (in.status == ReadStatus::TooLong) {
            reply({500, "5.5.2", std::string("Line too long (") + (intake.in_header() ? "header" : "body") + ")"});
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
        auto v = intake.line(std::move(line), true);
        if (v == MessageIntake::LineVerdict::Kept) continue;
        reply({500, "5.5.2", v == MessageIntake::LineVerdict::HeaderTooLong ? "Line too long (header)"   // SMTP-166
                                                                            : "Line too long (body)"});  // SMTP-170
        return Flow::Close;
    }
}

// MaxMsgSize 0 is "unlimited" (CFG-65), but an SMB data field holds at most
// 2 GiB (FMT-136: bit 31 of a length is invalid): past that, refuse (552).
uint64_t SmtpSession::max_body() const {
    return cfg_->mail.max_msg_size ? cfg_->mail.max_msg_size : kSmbMaxBody;
}

Reply SmtpSession::too_big(const Spool& s) const {                                    // SMTP-190
    return {552, "5.3.4", "Message size (" + std::to_string(s.body_bytes) + ") exceeds maximum: " +
                              std::to_string(max_body()) + " bytes"};
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
    data_ended_ = std::chrono::steady_clock::now();   // issue #17: accept latency starts here
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
    if (auto refused = stamp_authentication(s.header, body, marks)) {                // issue #16: A-R, tags; 550 5.7.1 (DMARCPolicy)
        reply(*refused);
        return Flow::Continue;
    }
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
        reply(too_big(s));
        return Flow::Continue;
    }
    if (!tx_.sub_code.empty()) return post_mail(p, body, attr);                       // SMTP-191
    v = filters_.consult([&](SmtpFilter& f) { return f.on_store(facts(), msg); });
    if (v.decided()) return apply(v);                                                 // SMTP-194
    bool stored = false;
    Flow f = store_mail(p, marks.header, body, attr, stored);                                       // SMTP-195
    if (stored && !(attr & smb::attr::SPAM)) archive(s);                              // SMTP-211
    return f;
}

} // namespace sbbs::smtp
