// External mail processors in the SMTP session (smtp.md section 15): the
// RCPT-time claim (SMTP-129, SMTP-133) and the end-of-data step (SMTP-178,
// SMTP-180): the message and recipient list go to files, the chain runs, and
// its reply, or the files it rewrote, decide what happens next.
#include "smtp/session.h"

#include "smtp/recipient_list.h"
#include "smtp/version.h"
#include "userbase/ars.h"

namespace sbbs::smtp {

namespace {

constexpr uint64_t kNoSizeLimitRead = 64u << 20;   // a .new file read when MaxMsgSize is 0

std::string with_crlf(const std::string& text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

unsigned count_lines(const std::string& s) {
    unsigned n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

} // namespace

// The sender a processor is judged by: the relay user, or user 0 (SMTP-215).
mailproc::Eligibility SmtpSession::processor_eligibility(const std::string& sender_address) {
    mailproc::Eligibility e;
    e.dnsbl_listed = dnsbl_.listed;
    e.spam_bait = tx_.spam_bait;
    e.sender_address = sender_address;
    e.meets_ars = [this](const std::string& ars) {
        if (ars.empty()) return true;
        User nobody;
        auto user = authenticated() ? users_.get(auth_user_) : Result<User>(nobody);
        if (!user.ok()) return false;
        auto met = evaluate_ars(ars, *user);
        if (!met.ok()) log_client(LogLevel::Error, "!Mail processor AccessRequirements: " + met.error().message);
        return met.ok() && *met;
    };
    return e;
}

std::optional<std::string> SmtpSession::processor_claim(const std::string& name, const std::string& address) {
    if (!extras_.mail_processors || extras_.mail_processors->empty()) return std::nullopt;
    std::string sender = tx_.reverse_path;
    if (sender.size() >= 2 && sender.front() == '<' && sender.back() == '>') sender = sender.substr(1, sender.size() - 2);
    return extras_.mail_processors->match_recipient(name, address, processor_eligibility(sender),
                                                    tx_.processor_matched);        // SMTP-129
}

mailproc::CommandValues SmtpSession::processor_values(const mailproc::WorkFiles& files,
                                                      const ParsedHeader& p) const {
    const InstallPaths& dirs = cfg_->paths;
    mailproc::CommandValues v;                                                        // SMTP-216
    v.message_file = files.message;
    v.new_message_file = files.new_message;
    v.recipient_list = files.recipient_list;
    v.error_file = files.error;
    v.debug_log = files.debug_log;
    v.client_host = client_host_;
    v.client_ip = client_ip_;
    v.sender_name = p.from.name;
    v.sender_address = p.from.address;
    v.user_number = auth_user_;
    v.reverse_path = tx_.reverse_path;
    v.recipient = tx_.last_rcpt;
    v.temp_dir = dirs.temp;
    v.data_dir = dirs.data;
    v.ctrl_dir = dirs.ctrl;
    v.text_dir = dirs.text;
    v.exec_dir = dirs.exec;
    v.sysop = cfg_->sys.operator_name;
    v.qwk_id = cfg_->sys.qwk_id;
    v.version = kVersion;
    v.platform = kPlatform;
    v.hello_name = helo_name_;
    return v;
}

// SMTP-180: a non-empty .new file replaces the message; it is split again
// into header and body as if it had been received.
bool SmtpSession::read_processed_message(const std::string& path, Spool& s) {
    uint64_t max = cfg_->mail.max_msg_size;
    auto text = mailproc::read_text(path, size_t(max ? max + 65536 + 4 : kNoSizeLimitRead));
    if (!text || text->empty()) return false;
    std::string all = with_crlf(*text);
    size_t blank = all.rfind("\r\n", 0) == 0 ? 0 : all.find("\r\n\r\n");
    Spool fresh;
    if (blank == std::string::npos) {
        fresh.header = all;
        if (fresh.header.size() < 2 || fresh.header.compare(fresh.header.size() - 2, 2, "\r\n") != 0)
            fresh.header += "\r\n";
    } else {
        fresh.header = all.substr(0, blank == 0 ? 0 : blank + 2);
        std::string body = all.substr(blank == 0 ? 2 : blank + 4);
        fresh.body_lines = count_lines(body);
        fresh.body.append(body);
    }
    fresh.body_bytes = fresh.body.size();
    fresh.header_lines = count_lines(fresh.header);
    // A processor saw what was kept of an oversized message: its output must
    // not turn that into a stored, truncated one (SMTP-184, SMTP-190 stand).
    fresh.too_big = s.too_big || (max && fresh.body_bytes > max);
    fresh.header_overflow = s.header_overflow || fresh.header.size() > 65535;
    s = std::move(fresh);
    return true;
}

// Ours (RFC 3461 4.1, 4.2): the list file has no place for NOTIFY/ORCPT
// (SMTP-158's keys), so an entry the processor kept (the same To and
// forward path as one received) keeps its RCPT's parameters; one it added
// asked for nothing.
dsn::RecipientParams SmtpSession::dsn_of_listed(const Recipient& listed) const {
    for (const Recipient& r : tx_.rcpts)
        if (r.to == listed.to && r.forward_path == listed.forward_path) return r.dsn;
    return {};
}

// SMTP-223: delivery follows the list as the processors left it. Ours
// (SMTP-205): an entry that names nobody (a claim whose processor did not
// run) is dropped with an error line; the others are still delivered.
void SmtpSession::read_processed_recipients(const std::string& path) {
    auto text = mailproc::read_text(path, 1u << 20);
    if (!text) return;
    std::vector<Recipient> rcpts;
    for (Recipient& r : parse_recipient_list(*text)) {
        if (!r.ext && !r.net_type) {
            log_client(LogLevel::Error, "!Recipient " + r.to + " has no destination: not delivered");
            continue;
        }
        r.dsn = dsn_of_listed(r);
        rcpts.push_back(std::move(r));
    }
    tx_.rcpts = std::move(rcpts);
}

std::optional<SmtpSession::Flow> SmtpSession::run_mail_processors(Spool& s) {
    mailproc::ProcessorChain* chain = extras_.mail_processors;
    if (!chain || chain->empty()) return std::nullopt;
    // Nothing to run (the usual case: processors keyed to other recipients):
    // no work files written, read back and removed for every message.
    if (!chain->may_run_any(processor_eligibility(""), tx_.processor_matched)) return std::nullopt;
    mailproc::WorkFilesGuard guard(mailproc::WorkFiles::in(cfg_->paths.temp, protocol_, session_id_));
    const mailproc::WorkFiles& files = guard.files();
    files.remove_all();
    ParsedHeader p = parse_rfc822_header(s.header);
    if (!p.has_from) {                                                                // SMTP-163
        std::string rp = tx_.reverse_path;
        if (rp.size() >= 2 && rp.front() == '<' && rp.back() == '>') rp = rp.substr(1, rp.size() - 2);
        p.from.address = rp;
        p.from.name = rp.find('@') == std::string::npos ? "" : rp.substr(0, rp.find('@'));
    }
    if (!mailproc::write_message(files.message, s.header, s.body.view()) ||
        !mailproc::write_text(files.recipient_list, recipient_list_text(tx_.rcpts))) {
        log_client(LogLevel::Error, "!ERROR writing mail processor files in " + cfg_->paths.temp);   // SMTP-161
        reply({452, "4.3.1", "Insufficient system storage"});
        return Flow::Continue;
    }
    auto outcome = chain->run(files, processor_values(files, p), processor_eligibility(p.from.address),
                              tx_.processor_matched, [this](LogLevel l, const std::string& t) { log_client(l, t); },
                              extras_.stopping);
    switch (outcome.kind) {
    case mailproc::ChainOutcome::Kind::Rejected:                                      // SMTP-221
        for (const std::string& line : outcome.reply_lines) reply_raw(line);
        return Flow::Continue;
    case mailproc::ChainOutcome::Kind::Handled:                                       // SMTP-222
        reply(ok());
        return Flow::Continue;
    case mailproc::ChainOutcome::Kind::NotHandled:
        break;
    }
    read_processed_recipients(files.recipient_list);                                  // SMTP-223
    read_processed_message(files.new_message, s);                                     // SMTP-180
    return std::nullopt;
}

} // namespace sbbs::smtp
