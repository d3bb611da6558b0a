// POP3 TRANSACTION and UPDATE states: STAT, LIST, UIDL, RETR, TOP, DELE, RSET,
// NOOP, CAPA, QUIT (pop3.md sections 8-12, RFC 1939).
#include "pop3/pop3_session.h"

#include "mailfmt/render_parts.h"
#include "util/strings.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace sbbs {

namespace {
std::string_view skip_blanks(std::string_view s) {
    while (!s.empty() && (s[0] == ' ' || s[0] == '\t')) s.remove_prefix(1);
    return s;
}

// Decimal prefix as the original's strtoul reads it ("2x" is 2).
uint64_t number_prefix(std::string_view s, size_t* used = nullptr) {
    uint64_t n = 0;
    size_t i = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i)
        n = std::min<uint64_t>(n * 10 + uint64_t(s[i] - '0'), UINT32_MAX + 1ULL);
    if (used) *used = i;
    return n;
}

// Log and echo a client line without ever showing credentials.
std::string shown(const std::string& line) {
    for (const char* word : {"PASS ", "AUTH ", "APOP "})
        if (istarts_with(line, word)) return line.substr(0, 4) + " ...";
    return line;
}

// Dot-stuff each line (including the pieces of a folded header line) and add CR LF.
void append_stuffed(std::string& out, const std::string& line) {
    size_t start = 0;
    for (;;) {
        if (start < line.size() && line[start] == '.') out += '.';
        size_t crlf = line.find("\r\n", start);
        if (crlf == std::string::npos) break;
        out.append(line, start, crlf + 2 - start);
        start = crlf + 2;
    }
    out.append(line, start, std::string::npos);
    out += "\r\n";
}
} // namespace

void Pop3Session::transact() {
    while (auto line = read_command()) {
        std::string cmd(trim_right(*line));
        if (debug()) log(LogLevel::Debug, "RX: " + shown(cmd));
        if (base_locked()) {             // POP3-59: maintenance began during the session
            log_user(LogLevel::Warning, "!MAIL BASE LOCKED");
            reply("-ERR database locked, try again later");
            break;
        }
        if (command(cmd) == Next::End) break;
    }
}

bool Pop3Session::base_locked() const {
    std::error_code ec;
    return !cfg_->paths.data.empty() && std::filesystem::exists(cfg_->mail_base() + ".lock", ec);
}

Pop3Session::Next Pop3Session::command(const std::string& line) {
    if (iequals(line, "NOOP")) { reply("+OK"); return Next::Continue; }
    if (iequals(line, "CAPA")) { send_capa(false); return Next::Continue; }
    if (iequals(line, "QUIT")) { update(); return Next::End; }
    if (iequals(line, "STAT")) {
        reply("+OK " + std::to_string(mailbox_.live_count()) + " " + std::to_string(mailbox_.live_bytes()));
        return Next::Continue;
    }
    if (iequals(line, "RSET")) { rset(); return Next::Continue; }
    if (istarts_with(line, "LIST")) { list(line, false); return Next::Continue; }
    if (istarts_with(line, "UIDL")) { list(line, true); return Next::Continue; }
    activity_ = true;
    if (istarts_with(line, "RETR ")) retrieve(line, false);
    else if (istarts_with(line, "TOP ")) retrieve(line, true);
    else if (istarts_with(line, "DELE ")) dele(line);
    else if (istarts_with(line, "USER ") || istarts_with(line, "PASS ")) reply("-ERR already authenticated");
    else {
        log_user(LogLevel::Notice, "!UNSUPPORTED COMMAND: '" + shown(line) + "'");
        reply("-ERR UNSUPPORTED COMMAND: " + shown(line));
    }
    return Next::Continue;
}

bool Pop3Session::still_present(const pop3::MailboxEntry& e) {
    auto m = store_.read(e.number, false);
    return m && !(m->hdr.attr & smb::attr::DELETE);
}

void Pop3Session::list(const std::string& line, bool uidl) {
    std::string_view arg = skip_blanks(std::string_view(line).substr(4));
    auto value = [&](const pop3::MailboxEntry& e) { return std::to_string(uidl ? e.number : e.size); };
    if (!arg.empty() && std::isdigit(static_cast<unsigned char>(arg[0]))) {
        uint64_t n = number_prefix(arg);
        pop3::MailboxEntry* e = mailbox_.at(n);
        if (!e) {
            log_user(LogLevel::Notice, "!INVALID message #" + std::to_string(n) + " of " +
                                           std::to_string(mailbox_.count()) + " with command: " + line);
            reply("-ERR no such message");
        } else if (e->deleted || !still_present(*e)) {
            log_user(LogLevel::Notice, "!ATTEMPT to list DELETED message");
            reply("-ERR message deleted");
        } else {
            reply("+OK " + std::to_string(n) + " " + value(*e));
        }
        return;
    }
    // One index scan tells which messages another program deleted meanwhile.
    std::set<uint32_t> present;
    auto current = store_.list_mailbox(user_->number);
    if (current)
        for (auto& s : *current) present.insert(s.number);
    std::string out = "+OK " + std::to_string(mailbox_.live_count()) + " messages (" +
                      std::to_string(mailbox_.live_bytes()) + " bytes)\r\n";
    size_t n = 0;
    for (auto& e : mailbox_.entries()) {
        ++n;
        if (e.deleted || (current && !present.count(e.number))) continue;
        out += std::to_string(n) + " " + value(e) + "\r\n";
    }
    reply(out + ".");
}

void Pop3Session::retrieve(const std::string& line, bool top) {
    std::string_view arg = skip_blanks(std::string_view(line).substr(4));
    size_t used = 0;
    uint64_t n = number_prefix(arg, &used);
    long lines = -1;
    if (top) {
        std::string_view rest = skip_blanks(arg.substr(used));
        lines = std::atol(std::string(rest).c_str());
        if (lines < 0) { reply("-ERR invalid line count"); return; }
    }
    pop3::MailboxEntry* e = mailbox_.at(n);
    if (!e) {
        log_user(LogLevel::Notice, "!ATTEMPTED to retrieve an INVALID message #" + std::to_string(n) + " of " +
                                       std::to_string(mailbox_.count()) + " with command: " + line);
        reply("-ERR no such message");
        return;
    }
    log_user(LogLevel::Info, "retrieving message #" + std::to_string(e->number) + " (" + std::to_string(n) +
                                 " of " + std::to_string(mailbox_.count()) + ") with command: " + line);
    send_message(*e, lines);
}

void Pop3Session::send_message(pop3::MailboxEntry& e, long lines) {
    auto msg = store_.read(e.number, true);
    if (e.deleted || (msg && (msg->hdr.attr & smb::attr::DELETE)) ||
        (!msg && msg.error().code == ErrorCode::NotFound)) {
        log_user(LogLevel::Notice, "!ATTEMPT to retrieve DELETED message");
        reply("-ERR message deleted");
        return;
    }
    if (!msg) {
        log_user(LogLevel::Error, "!ERROR (" + msg.error().message + ") retrieving message #" +
                                      std::to_string(e.number) + " text");
        reply("-ERR retrieving message text");
        return;
    }
    RenderedMessage r = render_message(*msg, render_context());
    if (lines > 0 && size_t(lines) >= r.text_bytes) lines = -1;   // POP3-79 BlackBerry work-around
    const bool full = lines < 0;
    const std::string sender = msg->hdr.get(smb::hf::SENDER);
    reply("+OK message follows");
    log_user(LogLevel::Debug, "sending message text (" + std::to_string(r.text_bytes) + " bytes) from " + sender);
    size_t count = full ? r.text.size() : std::min(r.text.size(), size_t(lines));
    std::string out;
    for (auto& l : r.header) append_stuffed(out, l);
    size_t body_bytes = 0;
    for (size_t i = 0; i < count; ++i) {
        append_stuffed(out, r.text[i]);
        body_bytes += r.text[i].size();
    }
    for (auto& l : full ? r.full_end : r.partial_end) append_stuffed(out, l);
    out += ".\r\n";
    bool sent = io_->write(out);
    if (cfg_->mail.has(mail_opt::DEBUG_TX)) log(LogLevel::Debug, "TX: " + out.substr(0, out.size() - 2));
    log(LogLevel::Debug, "sent " + std::to_string(count) + " lines (" + std::to_string(body_bytes) +
                             " bytes) of body text");
    if (full)
        for (auto& path : r.attachments) {
            log(LogLevel::Info, "MIME Encoding and sending " + path);
            for (auto& bad : r.unreadable)
                if (bad == path) log(LogLevel::Error, "!ERROR opening/encoding/sending " + path);
        }
    if (!sent || (!full && count < size_t(lines))) {
        log_user(LogLevel::Warning, "!ERROR sending message text (sent " + std::to_string(sent ? count : 0) +
                                        " of " + std::to_string(full ? r.text.size() : size_t(lines)) +
                                        " lines) from " + sender);
        return;
    }
    log_user(LogLevel::Debug, "message transfer complete (" + std::to_string(count) + " lines) from " + sender);
    // Only a complete RETR counts as reading the message (pop3.md POP3-82 note).
    if (full) mark_retrieved(e, r);
}

void Pop3Session::mark_retrieved(pop3::MailboxEntry& e, const RenderedMessage& r) {
    auto hdr = store_.read(e.number, false);
    if (!hdr) return;
    if (!cfg_->mail.has(mail_opt::NO_READ_POP3) && !(hdr->hdr.attr & smb::attr::READ)) {
        if (auto st = store_.change_attr(e.number, smb::attr::READ, 0); !st)
            log_user(LogLevel::Error, "!ERROR " + st.error().message + " updating message #" + std::to_string(e.number));
        else
            e.marked_read = true;
    }
    // POP3-95: attachments sent in full are removed when the sender asked for it.
    if (!(hdr->hdr.auxattr & smb::auxattr::KILLFILE) || r.attachments.empty() || !r.unreadable.empty()) return;
    bool all_removed = true;
    for (auto& path : r.attachments) {
        std::error_code ec;
        if (!std::filesystem::remove(path, ec)) {
            log(LogLevel::Warning, "!ERROR " + ec.message() + " removing " + path);
            all_removed = false;
        }
    }
    if (!all_removed) return;
    auto fresh = store_.read(e.number, false);
    if (!fresh) return;
    fresh->hdr.auxattr &= ~(smb::auxattr::FILEATTACH | smb::auxattr::KILLFILE);
    if (auto st = store_.update_header(fresh->hdr); !st)
        log_user(LogLevel::Error, "!ERROR " + st.error().message + " updating message #" + std::to_string(e.number));
}

void Pop3Session::dele(const std::string& line) {
    uint64_t n = number_prefix(skip_blanks(std::string_view(line).substr(5)));
    pop3::MailboxEntry* e = mailbox_.at(n);
    if (!e) {
        log_user(LogLevel::Notice, "!ATTEMPTED to delete an INVALID message #" + std::to_string(n) + " of " +
                                       std::to_string(mailbox_.count()) + " with command: " + line);
        reply("-ERR no such message");
        return;
    }
    if (e->deleted) { reply("-ERR message " + std::to_string(n) + " already deleted"); return; }
    // RFC 1939: only marked now; the mail base changes at QUIT (UPDATE state).
    e->deleted = true;
    reply("+OK");
}

void Pop3Session::rset() {
    for (auto& e : mailbox_.entries()) {
        e.deleted = false;
        if (!e.marked_read) continue;       // undo our read marking, as the original's RSET does
        if (auto st = store_.change_attr(e.number, 0, smb::attr::READ); st) e.marked_read = false;
    }
    reply("+OK " + std::to_string(mailbox_.live_count()) + " messages (" + std::to_string(mailbox_.live_bytes()) +
          " bytes)");
}

void Pop3Session::update() {
    size_t failed = 0;
    RenderContext ctx = render_context();
    for (auto& e : mailbox_.entries()) {
        if (!e.deleted) continue;
        log_user(LogLevel::Info, "deleting message #" + std::to_string(e.number));
        if (auto st = store_.change_attr(e.number, smb::attr::DELETE, 0); !st) {
            log_user(LogLevel::Error, "!ERROR " + st.error().message + " marking message #" +
                                          std::to_string(e.number) + " for deletion");
            ++failed;
            continue;
        }
        remove_attachments(e, ctx);
        if (debug()) log_user(LogLevel::Info, "message deleted");
    }
    reply(failed ? "-ERR some deleted messages not removed" : "+OK");
}

void Pop3Session::remove_attachments(const pop3::MailboxEntry& e, const RenderContext& ctx) {
    auto m = store_.read(e.number, false);
    if (!m || !(m->hdr.auxattr & smb::auxattr::FILEATTACH)) return;
    std::string dir;
    for (auto& path : render::attachment_paths(m->hdr, ctx)) {
        dir = path.substr(0, path.find_last_of('/'));
        std::error_code ec;
        if (!std::filesystem::remove(path, ec) && ec)
            log(LogLevel::Error, "!ERROR " + std::to_string(ec.value()) + " deleting attachment: " +
                                     m->hdr.get(smb::hf::SUBJECT));
    }
    std::error_code ec;
    if (!dir.empty() && std::filesystem::is_empty(dir, ec)) std::filesystem::remove(dir, ec);
}

} // namespace sbbs
