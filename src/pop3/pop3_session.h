// One POP3 client session, from greeting to QUIT (pop3.md sections 3-14,
// RFC 1939, RFC 2449, RFC 2595, RFC 5034), driven through a SessionIo so it
// runs the same over a socket, TLS or a test script.
#pragma once

#include "config/cached_pattern_list.h"
#include "config/settings.h"
#include "log/logger.h"
#include "mailfmt/render.h"
#include "msgbase/mail_store.h"
#include "net/session_io.h"
#include "pop3/login_attempts.h"
#include "pop3/mailbox.h"
#include "pop3/mailbox_lock.h"
#include "state/request_rate.h"
#include "userbase/user_directory.h"

#include <atomic>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

// The filter lists checked before the greeting (POP3-16), shared by the
// snapshot's sessions and re-read when their files change (CFG-133), so an
// edit or an automatic ip.can line reaches the next session.
struct Pop3AccessLists {
    Pop3AccessLists(const std::string& ctrl_dir, const std::string& text_dir, uint32_t check_interval_s)
        : exempt(ctrl_dir + "ipfilter_exempt.cfg", check_interval_s),
          ip_can(text_dir + "ip.can", check_interval_s),
          host_can(text_dir + "host.can", check_interval_s) {}
    CachedPatternList exempt;          // ctrl/ipfilter_exempt.cfg
    CachedPatternList ip_can;          // text/ip.can
    CachedPatternList host_can;        // text/host.can
};

class Pop3Session {
public:
    Pop3Session(ConfigPtr cfg, UserDirectory& users, MailStore& store, Logger& log,
                LoginAttemptLog& attempts, bool implicit_tls);

    // Wiring done by the listener before run(); all optional.
    void set_socket(int descriptor) { socket_ = descriptor; }           // log prefix SSSS
    void set_client_host(std::string name) { host_ = std::move(name); } // POP3-14 ("<no name>")
    void set_mailbox_locks(pop3::MailboxLockRegistry* registry) { locks_ = registry; }
    void set_tls_available(bool available) { tls_available_ = available; }
    void set_access_lists(Pop3AccessLists* lists) { lists_ = lists; }
    // POP3-112: the user record's last-on and time-on update at the end of a
    // session that reached TRANSACTION; by default UserDirectory::record_logout.
    using LogoutRecorder = std::function<Status(uint32_t user, time_t login, time_t logout)>;
    void set_logout_recorder(LogoutRecorder recorder) { record_logout_ = std::move(recorder); }
    // Ours, on by default: send stored text byte for byte (RenderContext::exact_text);
    // false gives the original's extra CR LF and stripped line ends.
    void set_exact_text(bool exact) { exact_text_ = exact; }
    // Bytes of rendered messages kept from the login for RETR (0 = none).
    void set_retr_cache_budget(size_t bytes) { retr_cache_budget_ = bytes; }
    // Exact sizes remembered across sessions (issue #13 item 1); none by default.
    void set_size_memo(pop3::SizeMemo* memo) { size_memo_ = memo; }
    // Told once a login succeeds: a logged-in connection stops counting
    // against MaxConcurrentConnections (POP3-9).
    void set_login_hook(std::function<void()> hook) { on_login_ = std::move(hook); }
    // POP3-58: asked before each TRANSACTION command.
    void set_request_gate(RequestGate gate) { request_gate_ = std::move(gate); }
    // "(<n> threads remain, <m> clients served)" for the session-end line (POP3-114).
    void set_thread_counts(std::function<std::string()> counts) { thread_counts_ = std::move(counts); }
    // The server's shutdown flag: a read ended by a stop is logged as aborted (POP3-110).
    void set_stopping(const std::atomic<bool>* stopping) { stopping_ = stopping; }

    void run(SessionIo& io);

private:
    enum class Auth { UserPass, Apop, Plain };
    enum class Next { Continue, End };

    // Session start, greeting and AUTHORIZATION (pop3_auth.cpp).
    bool admit();
    void greet();
    bool authorize();
    bool start_tls();
    void cmd_utf8();                                     // RFC 6856 2 (cmd_utf8.cpp)
    bool authenticate(Auth method, const std::string& id, const std::string& secret);
    bool refuse_login(const std::string& name, const std::string& tried, bool count);
    bool open_mailbox();
    bool mailbox_failed(const Error& e);                 // replies and logs; false
    bool measure_failed(const pop3::MeasureError& failed);
    std::string mailbox_summary() const;

    // TRANSACTION and UPDATE (pop3_transaction.cpp).
    void transact();
    Next command(const std::string& line);
    Next list(const std::string& line, bool uidl);
    bool measure(size_t first, size_t end);
    void retrieve(const std::string& line, bool top);
    void send_message(pop3::MailboxEntry& e, long lines);
    void mark_retrieved(pop3::MailboxEntry& e, uint16_t attr, uint16_t auxattr,
                        const std::vector<std::string>& attachments, bool all_readable);
    void dele(const std::string& line);
    void rset();
    void apply_read_marks();
    void update();
    void remove_attachments(const pop3::MailboxEntry& e, const RenderContext& ctx);
    void finish();
    bool still_present(const pop3::MailboxEntry& e);
    bool base_locked() const;   // data/mail.lock: maintenance by smbutil, fixsmb ... (POP3-47, POP3-59)

    // Replies and log lines (pop3_session.cpp).
    void reply(std::string_view line);
    void send_capa(bool before_login);
    void log(LogLevel level, const std::string& text);
    void log_client(LogLevel level, const std::string& text);   // "[ip] text"
    void log_user(LogLevel level, const std::string& text);     // "<alias> text"
    void log_parts(LogLevel level, std::initializer_list<std::string_view> parts);
    bool logs(LogLevel level) const { return logger_.enabled(level); }   // build a line only when it goes out
    bool debug() const { return cfg_->mail.has(mail_opt::DEBUG_POP3); }
    std::optional<std::string> read_command();
    RenderContext render_context() const;

    ConfigPtr cfg_;
    UserDirectory& users_;
    MailStore& store_;
    Logger& logger_;
    LoginAttemptLog& attempts_;
    bool implicit_tls_;
    int socket_ = 0;
    std::string host_ = "<no name>";
    pop3::MailboxLockRegistry* locks_ = nullptr;
    Pop3AccessLists* lists_ = nullptr;
    bool tls_available_ = true;
    bool exact_text_ = true;
    bool utf8_ = false;                 // the client sent UTF8 (RFC 6856): raw UTF-8 header fields
    size_t retr_cache_budget_ = size_t(8) << 20;   // per session: MaxClients of them may run
    pop3::SizeMemo* size_memo_ = nullptr;
    LogoutRecorder record_logout_;
    std::function<void()> on_login_;
    RequestGate request_gate_;
    std::function<std::string()> thread_counts_;
    const std::atomic<bool>* stopping_ = nullptr;

    // Per-connection state.
    SessionIo* io_ = nullptr;
    std::string prot_;
    std::string timestamp_;
    std::optional<User> user_;
    bool no_spam_ = false;
    bool activity_ = true;
    bool in_transaction_ = false;
    time_t login_time_ = 0;
    std::unique_ptr<pop3::MailboxLock> lock_;
    mutable std::string base_lock_path_;   // <mail base>.lock, built at the first check
    pop3::Mailbox mailbox_;
};

} // namespace sbbs
