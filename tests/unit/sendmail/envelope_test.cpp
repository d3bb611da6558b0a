// Envelope addresses, destinations and settings normalisation.
#include "harness.h"

#include "sendmail/envelope.h"
#include "sendmail/retry_schedule.h"

#include <catch.hpp>

using namespace sbbs;
namespace hf = smb::hf;

namespace {
smb::MessageHeader rcpt(const std::string& netaddr, const std::string& fwd = {}) {
    smb::MessageHeader h;
    h.add(hf::RECIPIENTNETADDR, netaddr);
    if (!fwd.empty()) h.add(hf::SMTPFORWARDPATH, fwd);
    return h;
}
} // namespace

TEST_CASE("SEND-24 MAIL FROM: reverse path for Internet senders, else the local form", "[sendmail]") {
    smb::MessageHeader local;
    local.add(hf::SENDER, "John Doe");
    CHECK(envelope::sender(local, "bbs.test") == "<John.Doe@bbs.test>");
    smb::MessageHeader dotted;
    dotted.add(hf::SENDER, "Dr. Seuss");
    CHECK(envelope::sender(dotted, "bbs.test") == "<Dr.Seuss@bbs.test>");
    smb::MessageHeader inet;
    inet.add(hf::SENDER, "Alice");
    inet.add_u16(hf::SENDERNETTYPE, smb::net::INTERNET);
    inet.add(hf::SMTPREVERSEPATH, "alice@far.example");
    CHECK(envelope::sender(inet, "bbs.test") == "<alice@far.example>");
    smb::MessageHeader withat;
    withat.add(hf::SENDER, "x@y.example");
    CHECK(envelope::sender(withat, "bbs.test") == "<x@y.example>");
}

TEST_CASE("SEND-25 RCPT TO: forward path, else the cleaned recipient address", "[sendmail]") {
    CHECK(envelope::recipient(rcpt("bob@remote.example")) == "<bob@remote.example>");
    CHECK(envelope::recipient(rcpt("\"Bob\" <bob@remote.example>")) == "<bob@remote.example>");
    CHECK(envelope::recipient(rcpt("bob@remote.example:2525")) == "<bob@remote.example>");
    CHECK(envelope::recipient(rcpt("bob@remote.example extra")) == "<bob@remote.example>");
    CHECK(envelope::recipient(rcpt("bob@remote.example", "<fwd@else.example>")) == "<fwd@else.example>");
}

TEST_CASE("SEND-25 RFC3461-5.2.1 the stored forward path goes without the RCPT parameters it was given with",
          "[sendmail][dsn]") {
    CHECK(envelope::recipient(rcpt("bob@remote.example", "<fwd@else.example> NOTIFY=SUCCESS ORCPT=rfc822;a@b")) ==
          "<fwd@else.example>");
    CHECK(envelope::recipient(rcpt("bob@remote.example", "<fwd@else.example> XFOO=1")) == "<fwd@else.example>");
}

TEST_CASE("SEND-26 the destination domain is after the last @", "[sendmail]") {
    CHECK(envelope::destination_domain("bob@remote.example") == "remote.example");
    CHECK(envelope::destination_domain("a@b@remote.example>junk") == "remote.example");
    CHECK(envelope::destination_domain("nobody").empty());
    auto hp = envelope::split_port("host.example:2525");
    CHECK(hp.host == "host.example");
    CHECK(hp.port == 2525);
    CHECK(envelope::split_port("host.example:0").port == 0);
    CHECK(envelope::split_port("host.example:x").port == 0);
}

TEST_CASE("SEND-19 SEND-20 ISSUE13-3 sender and recipient descriptions in log lines, addresses in angle brackets", "[sendmail]") {
    smb::MessageHeader h;
    h.add(hf::SENDER, "John Doe");
    h.add(hf::SENDEREXT, "12");
    h.add(hf::RECIPIENT, "bob@remote.example");
    h.add(hf::RECIPIENTNETADDR, "bob@remote.example");
    CHECK(envelope::sender_info(h) == "'John Doe' #12");
    CHECK(envelope::recipient_info(h) == "<bob@remote.example>");
    smb::MessageHeader g;
    g.add(hf::SENDER, "Alice");
    g.add(hf::SMTPREVERSEPATH, "<alice@far.example>");
    g.add(hf::RECIPIENT, "Bob");
    g.add(hf::RECIPIENTNETADDR, "bob@remote.example");
    CHECK(envelope::sender_info(g) == "'Alice' <alice@far.example>");
    CHECK(envelope::recipient_info(g) == "'Bob' <bob@remote.example>");
    smb::MessageHeader f;
    f.add(hf::SENDER, "alice");
    f.add(hf::SENDERNETADDR, "alice@far.example");
    f.add(hf::RECIPIENT, "<bob@remote.example>");
    f.add(hf::RECIPIENTNETADDR, "bob@remote.example");
    CHECK(envelope::sender_info(f) == "<alice@far.example>");   // the address starts with the name
    CHECK(envelope::recipient_info(f) == "<bob@remote.example>");
}

TEST_CASE("SEND-2 zero settings take their defaults", "[sendmail]") {
    Config cfg;
    cfg.paths.ctrl = "/nonexistent/";
    cfg.mail.rescan_frequency_s = 0;
    cfg.mail.max_delivery_attempts = 0;
    cfg.mail.relay_port = 0;
    cfg.mail.max_inactivity_s = 0;
    auto s = sendmail_settings(cfg, nullptr);
    CHECK(s.rescan_frequency_s == 3600);
    CHECK(s.max_delivery_attempts == 50);
    CHECK(s.relay_port == 25);
    CHECK(s.max_inactivity_s == 120);
}

TEST_CASE("SEND-4 RELAY_TX without a relay server is disabled with an error", "[sendmail]") {
    Config cfg;
    cfg.mail.options = mail_opt::RELAY_TX;
    test::CaptureLogger log;
    auto s = sendmail_settings(cfg, &log);
    CHECK_FALSE(s.has(mail_opt::RELAY_TX));
    CHECK(log.has(LogLevel::Error, "SMTP-Transmit-Relay enabled, but no relay server (hostname or IP address) "
                                   "configured. Disabling."));
}

TEST_CASE("SEND-5 local domains: sys_inetaddr, HostName and domains.cfg", "[sendmail]") {
    test::TempDir ctrl;
    std::ofstream(ctrl.path + "domains.cfg") << "; comment\nother.example\n";
    Config cfg;
    cfg.paths.ctrl = ctrl.path;
    cfg.msgs.inet_addr = "bbs.example";
    cfg.mail.host_name = "mail.bbs.example";
    auto s = sendmail_settings(cfg, nullptr);
    CHECK(is_local_domain("BBS.example", s));
    CHECK(is_local_domain("mail.bbs.example", s));
    CHECK(is_local_domain("other.example", s));
    CHECK_FALSE(is_local_domain("remote.example", s));
    CHECK(s.helo_host == "mail.bbs.example");
}

TEST_CASE("SEND-47 EHLO names HostName, else sys_inetaddr", "[sendmail]") {
    Config cfg;
    cfg.paths.ctrl = "/nonexistent/";
    cfg.msgs.inet_addr = "bbs.example";
    CHECK(sendmail_settings(cfg, nullptr).helo_host == "bbs.example");
}

TEST_CASE("retry back-off doubles per attempt up to the cap", "[sendmail]") {
    MemoryRetrySchedule r(4);
    r.failed(9, 1, 10, "x");
    CHECK_FALSE(r.due(9, 10));
    CHECK(r.due(9, 11));
    r.failed(9, 3, 11, "x");
    CHECK_FALSE(r.due(9, 14));
    CHECK(r.due(9, 15));
    r.failed(9, 20, 15, "x");
    CHECK_FALSE(r.due(9, 18));
    CHECK(r.due(9, 19));
    r.forget(9);
    CHECK(r.due(9, 0));
}

TEST_CASE("SEND-1 the [Mail] keys SendMail uses reach its settings", "[sendmail]") {
    Config cfg;
    cfg.paths.ctrl = "/nonexistent/";
    cfg.paths.data = "/sbbs/data/";
    auto& m = cfg.mail;
    m.rescan_frequency_s = 600;
    m.max_delivery_attempts = 7;
    m.connect_timeout_s = 0;
    m.max_inactivity_s = 90;
    m.sem_file_check_frequency_s = 5;
    m.delivery_threads = 2;
    m.relay_server = "relay.example";
    m.relay_port = 587;
    m.relay_username = "u";
    m.relay_password = "p";
    m.dns_server = "192.0.2.53";
    m.outbound_interface = "192.0.2.1";
    m.smtp_port = 2525;
    m.dkim_sign = true;
    m.dkim_domain = "bbs.example";
    m.options = mail_opt::RELAY_TX | mail_opt::DEBUG_TX;
    auto s = sendmail_settings(cfg, nullptr);
    CHECK(s.rescan_frequency_s == 600);
    CHECK(s.max_delivery_attempts == 7);
    CHECK(s.connect_timeout_s == 0);
    CHECK(s.max_inactivity_s == 90);
    CHECK(s.sem_check_frequency_s == 5);
    CHECK(s.delivery_workers == 2);
    CHECK(s.relay_server == "relay.example");
    CHECK(s.relay_port == 587);
    CHECK(s.relay_username == "u");
    CHECK(s.relay_password == "p");
    CHECK(s.dns_server == "192.0.2.53");
    CHECK(s.outbound_interface == "192.0.2.1");
    CHECK(s.smtp_port == 2525);
    CHECK(s.dkim_sign);
    CHECK(s.dkim_domain == "bbs.example");
    CHECK(s.dkim_selector == "mail");
    CHECK(s.has(mail_opt::RELAY_TX));
    CHECK(s.mail_base == "/sbbs/data/mail");
    CHECK(s.mail_lock_path == "/sbbs/data/mail.lock");
    CHECK(s.data_dir == "/sbbs/data/");
}

TEST_CASE("FMT-36 an Internet sender without SMTPREVERSEPATH: the sender net address is the reverse path", "[sendmail]") {
    smb::MessageHeader inet;
    inet.add(hf::SENDER, "Alice");
    inet.add_u16(hf::SENDERNETTYPE, smb::net::INTERNET);
    inet.add(hf::SENDERNETADDR, "alice@far.example");
    CHECK(envelope::reverse_path(inet) == std::optional<std::string>("alice@far.example"));
    CHECK(envelope::sender(inet, "bbs.test") == "<alice@far.example>");
    smb::MessageHeader fido;                          // not Internet: no reverse path from the net address
    fido.add(hf::SENDER, "Bob");
    fido.add_u16(hf::SENDERNETTYPE, smb::net::FIDO);
    fido.add(hf::SENDERNETADDR, "1:2/3");
    CHECK_FALSE(envelope::reverse_path(fido).has_value());
    CHECK(envelope::sender(fido, "bbs.test") == "<Bob@bbs.test>");
}
