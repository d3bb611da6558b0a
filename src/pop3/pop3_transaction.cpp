// POP3 TRANSACTION and UPDATE states: STAT, LIST, UIDL, RETR, TOP, DELE, RSET,
// NOOP, CAPA, QUIT (pop3.md sections 8-12, RFC 1939).
#include "pop3/pop3_session.h"

#include "pop3/retr_text.h"
#include "util/mail_metrics.h"

#include "mailfmt/render_parts.h"
#include "util/strings.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>

#include <sys/stat.h>

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

} // namespace

void Pop3Session::transact() {
    while (auto line = read_command()) {
        std::string cmd(trim_right(*line));
        if (debug()) log(LogLevel::Debug, "RX: " + shown(cmd));
        if (auto limited = request_gate_ ? request_gate_(io_->peer_ip(), host_) : std::nullopt) {   // POP3-58
            log_client(LogLevel::Notice, "<" + user_->alias + "> Too many requests per rate limit (" +
                                             std::to_string(limited->max) + " over " +
                                             std::to_string(limited->period_s) + "s) for " + limited->key);
            if (limited->blocked) log(LogLevel::Notice, *limited->blocked);
            reply("-ERR too many requests, try again later");
            break;
        }
        if (base_locked()) {             // POP3-59: maintenance began during the session
            log_user(LogLevel::Warning, "!MAIL BASE LOCKED");
            reply("-ERR database locked, try again later");
            break;
        }
        if (command(cmd) == Next::End) break;
    }
}

// Asked before every command: one stat(2) of a path built once per session,
// not a std::filesystem::path parsed each time.
bool Pop3Session::base_locked() const {
    if (cfg_->paths.data.empty()) return false;
    if (base_lock_path_.empty()) base_lock_path_ = cfg_->mail_base() + ".lock";
    struct stat st;
    return ::stat(base_lock_path_.c_str(), &st) == 0;
}

Pop3Session::Next Pop3Session::command(const std::string& line) {
    if (iequals(line, "NOOP")) { reply("+OK"); return Next::Continue; }
    if (iequals(line, "CAPA")) { send_capa(false); return Next::Continue; }
    if (iequals(line, "QUIT")) { update(); return Next::End; }
    if (iequals(line, "STAT")) {
        if (!measure(0, mailbox_.count())) return Next::End;
        reply("+OK " + std::to_string(mailbox_.live_count()) + " " + std::to_string(*mailbox_.live_bytes()));
        return Next::Continue;
    }
    if (iequals(line, "RSET")) { rset(); return Next::Continue; }
    if (istarts_with(line, "LIST")) return list(line, false);
    if (istarts_with(line, "UIDL")) return list(line, true);
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

// Sizes of entries [first, end) measured, in batches (issue #13 item 1); on
// failure the client has its -ERR and the session ends, as at login.
bool Pop3Session::measure(size_t first, size_t end) {
    if (auto failed = mailbox_.measure(store_, render_context(), first, end)) return measure_failed(*failed);
    return true;
}

Pop3Session::Next Pop3Session::list(const std::string& line, bool uidl) {
    std::string_view arg = skip_blanks(std::string_view(line).substr(4));
    auto value = [&](const pop3::MailboxEntry& e) { return std::to_string(uidl ? e.number : e.size.value_or(0)); };
    if (!arg.empty() && std::isdigit(static_cast<unsigned char>(arg[0]))) {
        uint64_t n = number_prefix(arg);
        pop3::MailboxEntry* e = mailbox_.at(n);
        if (!e) {
            log_user(LogLevel::Notice, "!INVALID message #" + std::to_string(n) + " of " +
                                           std::to_string(mailbox_.count()) + " with command: " + line);
            reply("-ERR no such message");
        } else if (e->deleted || e->vanished || !still_present(*e)) {
            log_user(LogLevel::Notice, "!ATTEMPT to list DELETED message");
            reply("-ERR message deleted");
        } else if (!uidl && !measure(size_t(n - 1), size_t(n))) {
            return Next::End;
        } else {
            reply("+OK " + std::to_string(n) + " " + value(*e));
        }
        return Next::Continue;
    }
    if (!uidl && !measure(0, mailbox_.count())) return Next::End;   // UIDL needs the numbers only
    // One index scan tells which messages another program deleted meanwhile.
    std::set<uint32_t> present;
    auto current = store_.list_mailbox(user_->number);
    if (current)
        for (auto& s : *current) present.insert(s.number);
    std::string out = "+OK " + mailbox_summary() + "\r\n";
    if (!current) {                         // POP3-73: the listing stops early, "." still sent
        log_user(LogLevel::Error, "!ERROR " + current.error().message + " listing messages");
        reply(out + ".");
        return Next::Continue;
    }
    size_t n = 0;
    for (auto& e : mailbox_.entries()) {
        ++n;
        if (e.deleted || e.vanished || !present.count(e.number)) continue;
        out += std::to_string(n) + " " + value(e) + "\r\n";
    }
    reply(out + ".");
    return Next::Continue;
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
    auto began = std::chrono::steady_clock::now();
    send_message(*e, lines);
    if (!top) metrics::mail_metrics().retr_latency.observe(std::chrono::steady_clock::now() - began);   // issue #17
}

void Pop3Session::send_message(pop3::MailboxEntry& e, long lines) {
    std::shared_ptr<const pop3::CachedRetr> c = e.cached;
    if (c && lines > 0 && size_t(lines) >= c->text_bytes) lines = -1;   // POP3-79 BlackBerry work-around
    const bool from_cache = c && lines < 0;
    // The index entry (text kept from the login) or the stored message tells
    // whether it is still there (POP3-77) and whether it is read already (POP3-88).
    std::optional<smb::Message> msg;
    std::optional<Error> failure;
    uint16_t attr = 0, auxattr = 0;
    if (!e.deleted && from_cache) {
        if (auto s = store_.summary(e.number)) attr = s->attr;
        else failure = s.error();
    } else if (!e.deleted) {
        if (auto m = store_.read(e.number, true)) {
            attr = m->hdr.attr;
            auxattr = m->hdr.auxattr;
            msg = std::move(*m);
        } else {
            failure = m.error();
        }
    }
    if (e.deleted || (!failure && (attr & smb::attr::DELETE)) || (failure && failure->code == ErrorCode::NotFound)) {
        log_user(LogLevel::Notice, "!ATTEMPT to retrieve DELETED message");
        reply("-ERR message deleted");
        return;
    }
    if (failure) {
        log_user(LogLevel::Error, "!ERROR (" + failure->message + ") retrieving message #" + std::to_string(e.number) +
                                      " text");
        reply("-ERR retrieving message text");
        return;
    }
    std::vector<std::string> attachments, unreadable;
    if (!from_cache) {                              // TOP, or not kept from the login: render now
        const RenderContext ctx = render_context();
        std::string text;
        RenderedMessage r = render_message_head(*msg, ctx, text);
        if (lines > 0 && size_t(lines) >= r.text_bytes) lines = -1;
        auto fresh = std::make_shared<pop3::CachedRetr>();
        if (lines < 0) {                            // RETR: straight from the text
            fresh->text = pop3::retr_text_full(r, text, ctx.exact_text);
            pop3::Mailbox::learn_size(e, fresh->text.octets);   // measured on the way
        } else {                                    // TOP counts lines: split them
            r.text = render::split_text_lines(text, ctx.exact_text);
            fresh->text = pop3::retr_text(r, size_t(lines), false);
        }
        fresh->sender = msg->hdr.get(smb::hf::SENDER);
        fresh->text_bytes = r.text_bytes;
        attachments = std::move(r.attachments);
        unreadable = std::move(r.unreadable);
        c = std::move(fresh);
    }
    const bool full = lines < 0;
    const pop3::RetrText& t = c->text;
    if (full) e.cached.reset();                     // sent once; a second RETR reads it again
    if (logs(LogLevel::Debug))
        log_user(LogLevel::Debug,
                 "sending message text (" + std::to_string(c->text_bytes) + " bytes) from " + c->sender);
    bool sent = io_->write(t.bytes);             // one write: +OK line, message, dot
    if (cfg_->mail.has(mail_opt::DEBUG_TX)) {
        const size_t ok = pop3::RETR_OK.size();
        log(LogLevel::Debug, "TX: " + t.bytes.substr(0, ok - 2));
        log(LogLevel::Debug, "TX: " + t.bytes.substr(ok, t.bytes.size() - ok - 2));
    }
    if (logs(LogLevel::Debug))
        log(LogLevel::Debug, "sent " + std::to_string(t.lines) + " lines (" + std::to_string(t.body_bytes) +
                             " bytes) of body text");
    if (full)
        for (auto& path : attachments) {
            log(LogLevel::Info, "MIME Encoding and sending " + path);
            for (auto& bad : unreadable)
                if (bad == path) log(LogLevel::Error, "!ERROR opening/encoding/sending " + path);
        }
    if (!sent || (!full && t.lines < size_t(lines))) {
        log_user(LogLevel::Warning, "!ERROR sending message text (sent " + std::to_string(sent ? t.lines : 0) +
                                        " of " + std::to_string(full ? t.lines : size_t(lines)) +
                                        " lines) from " + c->sender);
        return;
    }
    if (logs(LogLevel::Debug))
        log_user(LogLevel::Debug,
                 "message transfer complete (" + std::to_string(t.lines) + " lines) from " + c->sender);
    // Only a complete RETR counts as reading the message (pop3.md POP3-82 note).
    if (full) mark_retrieved(e, attr, auxattr, attachments, unreadable.empty());
}

void Pop3Session::mark_retrieved(pop3::MailboxEntry& e, uint16_t attr, uint16_t auxattr,
                                 const std::vector<std::string>& attachments, bool all_readable) {
    // Written with the others at the end of the session (apply_read_marks).
    if (!cfg_->mail.has(mail_opt::NO_READ_POP3) && !(attr & smb::attr::READ)) e.read_pending = true;
    // POP3-95: attachments sent in full are removed when the sender asked for it.
    if (!(auxattr & smb::auxattr::KILLFILE) || attachments.empty() || !all_readable) return;
    bool all_removed = true;
    for (auto& path : attachments) {
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
        e.read_pending = false;             // undo our read marking, as the original's RSET does
    }
    reply("+OK " + mailbox_summary());
}

// Read marks (POP3-88) wait for the end of the session and are written in one
// batch: one lock and one fsync pair instead of two fsyncs per message, which
// made a first retrieval some twenty times slower.
void Pop3Session::apply_read_marks() {
    std::vector<uint32_t> numbers;
    for (auto& e : mailbox_.entries())
        if (e.read_pending) numbers.push_back(e.number);
    for (auto& e : mailbox_.entries()) e.read_pending = false;
    if (numbers.empty()) return;
    if (base_locked()) {                    // maintenance: skipped, as the original skips it
        log_user(LogLevel::Warning, "!MAIL BASE LOCKED: " + std::to_string(numbers.size()) + " messages not marked read");
        return;
    }
    if (auto st = store_.change_attr_many(numbers, smb::attr::READ, 0); !st)
        log_user(LogLevel::Error, "!ERROR " + st.error().message + " marking " + std::to_string(numbers.size()) +
                                      " messages read");
}

void Pop3Session::update() {
    apply_read_marks();
    std::vector<pop3::MailboxEntry*> doomed;
    std::vector<uint32_t> numbers;
    for (auto& e : mailbox_.entries()) {
        if (!e.deleted) continue;
        log_user(LogLevel::Info, "deleting message #" + std::to_string(e.number));
        doomed.push_back(&e);
        numbers.push_back(e.number);
    }
    // A failed batch may have reached the page cache but not the disk (a
    // failed fsync): re-reading could not tell, so none of it counts as done.
    Status batch = store_.change_attr_many(numbers, smb::attr::DELETE, 0);
    if (!batch && !doomed.empty()) {
        for (auto* e : doomed)
            log_user(LogLevel::Error, "!ERROR " + batch.error().message + " marking message #" +
                                          std::to_string(e->number) + " for deletion");
        lock_.reset();
        reply("-ERR some deleted messages not removed");
        return;
    }
    RenderContext ctx = render_context();
    for (auto* e : doomed) {
        remove_attachments(*e, ctx);
        if (debug()) log_user(LogLevel::Info, "message deleted");
    }
    // The mailbox is done with: a client that reconnects as soon as it has
    // the reply must not find it still in use.
    lock_.reset();
    reply("+OK");
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
