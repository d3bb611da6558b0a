// Shared set-up of the SendMail tests: a memory mail base with a queueing
// helper, a map-backed Resolver, a simple renderer and default settings.
#pragma once

#include "capture_logger.h"
#include "fake_smtp_server.h"
#include "memory_mail_store.h"
#include "sendmail/sendmail.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace sbbs::test {

class MapResolver : public Resolver {
public:
    std::map<std::string, DnsAnswer<MxRecord>> mx_answers;
    std::map<std::string, std::string> hosts;   // name -> address
    DnsAnswer<MxRecord> mx(const std::string& d) override {
        auto it = mx_answers.find(d);
        if (it != mx_answers.end()) return it->second;
        return {hosts.count(d) ? DnsStatus::NoData : DnsStatus::NxDomain, {}, {}};
    }
    DnsAnswer<std::string> addresses(const std::string& h) override {
        auto it = hosts.find(h);
        if (it == hosts.end()) return {DnsStatus::NxDomain, {}, {}};
        return {DnsStatus::Ok, {it->second}, {}};
    }
    DnsAnswer<std::string> ptr(const std::string&) override { return {DnsStatus::NxDomain, {}, {}}; }
    DnsAnswer<std::string> a(const std::string& n) override { return addresses(n); }
};

// A temp ctrl/ directory removed at the end.
struct TempDir {
    std::string path;
    TempDir() {
        char t[] = "/tmp/sbbs-sendmail-XXXXXX";
        path = std::string(mkdtemp(t)) + "/";
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string read(const std::string& name) const {
        std::ifstream in(path + name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

struct Harness {
    MemoryMailStore store;
    MapResolver dns;
    CaptureLogger log;
    TempDir ctrl;
    std::unique_ptr<SmtpConnector> connector = make_tcp_connector();
    SendMailSettings s;

    Harness() {
        s.inet_addr = "bbs.test";
        s.helo_host = "mail.bbs.test";
        s.local_domains = {"bbs.test", "mail.bbs.test"};
        s.connect_timeout_s = 2;
        s.max_inactivity_s = 2;
        s.max_delivery_attempts = 3;
        s.ctrl_dir = ctrl.path;
    }
    void relay_to(const FakeSmtpServer& f) {
        s.options |= mail_opt::RELAY_TX;
        s.relay_server = "127.0.0.1";
        s.relay_port = f.port();
    }
    // `domain` has no MX record and its own address reaches `f` (SEND-36).
    void implicit_mx_to(const FakeSmtpServer& f, const std::string& domain) {
        s.allow_loopback_hosts = true;
        s.mx_port = f.port();
        dns.hosts[domain] = "127.0.0.1";
    }
    // Starts `f` (its replies set first) and makes it the relay server.
    void start_relay(FakeSmtpServer& f) {
        f.start();
        relay_to(f);
    }
    // One scan that sends `sent` messages over exactly one SMTP session of `f`.
    std::vector<FakeSmtpServer::Session> scan_one_session(FakeSmtpServer& f, unsigned sent = 1) {
        auto sm = make();
        CHECK(sm.scan(true).sent == sent);
        auto ss = f.sessions();
        REQUIRE(ss.size() == 1);
        return ss;
    }
    SendMail make() {
        SendMailDeps d{store, dns, *connector, render, log};
        return SendMail(s, d);
    }
    static std::string render(const smb::Message& m) {
        return "Subject: " + m.hdr.get(smb::hf::SUBJECT) + "\r\n\r\n" + m.body;
    }

    // Mail from local user #`user` to an Internet address, as the terminal
    // server queues it (FMT-117).
    uint32_t queue(const std::string& to_addr, const std::string& body = "Hello\r\n", uint16_t user = 1,
                   uint16_t netattr = smb::netattr::LOCAL) {
        NewMessage m;
        m.hdr.netattr = netattr;
        m.hdr.add(smb::hf::SENDER, "John Doe");
        m.hdr.add(smb::hf::SENDEREXT, std::to_string(user));
        m.hdr.add(smb::hf::SUBJECT, "Greetings");
        m.hdr.add(smb::hf::RFC822MSGID, "<65A1B2C3.7@bbs.test>");
        m.body = body;
        RecipientCopy c;
        c.append.push_back({smb::hf::RECIPIENT, "Bob"});
        smb::HeaderField nt;
        nt.type = smb::hf::RECIPIENTNETTYPE;
        nt.data = std::string{char(smb::net::INTERNET), 0};
        c.append.push_back(nt);
        c.append.push_back({smb::hf::RECIPIENTNETADDR, to_addr});
        return store.add_mail(m, {c}).value().front();
    }
    smb::MessageHeader hdr(uint32_t n) { return store.read(n, false).value().hdr; }
    // Messages whose sender agent is "SMTP system message" (bounces).
    std::vector<smb::Message> notices() {
        std::vector<smb::Message> out;
        for (auto& [n, m] : store.mail)
            if (m.hdr.get_u16(smb::hf::SENDERAGENT).value_or(0) == smb::agent::SMTPSYSMSG) out.push_back(m);
        return out;
    }
};

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
    for (auto& x : v) if (x == s) return true;
    return false;
}

// A notice's human-readable part (the first part of its multipart/report),
// where the SEND-93 lines are now.
inline std::string human_part(const smb::Message& notice) {
    const std::string& b = notice.body;
    auto start = b.find("\r\n\r\n", b.find("Content-Type: text/plain"));
    if (start == std::string::npos) return {};
    start += 4;
    auto end = b.find("\r\n--=_sbbs-dsn-", start);
    return b.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace sbbs::test
