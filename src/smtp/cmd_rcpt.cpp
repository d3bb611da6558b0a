// RCPT TO: early checks (SMTP-103..SMTP-115), routing, relay rules and local
// recipient resolution (SMTP-116..SMTP-159). No open relay: an address that
// is not ours is accepted only for the clients SMTP-121 lists.
#include "smtp/session.h"
#include "dns/resolver.h"

#include <algorithm>

#include "msgbase/smb_defs.h"
#include "smtp/address.h"
#include "smtp/user_read_memo.h"
#include "spam/spam_log.h"
#include "userbase/recipient_resolver.h"
#include "util/strings.h"


namespace sbbs::smtp {

static uint32_t email_per_day(const Config& cfg, uint32_t level) {                  // CFG-106
    auto it = cfg.sys.levels.find(int(level));
    return it == cfg.sys.levels.end() ? level : it->second.email_per_day;
}

std::optional<Reply> SmtpSession::check_rcpt_limits(const std::string& address) {
    uint32_t max = cfg_->mail.max_recipients;
    if (max && tx_.rcpt_count >= max) {                                                 // SMTP-107
        spam_log_refused("Maximum recipient count (" + std::to_string(max) + ")", address);
        return Reply{452, "4.5.3", "Too many recipients"};
    }
    if (authenticated()) {
        auto u = users_.get(auth_user_);
        if (max && u.ok() && !u->exempt_from('M')) {                                    // SMTP-108
            if (!tx_.sent_pending)      // one index read per transaction, not one per RCPT
                if (auto sent = store_.count_sent(auth_user_); sent.ok()) tx_.sent_pending = *sent;
            if (tx_.sent_pending && tx_.rcpt_count + *tx_.sent_pending > max) {
                log_client(LogLevel::Notice, "!Maximum recipient count (" + std::to_string(max) + ") exceeded by " +
                                                 u->alias + " (" + std::to_string(*tx_.sent_pending) + " pending)");
                return Reply{452, "4.5.3", "Too many pending emails sent"};
            }
        }
        if (u.ok() && !u->exempt_from('M')) {                                           // SMTP-109
            uint32_t limit = email_per_day(*cfg_, u->level);
            if (u->etoday + tx_.rcpt_count >= limit) {
                log_client(LogLevel::Notice, "!EMAIL LIMIT: Maximum emails per day (" + std::to_string(limit) +
                                                 ") for " + u->alias);
                spam_log_refused("Maximum emails per day (" + std::to_string(limit) + ") for " + u->alias,
                                 address);
                return Reply{452, "4.5.3", "Too many emails today"};
            }
        }
    }
    return std::nullopt;
}

// SMTP-236: spam.log `REFUSED` entries of the session's own refusals.
void SmtpSession::spam_log_refused(const std::string& reason, const std::string& to) {
    spam::SpamEvent e{protocol_, "REFUSED", reason, client_host_, client_ip_,
                      to.empty() ? std::nullopt : std::optional<std::string>(to), tx_.reverse_path};
    if (auto st = spam::append_spam_log(cfg_->paths.logs, e, cfg_->sys.settings, time(nullptr)); !st)
        log_client(LogLevel::Error, "!ERROR " + st.error().message + " writing spam.log");
}

// Ours (SMTP-146 answers 550): a user record that cannot be read (user.tab
// missing or failing) is a fault here, not an unknown user; a 550 would make
// the sender bounce mail that a retry would deliver (RFC 5321 4.2.5: 451 for
// a local error in processing).
SmtpSession::Flow SmtpSession::refuse_unreadable_user(const std::string& raw) {
    log_client(LogLevel::Error, "!ERROR reading the user base for user-recipient (" + raw + ")");
    reply({451, "4.3.0", "Requested action aborted: local error in processing, try again later"});
    return Flow::Continue;
}

void SmtpSession::accept_rcpt(Recipient r) {                                            // SMTP-157
    tx_.last_rcpt = r.to;
    r.dsn = tx_.rcpt_dsn;
    tx_.rcpts.push_back(std::move(r));
    ++tx_.rcpt_count;
    phase_ = Phase::HaveRecipients;
    reply(ok("2.1.5"));
}

SmtpSession::Flow SmtpSession::cmd_rcpt(const std::string& line) {
    if (phase_ != Phase::HaveSender && phase_ != Phase::HaveRecipients) {               // SMTP-103
        reply(bad_sequence());
        return Flow::Continue;
    }
    std::string raw(trim(std::string_view(line).substr(8)));                           // SMTP-104
    RcptArgument arg = split_rcpt_argument(raw);
    tx_.rcpt_dsn = {};
    if (auto r = take_dsn_rcpt_params(arg.params, tx_.smtputf8, tx_.rcpt_dsn)) {       // ours: RFC 3461 4.1, 4.2
        reply(*r);
        return Flow::Continue;
    }
    std::string address = rcpt_address(arg.path);
    bool forward_prefix = false, local_prefix = false;
    if (istarts_with(address, "forward:")) { forward_prefix = true; address.erase(0, 8); }  // SMTP-105
    if (istarts_with(address, "local:")) { local_prefix = true; address.erase(0, 6); }
    if (address.empty()) {                                                              // SMTP-106
        reply({500, "5.1.3", "No recipient specified"});
        return Flow::Continue;
    }
    if (auto r = undeclared_utf8(address, tx_.smtputf8)) {                                           // ours: RFC 6531 3.7.4.1
        reply(*r);
        return Flow::Continue;
    }
    if (auto r = check_rcpt_limits(address)) {                                                 // SMTP-115 order
        reply(*r);
        return Flow::Continue;
    }
    Verdict v = filters_.consult([&](SmtpFilter& f) { return f.on_rcpt(facts(), address, raw); });
    tx_.spam_bait = v.kind == Verdict::Kind::Discard;                                  // SMTP-112
    if (tx_.spam_bait) {                                                               // spam bait, SMTP-110
        dnsbl_ = {};                                                                   // SMTP-111's last clause
        tx_.last_rcpt = address;
        phase_ = Phase::HaveRecipients;
        reply(v.reply);
        return Flow::Continue;
    }
    if (v.decided()) return apply(v);
    spy_if_listed(without_angles(tx_.reverse_path), address);                           // SMTP-143
    // Ours (SMTP-104 keeps the raw argument): the forward path stored and
    // named in Received is the path without its parameters, so a DSN
    // client's ORCPT (Postfix sends one with every RCPT once DSN is offered)
    // neither changes the header nor reaches the next hop twice.
    return route_rcpt(address, std::string(arg.path), forward_prefix, local_prefix);
}

SmtpSession::Flow SmtpSession::route_rcpt(std::string address, const std::string& raw, bool forward_prefix,
                                          bool local_prefix) {
    bool forced = false;
    if (extras_.lists) {                                                                // SMTP-116
        if (auto a = extras_.lists->alias(address)) {
            log_client(LogLevel::Debug, "ADDRESS ALIAS: " + *a + " (for " + address + ")");
            address = *a;
            forced = true;
        }
    }
    if (tx_.kind == MailKind::Mail && address.find('@') != std::string::npos) {         // SMTP-117, SMTP-125
        Destination d = destination_of(address);
        if (authenticated() && !cfg_->msgs.fido_addresses.empty()) {                    // SMTP-118
            if (auto ftn = fidonet_address(d.host)) {
                auto u = users_.get(auth_user_);                                        // ours, SMTP-119:
                if (!u.ok() || u->restricted('M') || u->restricted('G'))                // netmail rights
                    return route_remote(address, d.host, raw, false);
                log_client(LogLevel::Info, "relaying to FidoNet address: " + address + " (" + *ftn + ")");
                accept_rcpt({address, 0, smb::net::FIDO, *ftn, raw, false, {}});
                return Flow::Continue;
            }
        }
        bool local = is_local_domain(d.host) && (d.port == 0 || d.port == io_->local_port());  // SMTP-120
        if (!local) return route_remote(address, d.host, raw, forced);
    }
    return route_local(address, raw, forward_prefix, local_prefix, forced);
}

bool SmtpSession::relay_permitted(bool forced) {                                        // SMTP-121
    if (forced || !extras_.local_origin.empty()) return true;                          // ours: issue #17
    if (!authenticated() && cfg_->mail.has(mail_opt::SMTP_AUTH_VIA_IP)) {                // SMTP-128
        if (uint32_t n = users_.find_by_ip(client_ip_)) {
            auto u = users_.get(n);
            if (u.ok() && u->usable() && time(nullptr) - u->laston <= 3600) {
                auth_user_ = n;
                auth_alias_ = u->alias;
                log_client(LogLevel::Info, "authenticated via IP address for relay (SMTP_AUTH_VIA_IP)");
            }
        }
    }
    if (authenticated()) {
        auto u = users_.get(auth_user_);
        bool may = u.ok() && !u->restricted('M') && !u->restricted('G');
        if (may && (is_submission(listener_) || cfg_->mail.has(mail_opt::ALLOW_RELAY))) return true;
    }
    return extras_.lists && extras_.lists->relay_client(client_ip_, confirmed_host());
}

// ours (SMTP-123): a PTR name is anyone's to claim; relay.cfg trusts a host
// name only when it resolves back to the client's address.
std::string SmtpSession::confirmed_host() {
    if (client_host_ == "<no name>" || !extras_.resolver) return "<no name>";
    if (!host_confirmed_) {
        auto answer = extras_.resolver->addresses(client_host_);
        bool back = answer.status == DnsStatus::Ok &&
                    std::find(answer.records.begin(), answer.records.end(), client_ip_) != answer.records.end();
        host_confirmed_ = back ? 1 : -1;
        if (!back) log_client(LogLevel::Debug, "Host name " + client_host_ + " does not resolve back to " + client_ip_);
    }
    return host_confirmed_ > 0 ? client_host_ : "<no name>";
}

SmtpSession::Flow SmtpSession::route_remote(const std::string& address, const std::string& dest,
                                            const std::string& raw, bool forced) {
    if (!relay_permitted(forced)) {                                                     // SMTP-122
        log_client(LogLevel::Notice, "!ILLEGAL RELAY ATTEMPT from " + tx_.reverse_path + " [" + client_ip_ +
                                         "] to " + address);
        spam_log_refused("Relay attempt to: " + address, address);
        if (cfg_->mail.has(mail_opt::ALLOW_RELAY))
            reply({553, "5.7.1", "Relaying through this server requires authentication.  Please authenticate before sending."});
        else
            reply({550, "5.7.1", "Relay not allowed."});
        return Flow::Close;
    }
    log_client(LogLevel::Info, (authenticated() ? auth_alias_ : std::string("Unknown User")) +
                                   " relaying to external mail service: " + dest);      // SMTP-124
    accept_rcpt({address, 0, smb::net::INTERNET, address, raw, false, {}});
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::route_local(std::string address, const std::string& raw, bool forward_prefix,
                                           bool local_prefix, bool from_alias) {
    std::string name = address.substr(0, address.rfind('@'));                         // SMTP-126
    std::string qwk_user;                 // for "qwkid!user": the user part; `name` becomes the route
    bool routed = false;
    if (auto bang = name.find('!'); bang != std::string::npos) {
        routed = true;
        qwk_user = name.substr(bang + 1);
        qwk_user.erase(0, qwk_user.find_first_not_of('"'));
        qwk_user = qwk_user.substr(0, qwk_user.find('"'));
        name.erase(bang);
    }
    name = local_name_start(name);
    if (!from_alias && extras_.lists) {                                                 // SMTP-127
        if (auto a = utf8_alias(name)) {
            log_client(LogLevel::Debug, "NAME ALIAS: " + *a + " (for " + address + ")");
            name = *a;
            from_alias = true;
            if (name.find('@') != std::string::npos && tx_.kind == MailKind::Mail) {      // CFG-158
                Destination d = destination_of(name);
                if (!is_local_domain(d.host)) return route_remote(name, d.host, raw, true);
                name = name.substr(0, name.rfind('@'));
            }
        }
    }
    std::optional<std::string> processor = processor_claim(name, address);              // SMTP-129
    if (istarts_with(name, "sub:")) {                                                   // SMTP-131
        std::string code = name.substr(4);
        for (auto& sub : cfg_->msgs.subs) {
            if (!iequals(sub.code, code)) continue;
            tx_.sub_code = sub.code;                                                    // SMTP-132
            tx_.last_rcpt = address;
            ++tx_.rcpt_count;
            phase_ = Phase::HaveRecipients;
            reply(ok("2.1.5"));
            return Flow::Continue;
        }
        log_client(LogLevel::Notice, "!UNKNOWN SUB-BOARD: " + code);
        reply({550, "5.1.1", "Unknown sub-board: " + code});
        return Flow::Continue;
    }
    if (processor) {                                                                    // SMTP-133
        log_client(LogLevel::Info, "Routing mail for " + address + " to External Mail Processor: " + *processor);
        accept_rcpt({address, 0, smb::net::NONE, "", raw, false, {}});
        return Flow::Continue;
    }
    if (routed) {                                                                       // SMTP-134
        std::string hub = name.substr(0, name.find('/'));
        for (auto& h : cfg_->msgs.qwk_hubs) {
            if (!iequals(h.id, hub)) continue;
            log_client(LogLevel::Info, "Routing mail for '" + qwk_user + "' <" + name + "> to QWKnet Hub: " + h.id);
            accept_rcpt({qwk_user, 0, smb::net::QWK, name, raw, false, {}});
            return Flow::Continue;
        }
    }
    UserReadMemo users(users_);                                                         // one read per recipient
    RecipientMatch m = resolve_local(users, name, from_alias);                          // CFG-120, USER-24
    switch (m.reason) {
    case RecipientReason::Found:
        break;
    case RecipientReason::DefaultUser:                                                  // SMTP-144
        log_client(LogLevel::Info, "Forwarding mail for UNKNOWN USER to default user-recipient: '" +
                                       cfg_->mail.default_user + "' #" + std::to_string(m.user));
        break;
    case RecipientReason::BlockedTag:                                                   // SMTP-141
        log_client(LogLevel::Info, "Blocked tag: " + raw);
        reply({550, "5.1.1", "Unknown User: " + raw});
        return Flow::Continue;
    case RecipientReason::Unusable:                                                     // SMTP-146
        log_client(LogLevel::Warning, "!DELETED or INACTIVE user-recipient (" + name + ")");
        reply({550, "5.1.1", "Unknown User: " + raw});
        return Flow::Continue;
    case RecipientReason::Unavailable:                                                  // ours, not SMTP-146
        return refuse_unreadable_user(raw);
    case RecipientReason::UnknownDefault:
        log_client(LogLevel::Warning, "!UNKNOWN DEFAULT USER-RECIPIENT: '" + cfg_->mail.default_user + "'");
        [[fallthrough]];
    case RecipientReason::Unknown:                                                      // SMTP-145
        log_client(LogLevel::Notice, "!UNKNOWN USER-RECIPIENT: '" + raw + "'");
        reply({550, "5.1.1", "Unknown User: " + raw});
        return Flow::Continue;
    }
    auto u = users.get(m.user);
    if (!u.ok() && u.error().code != ErrorCode::NotFound) return refuse_unreadable_user(raw);
    if (!u.ok() || !u->usable()) {                                                      // SMTP-146
        log_client(LogLevel::Warning, "!DELETED OR INACTIVE USER-RECIPIENT #" + std::to_string(m.user) + ": '" + raw + "'");
        reply({550, "5.1.1", "Unknown User: " + raw});
        return Flow::Continue;
    }
    if (tx_.kind == MailKind::Mail) {
        if (u->restricted('I') && !authenticated()) {                                  // SMTP-147
            reply({550, "5.7.1", "Closed mailbox: " + raw});
            return Flow::Continue;
        }
        uint32_t max = cfg_->mail.max_msgs_waiting;                                      // SMTP-148
        if (max && !u->exempt_from('W')) {
            auto waiting = store_.count_waiting(m.user);
            if (waiting.ok() && *waiting > max) {
                reply({450, "4.2.2", "Mailbox full: " + raw});
                return Flow::Continue;
            }
        }
    }
    if (tx_.kind == MailKind::Send &&                                                   // SMTP-149
        !(extras_.notices && extras_.notices->accepts_pages(m.user))) {
        reply({450, "4.2.1", "User unavailable"});
        return Flow::Continue;
    }
    if (routed) {                                                                       // SMTP-135
        accept_rcpt({qwk_user, m.user, smb::net::QWK, u->alias, raw, false, {}});
        return Flow::Continue;
    }
    if (tx_.kind == MailKind::Mail && !local_prefix &&                                  // SMTP-151
        (cfg_->sys.settings & SystemSettings::SYS_FWDTONET) && (u->forwards_mail() || forward_prefix)) {
        auto at = u->netmail.rfind('@');
        if (at != std::string::npos && !is_local_domain(destination_of(u->netmail).host)) {
            log_client(LogLevel::Info, "Forwarding to: " + u->netmail);
            accept_rcpt({address, m.user, smb::net::INTERNET, u->netmail, "", true, {}});
            return Flow::Continue;
        }
    }
    accept_rcpt({address, m.user, 0, "", raw, false, {}});                                  // SMTP-153
    return Flow::Continue;
}

} // namespace sbbs::smtp
