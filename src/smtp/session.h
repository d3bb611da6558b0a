// The SMTP/ESMTP receive session (smtp.md sections 4-14): one object per
// connection, driven through SessionIo so it runs without sockets in tests.
// Each verb is split in a check (may it run now, is its argument sound?) and
// a proceed step; the verbs live in cmd_*.cpp.
#pragma once

#include "auth/message_authenticator.h"
#include "config/cached_pattern_list.h"
#include "config/settings.h"
#include "dsn/params.h"
#include "log/logger.h"
#include "log/spy_log.h"
#include "mailproc/processor_chain.h"
#include "mailfmt/parse.h"
#include "msgbase/mail_store.h"
#include "net/session_io.h"
#include "smtp/filter.h"
#include "smtp/listener.h"
#include "smtp/login_attempts.h"
#include "smtp/message_intake.h"
#include "smtp/spool.h"
#include "state/request_rate.h"
#include "smtp/recipient.h"
#include "smtp/reply.h"
#include "smtp/site_lists.h"
#include "smtp/user_notices.h"
#include "userbase/login_auth.h"

#include <chrono>
#include "userbase/recipient_resolver.h"
#include "userbase/user_directory.h"
#include "util/text_pieces.h"

#include <ctime>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sbbs {
class Resolver;
}

namespace sbbs::smtp {

// Optional collaborators; a null pointer means "not available".
struct SessionExtras {
    unsigned session_number = 0;        // the 4-digit log prefix (socket number)
    bool tls_available = false;         // a certificate is loaded: offer STARTTLS
    LoginAttemptLog* login_attempts = nullptr;
    SiteLists* lists = nullptr;
    UserNotices* notices = nullptr;
    Resolver* resolver = nullptr;       // PTR look-up unless NO_HOST_LOOKUP
    mailproc::ProcessorChain* mail_processors = nullptr;   // ctrl/mailproc.ini (section 15)
    CachedPatternList* spy_list = nullptr;  // text/smtpspy.can (SMTP-34, SMTP-143)
    // [Mail] DefaultCharset of older installs: the charset of a non-UTF-8
    // body whose header names none ("" = leave such bodies unmarked).
    std::string default_charset;
    // Told once when an account with a password authenticates: the
    // connection no longer counts against MaxConcurrentConnections (SMTP-76).
    std::function<void()> on_login;
    // SMTP-52: asked before each command line; empty = no rate limit.
    RequestGate request_gate;
    // "(N threads remain, M clients served)" for the session-end line
    // (SMTP-254); empty: the line ends after "terminated".
    std::function<std::string()> thread_counts;
    const std::atomic<bool>* stopping = nullptr;   // the server stops: a mail processor is killed
    // Inbound SPF (and DKIM/DMARC) of unauthenticated, non-relay clients
    // (issue #16); null: no checks, no Authentication-Results.
    auth::MessageAuthenticator* authenticator = nullptr;
    // ours (issue #17): `sbbsmail --sendmail` on this host, e.g. "uid 1000 (bbs)".
    // Non-empty: relaying is allowed (the invoking Unix user is trusted as a
    // relay.cfg client is) and the Received: line names the local submission.
    std::string local_origin;
};

class SmtpSession {
public:
    SmtpSession(ConfigPtr cfg, Listener listener, UserDirectory& users, MailStore& store,
                Logger& log, const FilterChain& filters, SessionExtras extras = {});
    // Serve one connection until QUIT, a fatal error, a timeout or disconnect.
    void run(SessionIo& io);

    // Read-only views for tests and the server's bookkeeping.
    uint32_t authenticated_user() const { return auth_user_; }
    const std::string& protocol() const { return protocol_; }

private:
    enum class Phase { Greeted, Ready, HaveSender, HaveRecipients };
    enum class MailKind { Mail, Send, Soml, Saml };
    enum class Flow { Continue, Close };

    // A BDAT transfer in progress (RFC 3030): the text so far, assembled as
    // DATA assembles it. Never moved: the intake writes into the spool.
    struct Chunks {
        Spool spool;
        MessageIntake intake;
        Chunks(bool with_header, uint64_t max_body) : intake(spool, with_header, max_body) {}
    };

    struct Transaction {
        MailKind kind = MailKind::Mail;
        std::string reverse_path;       // raw MAIL argument (SMTP-95)
        std::vector<Recipient> rcpts;
        std::string sub_code;           // pending sub: target (SMTP-131)
        std::string last_rcpt;          // SMTP-159
        bool spam_bait = false;         // the last RCPT was a spam bait (SMTP-112)
        uint32_t rcpt_count = 0;        // accepted, sub: included (SMTP-107)
        std::optional<uint32_t> sent_pending;   // the sender's mail in the base, read once (SMTP-108)
        std::vector<bool> processor_matched;    // mail processors whose To list matched (SMTP-129)
        bool smtputf8 = false;          // MAIL ... SMTPUTF8 (RFC 6531 3.4): UTF-8 addresses allowed
        bool binarymime = false;        // MAIL ... BODY=BINARYMIME (RFC 3030 3): BDAT only, body converted
        // MAIL parameters stored with every copy (dsn::store): RET/ENVID
        // (RFC 3461 4.3, 4.4), REQUIRETLS (RFC 8689 4.1).
        dsn::EnvelopeParams envelope_params;
        dsn::RecipientParams rcpt_dsn;  // the RCPT being routed: its NOTIFY/ORCPT (4.1, 4.2)
        std::unique_ptr<Chunks> chunks; // BDAT chunks received so far (none: no BDAT yet)
        // Issue #16: the checks' verdicts, set at MAIL for a client that is checked.
        std::optional<auth::MessageAuthentication> authentication;
        auth::SpfRequest spf_request;
    };

    // session.cpp: I/O, logging, dispatch
    void greet();
    bool request_limited();
    Flow dispatch(const std::string& line);
    ReadLine read(size_t max_len);     // flushes first; logs and answers a timeout
    unsigned inactivity() const;
    void reply(const Reply& r);
    void reply_raw(const std::string& line);
    void flush();
    void log(LogLevel lvl, const std::string& text) const;
    void log_client(LogLevel lvl, const std::string& text);   // "[ip] ..." or "<alias> ..."
    SessionFacts facts();
    Flow apply(const Verdict& v);
    void reset_transaction();
    // SMTP-34, SMTP-143: start the spy log when `subject` (or `subject2`) is
    // listed in text/smtpspy.can and none is open yet.
    void spy_if_listed(std::string_view subject, std::string_view subject2 = {});
    const std::string& host() const;
    bool authenticated() const { return auth_user_ != 0; }

    // cmd_helo.cpp
    Flow cmd_helo(const std::string& line, bool extended);
    std::string limits_keyword() const;   // RFC 9422
    // cmd_misc.cpp
    Flow cmd_noop();
    Flow cmd_quit();
    Flow cmd_rset();
    Flow cmd_vrfy();
    Flow cmd_expn();
    Flow cmd_help();
    Flow cmd_turn();
    Flow cmd_starttls();
    Flow cmd_unknown(const std::string& line);
    // cmd_mail.cpp
    Flow cmd_mail(const std::string& line, MailKind kind);
    std::optional<Reply> check_mail_params(const std::string& params);
    // cmd_dsn.cpp (RFC 3461 4): a malformed or repeated DSN parameter is a 501.
    static std::optional<Reply> take_dsn_mail_params(const std::string& params, dsn::EnvelopeParams& into);
    static std::optional<Reply> take_dsn_rcpt_params(std::string_view params, bool utf8, dsn::RecipientParams& into);
    static bool asks_smtputf8(const std::string& params);
    static bool asks_binarymime(const std::string& params);
    // cmd_mail_requiretls.cpp (RFC 8689)
    std::optional<Reply> take_requiretls(const std::string& params, dsn::EnvelopeParams& into);
    // `utf8`: the transaction declared SMTPUTF8 (a UTF-8 address names a user through CP437).
    bool sender_address_allowed(const User& u, const std::string& address, bool utf8);
    std::string alias_address(const User& u) const;
    // sender_authentication.cpp (issue #16)
    bool authentication_applies();
    std::optional<Reply> authenticate_envelope(const std::string& reverse_path, Transaction& next);
    // A refusal when DMARCPolicy asks for one (the verdict is known only now).
    std::optional<Reply> stamp_authentication(const std::string& received_header, const TextPieces& body,
                                              spam::MessageMarks& marks);
    bool tag_spf(const auth::MessageAuthentication& m, spam::MessageMarks& marks);
    void log_dkim_dmarc(const auth::MessageAuthentication& m);
    // cmd_rcpt.cpp
    Flow cmd_rcpt(const std::string& line);
    Flow refuse_unreadable_user(const std::string& raw);
    std::optional<Reply> check_rcpt_limits(const std::string& address);   // spam.log names `address`
    Flow route_rcpt(std::string address, const std::string& raw, bool forward_prefix, bool local_prefix);
    Flow route_remote(const std::string& address, const std::string& dest, const std::string& raw, bool forced);
    Flow route_local(std::string address, const std::string& raw, bool forward_prefix, bool local_prefix,
                     bool from_alias);
    bool relay_permitted(bool forced);
    std::string confirmed_host();
    bool is_local_domain(std::string_view domain) const { return is_local_domain(domain, tx_.smtputf8); }
    bool is_local_domain(std::string_view domain, bool utf8) const;
    // cmd_rcpt_utf8.cpp (RFC 6531, USER-10)
    std::string local_name_start(const std::string& name) const;
    std::optional<std::string> utf8_alias(const std::string& name) const;
    RecipientMatch resolve_local(UserDirectory& users, const std::string& name, bool from_alias);
    std::optional<Reply> undeclared_utf8(const std::string& address, bool declared);
    void accept_rcpt(Recipient r);
    void spam_log_refused(const std::string& reason, const std::string& to);
    // cmd_auth.cpp
    Flow cmd_auth(const std::string& line);
    Flow auth_plain(const std::string& initial);
    Flow auth_login();
    Flow auth_cram_md5();
    Flow auth_check_password(const std::string& name, const std::string& password, const char* method);
    Flow auth_fail(const std::string& name, const std::string& password, bool counted, Reply r);
    Flow auth_succeed(const User& u, const char* method);
    std::optional<std::string> auth_response();
    Flow auth_outcome(const AuthResult& r, const std::string& name, const std::string& password,
                      const char* method);
    // cmd_data.cpp
    Flow cmd_data();
    Flow receive_data(Spool& spool);
    uint64_t max_body() const;
    Reply too_big(const Spool& spool) const;
    Flow end_of_data(Spool& spool);
    Flow deliver_telegram(const TextPieces& body, uint64_t body_bytes);
    // cmd_bdat.cpp
    Flow cmd_bdat(const std::string& line);
    enum class ChunkEnd { Received, TooBig, Lost };
    ChunkEnd receive_chunk(Chunks& c, uint64_t size);
    bool discard_chunk(uint64_t size);
    ReadBytes read_chunk_bytes(uint64_t left);
    void spy_chunk(std::string_view bytes);
    void spy_chunk_end();
    // cmd_bdat_binary.cpp
    std::optional<Reply> make_storable(Spool& spool);
    // mail_processing.cpp
    mailproc::Eligibility processor_eligibility(const std::string& sender_address);
    std::optional<std::string> processor_claim(const std::string& name, const std::string& address);
    std::optional<Flow> run_mail_processors(Spool& spool);
    mailproc::CommandValues processor_values(const mailproc::WorkFiles& files, const ParsedHeader& p) const;
    bool read_processed_message(const std::string& path, Spool& spool);
    void read_processed_recipients(const std::string& path);
    dsn::RecipientParams dsn_of_listed(const Recipient& listed) const;
    // delivery.cpp
    NewMessage common_message(const ParsedHeader& p, const TextPieces& body, uint16_t attr);
    bool utf8_recipient_names(const ParsedHeader& p) const;
    Flow store_mail(const ParsedHeader& p, std::string_view header, const TextPieces& body, uint16_t attr,
                    bool& delivered);
    void report_delivery(const NewMessage& msg, const RecipientCopy& copy, uint32_t number, std::string_view header,
                         const TextPieces& body);   // RFC 3461 6.2.1 (a), delivery.cpp
    void dsn_fields(const Recipient& r, RecipientCopy& c) const;
    void archive(const Spool& spool);
    bool meets_archive_requirements(uint32_t user);
    Flow post_mail(const ParsedHeader& p, const TextPieces& body, uint16_t attr);
    void notify(const Recipient& r, const ParsedHeader& p);
    std::string notice_text(const Recipient& r, const ParsedHeader& p) const;
    std::string received_value(const Recipient& r) const;

    ConfigPtr cfg_;
    Listener listener_;
    UserDirectory& users_;
    MailStore& store_;
    Logger& logger_;
    const FilterChain& filters_;
    SessionExtras extras_;

    SessionIo* io_ = nullptr;
    std::string out_;                   // replies not yet flushed (PIPELINING)
    std::string protocol_ = "SMTP";
    std::unique_ptr<SpyLog> spy_;       // SMTP-34: every line received, once listed
    std::string spy_partial_;           // SMTP-34: a chunk's line not yet written (bounded)
    static constexpr size_t kMaxBufferedReplies = 64 * 1024;   // pipelined replies held at most
    static constexpr uint64_t kSmbMaxBody = 0x7fffffffu - 65536;  // an SMB data field's limit, less room
    std::string client_ip_, client_host_ = "<no name>";
    std::string helo_name_;
    bool helo_done_ = false, esmtp_ = false;
    uint32_t auth_user_ = 0;
    std::string auth_alias_;
    bool auth_logged_in_ = false;       // AUTH succeeded (not only SMTP_AUTH_VIA_IP)
    // Who logged in with AUTH and when, for the time-on update at the end of the
    // session (SMTP-254); kept across a later STARTTLS reset.
    struct Login { uint32_t user; time_t at; };
    std::optional<Login> logout_due_;
    spam::DnsblListing dnsbl_;          // SMTP-31, SMTP-185: set and cleared by the DNSBL filter
    int host_confirmed_ = 0;            // SMTP-123: 0 unknown, 1 forward-confirmed, -1 not
    Phase phase_ = Phase::Greeted;
    Transaction tx_;
    unsigned bad_commands_ = 0;
    time_t connected_ = 0;
    std::chrono::steady_clock::time_point data_ended_{};   // issue #17: accept latency
    std::string session_id_;
    bool closing_ = false;
};

} // namespace sbbs::smtp
