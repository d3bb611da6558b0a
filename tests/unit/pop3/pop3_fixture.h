// A POP3 session wired to in-memory doubles and a scripted client.
#pragma once

#include "memory_mail_store.h"
#include "memory_user_directory.h"
#include "scripted_io.h"
#include "pop3/apop.h"
#include "pop3/pop3_session.h"
#include "unit/pop3/message_builders.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sbbs::test {

class CaptureLogger : public Logger {
public:
    struct Line { LogLevel level; std::string text; };
    std::vector<Line> lines;
    void log(LogLevel level, std::string_view text) override {
        std::lock_guard lk(mu_);
        lines.push_back({level, std::string(text)});
    }
    bool enabled(LogLevel) const override { return true; }
    // The first line containing `part`, or "" when none.
    std::string find(const std::string& part) const {
        for (auto& l : lines) if (l.text.find(part) != std::string::npos) return l.text;
        return "";
    }
    LogLevel level_of(const std::string& part) const {
        for (auto& l : lines) if (l.text.find(part) != std::string::npos) return l.level;
        return LogLevel::Emergency;
    }
    bool any(const std::string& part) const { return !find(part).empty(); }

private:
    std::mutex mu_;
};

class FakeAttempts : public LoginAttemptLog {
public:
    struct Rec { std::string ip, protocol, user, password; };
    std::vector<Rec> failures;
    std::vector<std::string> successes;
    std::optional<Ban> ban;
    unsigned preexisting = 0;
    unsigned attempts(const std::string&) override { return preexisting + unsigned(failures.size()); }
    std::optional<Ban> banned(const std::string&) override { return ban; }
    Failure record_failure(const FailedLogin& a) override {
        failures.push_back({a.ip, a.protocol, a.user, a.password});
        unsigned n = preexisting + unsigned(failures.size());
        return {n, 1000, 1090, n > 1, {}};
    }
    void record_success(const std::string& ip) override { successes.push_back(ip); }
};

// A scripted client that can answer the greeting's APOP challenge: an input
// line "APOP <name> {digest:<password>}" gets the digest computed on the fly.
class ApopIo : public ScriptedIo {
public:
    std::function<void(const std::string&)> before_read;   // sees each line before the server does
    ReadLine read_line(size_t max_len, unsigned t) override {
        if (!input.empty() && before_read) before_read(input.front());
        if (!input.empty()) {
            std::string& l = input.front();
            size_t p = l.find("{digest:");
            if (p != std::string::npos) {
                std::string pw = l.substr(p + 8, l.find('}', p) - p - 8);
                l = l.substr(0, p) + pop3::md5_hex(timestamp() + pw);   // as the client computes it
            }
        }
        return ScriptedIo::read_line(max_len, t);
    }
    std::string timestamp() const {
        size_t a = output.find('<'), b = output.find('>', a);
        return a == std::string::npos ? "" : output.substr(a, b - a + 1);
    }
};

// Everything a session needs, with user 2 "Alice" (password "Secret").
struct Pop3Fixture {
    std::shared_ptr<Config> cfg = std::make_shared<Config>();
    MemoryUserDirectory users;
    MemoryMailStore store;
    CaptureLogger log;
    FakeAttempts attempts;
    ApopIo io;
    pop3::MailboxLockRegistry locks;
    std::function<void(Pop3Session&)> wire;

    Pop3Fixture() {
        cfg->mail.login_attempt.delay_ms = 0;
        cfg->mail.login_attempt.throttle_ms = 0;
        cfg->msgs.inet_addr = "bbs.example.com";
        cfg->sys.name = "Fixture BBS";
        users.add(1, "Sysop", "SYSPASS");
        users.add(2, "Alice", "Secret");
    }

    // Store a local message for `user`; returns its SMB number.
    uint32_t deliver(uint16_t user, const std::string& body = "Hello\r\n", uint16_t attr = 0) {
        NewMessage m;
        smb::Message lm = local_mail(body);
        m.hdr = lm.hdr;
        m.hdr.attr = attr;
        m.body = lm.body;
        RecipientCopy c;
        c.append.push_back({smb::hf::RECIPIENTEXT, std::to_string(user)});
        auto r = store.add_mail(m, {c});
        return r->front();
    }

    std::vector<std::string> run(const std::vector<std::string>& script, bool implicit_tls = false) {
        io.output.clear();
        io.input.clear();
        for (auto& l : script) io.send(l);
        Pop3Session s(cfg, users, store, log, attempts, implicit_tls);
        s.set_mailbox_locks(&locks);
        if (wire) wire(s);
        s.run(io);
        return io.lines();
    }
};

} // namespace sbbs::test
