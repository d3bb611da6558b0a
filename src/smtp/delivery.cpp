// Storage at end of data (SMTP-195..SMTP-213, FMT-112..FMT-116): one shared
// body, one header per recipient, `250` only after the store reports
// success, counters and new-mail notices after that.
#include "smtp/session.h"

#include "dns/resolver.h"
#include "dsn/delivered.h"
#include "msgbase/smb_defs.h"
#include "smtp/archive.h"
#include "smtp/post_access.h"
#include "smtp/received.h"
#include "smtp/version.h"
#include "userbase/ars.h"
#include "userbase/user_notice.h"
#include "util/mail_metrics.h"
#include "util/strings.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>

namespace sbbs::smtp {

static std::string u16(uint16_t v) { return std::string{char(v & 0xFF), char(v >> 8)}; }

static bool is_ipv6(const std::string& ip) { return ip.find(':') != std::string::npos; }

// FMT-34: a FidoNet net address is stored as fidoaddr_t (zone, net, node, point).
static std::string fido_binary(const std::string& ftn) {
    unsigned z = 0, n = 0, f = 0, p = 0;
    std::sscanf(ftn.c_str(), "%u:%u/%u.%u", &z, &n, &f, &p);
    return u16(uint16_t(z)) + u16(uint16_t(n)) + u16(uint16_t(f)) + u16(uint16_t(p));
}

static bool is_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

static bool is_ascii(const TextPieces& t) {
    for (auto p : t.pieces())
        if (!is_ascii(p)) return false;
    return true;
}

// is_non_ascii_utf8 over the pieces as they are: the Spool's pieces end at
// line ends (no UTF-8 sequence holds a CR or LF) or, in a long BDAT line,
// before a UTF-8 lead byte (MessageIntake), so no sequence spans two.
static bool is_non_ascii_utf8_text(const TextPieces& t) {
    bool high = false;
    for (auto p : t.pieces()) {
        if (is_ascii(p)) continue;
        if (!is_non_ascii_utf8(p)) return false;
        high = true;
    }
    return high;
}

static bool names_charset(const ParsedHeader& p) {
    for (auto& f : p.fields)
        if (f.type == smb::hf::RFC822HEADER && istarts_with(f.data, "Content-Type:") &&
            to_lower(f.data).find("charset") != std::string::npos)
            return true;
    return false;
}

// FTS-5003 CHRS kludge value for a MIME charset name.
static std::string charset_kludge(const std::string& mime) {
    std::string m = to_upper(mime);
    if (m == "IBM437" || m == "CP437" || m == "IBMPC") return "CP437 2";
    if (m == "ISO-8859-1" || m == "LATIN1" || m == "LATIN-1") return "LATIN-1 2";
    if (m == "UTF-8") return "UTF-8 4";
    return m + " 2";
}

std::string SmtpSession::received_value(const Recipient& r) const {                   // SMTP-212
    if (!extras_.local_origin.empty())                                                // ours: issue #17
        return "from " + extras_.local_origin + "\r\n          by " + host() + " (Synchronet Mail Server " + kVersion +
               "-" + kPlatform + ") with local submission (sbbsmail --sendmail)\r\n          for " + r.forward_path +
               "; " + rfc822_date(time(nullptr)) + "\r\n          (envelope-from " + tx_.reverse_path + ")";
    const char* with = esmtp_ ? (io_->is_tls() ? "ESMTPS" : "ESMTP") : "SMTP";        // SMTP-213
    std::string w = with;
    if (auth_logged_in_ && esmtp_) w += "A";                                          // ours: RFC 3848
    std::string v6c = is_ipv6(client_ip_) ? "IPv6: " : "";
    std::string server_ip = io_->local_ip();
    std::string v6s = is_ipv6(server_ip) ? "IPv6: " : "";
    return "from " + client_host_ + " (" + helo_name_ + " [" + v6c + client_ip_ + "])\r\n" +
           "          by " + host() + " [" + v6s + server_ip + "] (Synchronet Mail Server " + kVersion + "-" +
           kPlatform + ") with " + w + "\r\n" +
           "          for " + r.forward_path + "; " + rfc822_date(time(nullptr)) + "\r\n" +
           "          (envelope-from " + tx_.reverse_path + ")";
}

NewMessage SmtpSession::common_message(const ParsedHeader& p, const TextPieces& body, uint16_t attr) {
    NewMessage m;
    time_t now = time(nullptr);
    auto& h = m.hdr;
    h.attr = attr;
    h.netattr = smb::netattr::KILLSENT;                                               // FMT-113
    h.when_imported_time = uint32_t(now);
    h.when_imported_zone = int16_t(local_utc_offset_minutes(now));
    if (p.has_date) h.when_written = p.when_written;                                  // FMT-25
    else {
        struct tm lt {};
        localtime_r(&now, &lt);
        h.when_written.year = uint16_t(lt.tm_year + 1900);
        h.when_written.time = uint32_t(lt.tm_mon + 1) << 22 | uint32_t(lt.tm_mday) << 17 |
                              uint32_t(lt.tm_hour) << 12 | uint32_t(lt.tm_min) << 6 | uint32_t(lt.tm_sec);
        h.when_written.zone = h.when_imported_zone;
    }
    h.priority = p.priority;
    h.fields = p.fields;
    if (authenticated()) {                                                            // FMT-112
        h.add(smb::hf::SENDEREXT, std::to_string(auth_user_));
        h.add(smb::hf::SENDER, auth_alias_);
    } else {
        h.add(smb::hf::SENDER, p.from.name);
        h.add_u16(smb::hf::SENDERNETTYPE, smb::net::INTERNET);
        h.add(smb::hf::SENDERNETADDR, p.from.address);
    }
    h.add(smb::hf::SMTPREVERSEPATH, tx_.reverse_path);
    if (authenticated()) h.add(smb::hf::SENDERUSERID, auth_alias_);                    // FMT-114
    h.add(smb::hf::SENDERTIME, compact_iso_time(connected_));
    h.add(smb::hf::SENDERIPADDR, client_ip_);
    h.add(smb::hf::SENDERHOSTNAME, client_host_);
    h.add(smb::hf::SENDERPROTOCOL, protocol_);
    h.add(smb::hf::SENDERPORT, std::to_string(io_->peer_port()));
    h.add(smb::hf::SENDERSERVER, host());
    if (!p.has_message_id) {                                                          // FMT-109
        auto last = store_.last_msg();
        char id[300];
        std::snprintf(id, sizeof id, "<%08X.%u@%s>", unsigned(now), unsigned(last.ok() ? *last + 1 : 1),
                      (cfg_->msgs.inet_addr.empty() ? host() : cfg_->msgs.inet_addr).c_str());
        h.add(smb::hf::RFC822MSGID, id);
    }
    h.add(smb::hf::FIDOPID, std::string("SBBS ") + kVersion + "-" + kPlatform);
    if (is_non_ascii_utf8_text(body)) h.add(smb::hf::FIDOCHARSET, "UTF-8 4");
    else if (!extras_.default_charset.empty() && !names_charset(p) && !is_ascii(body))
        h.add(smb::hf::FIDOCHARSET, charset_kludge(extras_.default_charset));
    if (p.utf8 || is_non_ascii_utf8(authenticated() ? auth_alias_ : p.from.name) || utf8_recipient_names(p))
        h.auxattr |= smb::auxattr::HFIELDS_UTF8;
    for (auto& f : p.fields)                                                          // FMT-113
        if (f.type == smb::hf::RFC822HEADER && istarts_with(f.data, "Content-Type:") &&
            to_lower(f.data).find("multipart/mixed") != std::string::npos)
            h.auxattr |= smb::auxattr::MIMEATTACH;
    m.body = body;                                                                    // lent, not copied
    return m;
}

// Ours (RFC 6532, FMT-33): in an SMTPUTF8 transaction the RECIPIENT fields
// (the To: name, or the UTF-8 address) are UTF-8 too; without the flag the
// BBS would show them as CP437.
bool SmtpSession::utf8_recipient_names(const ParsedHeader& p) const {
    if (!tx_.smtputf8) return false;
    if (is_non_ascii_utf8(p.to_name)) return true;
    for (const Recipient& r : tx_.rcpts)
        if (is_non_ascii_utf8(r.to)) return true;
    return false;
}

static std::string bracketed(const std::string& a) { return a.empty() || a.front() != '<' ? "<" + a + ">" : a; }

static std::string sender_info(const std::string& name, const std::string& addr, uint32_t user) {  // SMTP-255
    if (user) return "'" + name + "' #" + std::to_string(user);
    if (iequals(name, addr)) return bracketed(addr);
    return "'" + name + "' " + bracketed(addr);
}

static std::string rcpt_info(const Recipient& r) {
    std::string addr = r.net_type ? r.net_addr : "#" + std::to_string(r.ext);
    if (iequals(r.to, addr)) return bracketed(addr);
    return "'" + r.to + "' " + bracketed(addr);
}

// FidoNet: the To: name without any "@..." or "(zone:net/node)" part, or
// the envelope's local part when that names someone else.
static std::string fido_recipient_name(const std::string& to_name, const Recipient& r) {
    std::string n = to_name.substr(0, to_name.find('@'));
    auto paren = n.find("(" + r.net_addr + ")");
    if (paren != std::string::npos && paren > 0) n = std::string(trim_right(n.substr(0, paren)));
    std::string local = r.to.substr(0, r.to.find('@'));
    auto fold = [](const std::string& s) {
        std::string f;
        for (unsigned char c : s) if (std::isalnum(c)) f += char(std::tolower(c));
        return f;
    };
    return !n.empty() && fold(n) == fold(local) ? n : local;
}

// Ours (RFC 3461 4): the MAIL and RCPT parameters travel with each copy, for
// SendMail to relay and answer for; mail that asked for nothing gets no field.
void SmtpSession::dsn_fields(const Recipient& r, RecipientCopy& c) const {
    smb::MessageHeader fields;
    dsn::store(fields, tx_.envelope_params, r.dsn);   // the one store per copy: RET/ENVID/REQUIRETLS, NOTIFY/ORCPT
    for (auto& f : fields.fields) c.append.push_back(std::move(f));
}

SmtpSession::Flow SmtpSession::store_mail(const ParsedHeader& p, std::string_view header, const TextPieces& body,
                                          uint16_t attr, bool& delivered) {
    NewMessage msg = common_message(p, body, attr);
    std::vector<RecipientCopy> copies;
    for (const Recipient& r : tx_.rcpts) {                                            // FMT-115
        RecipientCopy c;
        c.prepend.push_back({smb::hf::SMTPRECEIVED, received_value(r)});
        if (authenticated() && r.net_type != smb::net::NONE) {
            c.append.push_back({smb::hf::SENDERNETTYPE, u16(smb::net::INTERNET)});
            c.append.push_back({smb::hf::SENDERNETADDR, p.from.address});
        }
        std::string to = r.net_type == smb::net::QWK || p.to_name.empty() ? r.to : p.to_name;
        if (r.net_type == smb::net::FIDO) to = fido_recipient_name(p.to_name, r);
        c.append.push_back({smb::hf::RECIPIENT, to});
        if (!r.forward_path.empty()) c.append.push_back({smb::hf::SMTPFORWARDPATH, r.forward_path});
        if (r.ext && !r.forwarded) c.append.push_back({smb::hf::RECIPIENTEXT, std::to_string(r.ext)});  // FMT-116
        if (r.net_type) {
            c.append.push_back({smb::hf::RECIPIENTNETTYPE, u16(r.net_type)});
            c.append.push_back({smb::hf::RECIPIENTNETADDR,
                                r.net_type == smb::net::FIDO ? fido_binary(r.net_addr) : r.net_addr});
        }
        dsn_fields(r, c);
        copies.push_back(std::move(c));
    }
    auto stored = store_.add_mail(msg, copies);                                       // SMTP-206, SMTP-207
    if (!stored.ok()) {
        const Error& e = stored.error();
        log_client(LogLevel::Error, "!ERROR saving message: " + e.message);
        // SMTP-184: a header too large for the SMB header (with each field's
        // overhead, so it can pass the 65535-byte check on the received text).
        if (e.code == ErrorCode::DiskFull || e.code == ErrorCode::TooLarge)
            reply({452, "4.3.1", "Insufficient system storage"});
        else reply({451, "4.3.0", "ERROR (" + e.message + ") saving message"});
        return Flow::Continue;
    }
    delivered = true;
    bool fido = false;
    for (size_t i = 0; i < tx_.rcpts.size(); ++i) {
        const Recipient& r = tx_.rcpts[i];
        log_client(LogLevel::Info, "Added message header #" + std::to_string((*stored)[i]) + " from " +
                                       sender_info(authenticated() ? auth_alias_ : p.from.name, p.from.address,
                                                   auth_user_) +
                                       " to " + rcpt_info(r));
        if (authenticated()) (void)users_.count_email_sent(auth_user_, r.ext == 1);    // SMTP-209
        if (r.net_type == smb::net::FIDO) fido = true;
        notify(r, p);
        report_delivery(msg, copies[i], (*stored)[i], header, body);
    }
    reply(ok());                                                                      // SMTP-208
    metrics::count(metrics::mail_metrics().accepted);                                 // issue #17
    metrics::mail_metrics().accept_latency.observe(std::chrono::steady_clock::now() - data_ended_);
    if (!cfg_->msgs.smtp_sem.empty()) std::ofstream(cfg_->msgs.smtp_sem, std::ios::app);
    if (fido && !cfg_->msgs.fido_netmail_sem.empty()) std::ofstream(cfg_->msgs.fido_netmail_sem, std::ios::app);
    return Flow::Continue;
}

// The copy is durable (add_mail returned): a local recipient whose RCPT
// asked NOTIFY=SUCCESS gets its "delivered" report queued now. A notice
// that cannot be stored is logged; the mail itself stays accepted.
void SmtpSession::report_delivery(const NewMessage& msg, const RecipientCopy& copy, uint32_t number,
                                  std::string_view header, const TextPieces& body) {
    smb::MessageHeader stored = msg.hdr;   // the copy as written: its own fields around the common ones (FMT-115)
    stored.number = number;
    stored.fields = copy.prepend;
    stored.fields.insert(stored.fields.end(), msg.hdr.fields.begin(), msg.hdr.fields.end());
    stored.fields.insert(stored.fields.end(), copy.append.begin(), copy.append.end());
    if (!dsn::wants_delivered_notice(stored)) return;
    dsn::NoticeContext ctx{host().empty() ? cfg_->msgs.inet_addr : host(),
                           (cfg_->sys.settings & SystemSettings::SYS_DELREADM) != 0, time(nullptr)};
    auto added = dsn::queue_delivered_notice(store_, stored, header, body, ctx);   // joins the body for RET=FULL only
    if (!added) log_client(LogLevel::Error, "!ERROR (" + added.error().message + ") adding delivery notification");
    else log_client(LogLevel::Info, "Delivery notification (message #" + std::to_string(*added) +
                                        ") created for " + dsn::notice_recipient(stored));
}

bool SmtpSession::meets_archive_requirements(uint32_t user) {
    auto u = users_.get(user);
    if (!u.ok()) return false;
    auto met = evaluate_ars(cfg_->mail.archive_requirements, *u);
    if (!met.ok()) log_client(LogLevel::Error, "!ArchiveRequirements: " + met.error().message);
    return met.ok() && *met;
}

// SMTP-211 / USER-58: the message as received (header and body) for each
// local recipient who meets ArchiveRequirements and is not the sender, and
// for an authenticated sender who meets them. A failure never fails delivery.
void SmtpSession::archive(const Spool& spool) {
    if (cfg_->mail.archive_requirements.empty()) return;
    std::string name = archive_file_name(time(nullptr), session_id_);
    TextPieces body = spool.body.view();
    std::vector<std::string_view> pieces{spool.header, "\r\n"};
    pieces.insert(pieces.end(), body.pieces().begin(), body.pieces().end());
    TextPieces text(std::move(pieces));                                               // no copy of the body
    auto copy = [&](uint32_t user, const char* box) {
        if (auto st = archive_copy(cfg_->paths.data, user, box, name, text); !st.ok())
            log_client(LogLevel::Error, "!ERROR archiving message: " + st.error().message);
    };
    std::vector<uint32_t> done;
    for (const Recipient& r : tx_.rcpts) {
        if (r.net_type != smb::net::NONE || !r.ext || r.ext == auth_user_) continue;
        if (std::find(done.begin(), done.end(), r.ext) != done.end()) continue;
        done.push_back(r.ext);
        if (meets_archive_requirements(r.ext)) copy(r.ext, "smtp_in");
    }
    if (authenticated() && meets_archive_requirements(auth_user_)) copy(auth_user_, "smtp_relay");
}

void SmtpSession::notify(const Recipient& r, const ParsedHeader& p) {                  // SMTP-210, USER-56
    if (!r.ext || !extras_.notices || cfg_->mail.has(mail_opt::NO_NOTIFY)) return;
    if (!r.forwarded && !cfg_->mail.notify_offline_users && !extras_.notices->is_online(r.ext)) return;
    if (auto st = extras_.notices->append(r.ext, notice_text(r, p)); !st.ok())
        log_client(LogLevel::Error, "!ERROR writing new-mail notice: " + st.error().message);
}

std::string SmtpSession::notice_text(const Recipient& r, const ParsedHeader& p) const {   // USER-56
    NewMailNotice n;
    n.sender_name = p.from.name;
    n.sender_addr = p.from.address;
    n.forwarded_to = r.forwarded ? r.net_addr : "";
    n.utf8 = p.utf8;
    n.received_text = cfg_->mail.new_mail_notice;     // older installs' NewMailNotice, "" = built in
    n.forwarded_text = cfg_->mail.forward_notice;
    return new_mail_notice_text(n);
}

SmtpSession::Flow SmtpSession::post_mail(const ParsedHeader& p, const TextPieces& body, uint16_t attr) {
    if (!authenticated() && dnsbl_.listed) {                                          // SMTP-191
        reply({550, "5.7.1", "Insufficient access: DNS-blacklisted"});
        return Flow::Continue;
    }
    if (const SubBoard* sub = cfg_->msgs.find_sub(tx_.sub_code)) {                    // SMTP-191, USER-39
        User nobody;
        auto sender = authenticated() ? users_.get(auth_user_) : Result<User>(nobody);
        auto why = sender.ok() ? post_refusal(*cfg_, *sub, *sender) : std::optional<std::string>("no user record");
        if (why) {
            log_client(LogLevel::Notice, "!Insufficient access to post on " + tx_.sub_code + ": " + *why);
            reply({550, "5.7.1", "Insufficient access: " + *why});
            return Flow::Continue;
        }
    }
    NewMessage msg = common_message(p, body, attr);
    msg.hdr.netattr = 0;
    std::string to = !cfg_->mail.post_to.empty() ? cfg_->mail.post_to : !p.to_name.empty() ? p.to_name : "All";
    msg.hdr.add(smb::hf::RECIPIENT, to);
    auto posted = store_.post_to_sub(tx_.sub_code, msg);
    if (!posted.ok()) {
        log_client(LogLevel::Error, "!ERROR posting message to " + tx_.sub_code + ": " + posted.error().message);
        reply({452, "4.3.0", "ERROR (" + posted.error().message + ") posting message"});
        return Flow::Continue;
    }
    log_client(LogLevel::Info, "Posted message #" + std::to_string(*posted) + " on sub-board " + tx_.sub_code);
    if (authenticated()) (void)users_.count_post(auth_user_);                          // USER-42
    reply(ok());
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::deliver_telegram(const TextPieces& body, uint64_t body_bytes) {  // SMTP-176
    uint32_t cap = cfg_->mail.max_telegram_size;                                      // ours: SEC-8, checked
    if (body_bytes > cap) {                                                           // before any delivery
        reply({552, "5.3.4", "Message size (" + std::to_string(body_bytes) + ") exceeds maximum: " +
                                 std::to_string(cap) + " bytes"});                       // as SMTP-190
        return Flow::Continue;
    }
    std::string sender = tx_.reverse_path;
    if (!sender.empty() && sender.front() == '<') sender.erase(0, 1);
    if (!sender.empty() && sender.back() == '>') sender.pop_back();
    bool verified = false;
    auto at = sender.rfind('@');
    if (at != std::string::npos && extras_.resolver) {                                 // ours: SMTP-177
        auto a = extras_.resolver->addresses(sender.substr(at + 1));
        for (auto& ip : a.records) verified |= ip == client_ip_;
    }
    Telegram t;
    t.sender_addr = sender;
    t.sender_domain_matches_client = verified;
    t.client_ip = client_ip_;
    t.client_host = client_host_;
    t.text = body.str();
    std::string text = telegram_text(t);
    std::set<uint32_t> delivered;                      // ours: SEC-8, once per user however often listed
    size_t max = cfg_->mail.max_recipients;                                            // SMTP-176, USER-57
    for (auto& r : tx_.rcpts) {
        if (!r.ext || (max && delivered.size() >= max) || !delivered.insert(r.ext).second) continue;
        if (!extras_.notices || !extras_.notices->append(r.ext, text).ok()) {
            reply({451, "4.3.0", "ERROR delivering telegram"});
            return Flow::Continue;
        }
    }
    reply(ok());
    return Flow::Continue;
}

} // namespace sbbs::smtp
