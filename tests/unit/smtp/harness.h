// A session under test: configuration, users, store, lists and a scripted
// client, so each test states only what differs from the defaults.
#pragma once

#include "memory_mail_store.h"
#include "memory_user_directory.h"
#include "scripted_io.h"

#include "dns/resolver.h"
#include "smtp/session.h"
#include "util/strings.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace smtptest {

using namespace sbbs;
using namespace sbbs::smtp;

struct CaptureLog : Logger {
    std::vector<std::pair<LogLevel, std::string>> lines;
    void log(LogLevel level, std::string_view text) override { lines.emplace_back(level, std::string(text)); }
    bool enabled(LogLevel) const override { return true; }
    bool has(std::string_view s) const {
        for (auto& l : lines)
            if (l.second.find(s) != std::string::npos) return true;
        return false;
    }
    LogLevel level_of(std::string_view s) const {
        for (auto& l : lines)
            if (l.second.find(s) != std::string::npos) return l.first;
        return LogLevel::Emergency;
    }
    std::string all() const {
        std::string r;
        for (auto& l : lines) r += l.second + "\n";
        return r;
    }
};

struct TestLists : SiteLists {
    std::map<std::string, std::string> aliases;       // lower-case key
    std::set<std::string> domains, relay_ips, relay_hosts;
    std::optional<std::string> alias(std::string_view name) override {
        auto it = aliases.find(to_lower(name));
        if (it == aliases.end()) return std::nullopt;
        return it->second;
    }
    bool extra_local_domain(std::string_view d) override { return domains.count(to_lower(d)) > 0; }
    bool relay_client(std::string_view ip, std::string_view host) override {
        return relay_ips.count(std::string(ip)) > 0 || relay_hosts.count(std::string(host)) > 0;
    }
};

struct TestNotices : UserNotices {
    std::set<uint32_t> online, pageable;
    std::map<uint32_t, std::string> written;
    bool is_online(uint32_t u) override { return online.count(u) > 0; }
    bool accepts_pages(uint32_t u) override { return pageable.count(u) > 0; }
    Status append(uint32_t u, std::string_view text) override { written[u] += text; return {}; }
};

struct TestAttempts : LoginAttemptLog {
    std::map<std::string, unsigned> failures_by_ip;
    std::vector<FailedLogin> recorded;
    std::map<std::string, std::string> bans;   // ip -> log text
    FailureReport record_failure(const FailedLogin& a) override {
        recorded.push_back(a);
        return {++failures_by_ip[a.ip], "2 minutes", {}};
    }
    unsigned failures(const std::string& ip) override { return failures_by_ip[ip]; }
    std::optional<std::string> temp_ban(const std::string& ip, const std::string&) override {
        auto it = bans.find(ip);
        return it == bans.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    void clear(const std::string& ip) override { failures_by_ip.erase(ip); }
};

struct TestResolver : Resolver {
    std::map<std::string, std::string> ptrs;
    std::map<std::string, std::vector<std::string>> hosts;
    DnsAnswer<MxRecord> mx(const std::string&) override { return {}; }
    DnsAnswer<std::string> addresses(const std::string& h) override {
        DnsAnswer<std::string> a;
        auto it = hosts.find(h);
        a.status = it == hosts.end() ? DnsStatus::NxDomain : DnsStatus::Ok;
        if (it != hosts.end()) a.records = it->second;
        return a;
    }
    DnsAnswer<std::string> ptr(const std::string& ip) override {
        DnsAnswer<std::string> a;
        auto it = ptrs.find(ip);
        a.status = it == ptrs.end() ? DnsStatus::NxDomain : DnsStatus::Ok;
        if (it != ptrs.end()) a.records.push_back(it->second);
        return a;
    }
    DnsAnswer<std::string> a(const std::string&) override { return {}; }
};

// ScriptedIo plus: "<timeout>" reads as an inactivity timeout; writes counted.
struct Io : test::ScriptedIo {
    unsigned writes = 0;
    unsigned last_timeout = 0;
    ReadLine read_line(size_t max_len, unsigned timeout_s) override {
        last_timeout = timeout_s;
        if (!input.empty() && input.front() == "<timeout>") {
            input.pop_front();
            return {ReadStatus::Timeout, {}};
        }
        return test::ScriptedIo::read_line(max_len, timeout_s);
    }
    ReadBytes read_bytes(size_t max_len, unsigned timeout_s) override {
        last_timeout = timeout_s;
        if (!input.empty() && input.front() == "<timeout>") {
            input.pop_front();
            return {ReadStatus::Timeout, {}};
        }
        return test::ScriptedIo::read_bytes(max_len, timeout_s);
    }
    size_t largest_write = 0;
    bool write(std::string_view b) override {
        ++writes;
        largest_write = std::max(largest_write, b.size());
        return test::ScriptedIo::write(b);
    }
};

struct Harness {
    std::shared_ptr<Config> cfg = std::make_shared<Config>();
    test::MemoryUserDirectory users;
    test::MemoryMailStore store;
    CaptureLog log;
    FilterChain filters;
    TestLists lists;
    TestNotices notices;
    TestAttempts attempts;
    TestResolver resolver;
    Io io;
    Listener listener = Listener::Transfer;
    SessionExtras extras;
    uint32_t auth_user = 0;
    std::string protocol;

    Harness() {
        cfg->mail.host_name = "bbs.example.com";
        cfg->msgs.inet_addr = "example.com";
        cfg->mail.login_attempt.delay_ms = 0;
        cfg->mail.login_attempt.throttle_ms = 0;
        cfg->mail.max_msg_size = 1000;
        cfg->paths.data = "/nonexistent-sbbsmail-test/";
        cfg->paths.logs = "/nonexistent-sbbsmail-test/";   // spam.log never lands in the working directory
        cfg->sys.operator_name = "Big Sysop";
        cfg->sys.qwk_id = "EXAMPLE";
        users.add(1, "Sysop", "Secret");
        users.add(2, "John Doe", "Pass1").netmail = "";
        users.users[2].name = "Johnathan Doe";
        users.add(3, "Mary", "maryPW");
        extras.session_number = 7;
        extras.lists = &lists;
        extras.notices = &notices;
        extras.login_attempts = &attempts;
    }

    // Runs a whole session over `lines`; returns every reply line.
    std::vector<std::string> run(std::vector<std::string> lines) {
        for (auto& l : lines) io.send(l);
        SmtpSession s(cfg, listener, users, store, log, filters, extras);
        s.run(io);
        auth_user = s.authenticated_user();
        protocol = s.protocol();
        return io.lines();
    }
};

inline std::vector<std::string> default_message() {
    return {"From: Alice <alice@remote.org>", "To: John Doe <john.doe@example.com>", "Subject: hi", "",
            "Hello there", "."};
}

// EHLO, optional prelude (e.g. AUTH), MAIL, each RCPT, DATA + message, QUIT.
inline std::vector<std::string> mail_script(const std::string& from, const std::vector<std::string>& rcpts,
                                            std::vector<std::string> message = default_message(),
                                            std::vector<std::string> prelude = {}) {
    std::vector<std::string> s{"EHLO client.example.net"};
    s.insert(s.end(), prelude.begin(), prelude.end());
    s.push_back("MAIL FROM:" + from);
    for (auto& r : rcpts) s.push_back("RCPT TO:" + r);
    s.push_back("DATA");
    s.insert(s.end(), message.begin(), message.end());
    s.push_back("QUIT");
    return s;
}

// The code of each complete reply (continuation lines "250-..." skipped).
inline std::vector<int> codes(const std::vector<std::string>& lines) {
    std::vector<int> out;
    for (auto& l : lines)
        if (l.size() >= 3 && (l.size() == 3 || l[3] == ' ')) out.push_back(std::stoi(l.substr(0, 3)));
    return out;
}

inline bool has_line(const std::vector<std::string>& lines, const std::string& s) {
    for (auto& l : lines)
        if (l == s) return true;
    return false;
}


} // namespace smtptest
