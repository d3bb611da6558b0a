// An in-memory SmtpConnector for SendMail tests: every address answers like
// an accepting SMTP server, every step is written to one shared event log,
// and a greeting can be held back until a number of connections are open at
// once (so tests prove overlap by the order of events, not by timing).
#pragma once

#include "harness.h"
#include "sendmail/smtp_link.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sbbs::test {

class FakeConnector : public SmtpConnector {
public:
    // Each greeting waits until this many links are open at the same time
    // (or `gate_limit` passes, for a sequential sender: then it goes on).
    unsigned gate = 0;
    std::chrono::milliseconds gate_limit{3000};
    // Called with every command line sent (not the message text).
    std::function<void(const std::string&)> on_command;

    Connected connect(const ConnectRequest& req) override {
        std::lock_guard lk(mu_);
        ++open_;
        if (open_ > peak_) peak_ = open_;
        events_.push_back("connect " + req.ip);
        cv_.notify_all();
        return {std::make_unique<Link>(*this, req.ip, int(++sockets_)), 0, {}};
    }
    std::vector<std::string> events() const { std::lock_guard lk(mu_); return events_; }
    // Every write() call as made, and whether a command was written while
    // an earlier reply was still unread (pipelining).
    std::vector<std::string> writes() const { std::lock_guard lk(mu_); return writes_; }
    bool pipelined() const { std::lock_guard lk(mu_); return pipelined_; }
    unsigned peak() const { std::lock_guard lk(mu_); return peak_; }
    // Index of the first event equal to `e`, or events().size().
    size_t index_of(const std::string& e) const {
        auto ev = events();
        for (size_t i = 0; i < ev.size(); ++i) if (ev[i] == e) return i;
        return ev.size();
    }

private:
    class Link : public SmtpLink {
    public:
        Link(FakeConnector& c, std::string ip, int sock) : c_(c), ip_(std::move(ip)), sock_(sock) {
            replies_.push_back("220 fake ESMTP");
        }
        ~Link() override {
            std::lock_guard lk(c_.mu_);
            --c_.open_;
            c_.events_.push_back("close " + ip_);
        }
        ReadLine read_line(unsigned) override {
            if (!greeted_) {
                greeted_ = true;
                std::unique_lock lk(c_.mu_);
                c_.cv_.wait_for(lk, c_.gate_limit, [&] { return c_.open_ >= c_.gate; });
                c_.events_.push_back("greet " + ip_);
            }
            if (replies_.empty()) return {ReadStatus::Closed, {}};
            std::string r = replies_.front();
            replies_.pop_front();
            return {ReadStatus::Line, r};
        }
        bool write(std::string_view bytes) override {
            {
                std::lock_guard lk(c_.mu_);
                c_.writes_.emplace_back(bytes);
                if (!in_data_ && !replies_.empty()) c_.pipelined_ = true;
            }
            std::string line(bytes.substr(0, bytes.size() - 2));   // without CRLF
            if (in_data_) {
                if (line == ".") {
                    in_data_ = false;
                    replies_.push_back("250 queued");
                    log("sent " + ip_);
                }
                return true;
            }
            if (c_.on_command) c_.on_command(line);
            std::string verb = line.substr(0, line.find(' '));
            if (verb == "EHLO" || verb == "HELO") replies_.push_back("250 fake");
            else if (verb == "DATA") { replies_.push_back("354 go"); in_data_ = true; }
            else if (verb == "QUIT") replies_.push_back("221 bye");
            else replies_.push_back("250 OK");
            if (verb == "RCPT") log("rcpt " + ip_ + " " + line.substr(8));
            return true;
        }
        Status start_tls(unsigned, const TlsPeerCheck&) override { return make_error("no TLS here"); }
        bool is_tls() const override { return false; }
        int socket_number() const override { return sock_; }

    private:
        void log(const std::string& e) {
            std::lock_guard lk(c_.mu_);
            c_.events_.push_back(e);
        }
        FakeConnector& c_;
        std::string ip_;
        int sock_;
        bool greeted_ = false, in_data_ = false;
        std::deque<std::string> replies_;
    };

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::string> events_, writes_;
    bool pipelined_ = false;
    unsigned open_ = 0, peak_ = 0, sockets_ = 0;
};

// The harness's connector replaced by a FakeConnector, returned.
inline FakeConnector& use_fake(Harness& h) {
    auto fake = std::make_unique<FakeConnector>();
    FakeConnector& ref = *fake;
    h.connector = std::move(fake);
    return ref;
}
// Domain `d` has one MX host, "mx.<d>", at `ip`.
inline void mx(Harness& h, const std::string& d, const std::string& ip) {
    h.dns.mx_answers[d] = {DnsStatus::Ok, {{10, "mx." + d}}, {}};
    h.dns.hosts["mx." + d] = ip;
}

} // namespace sbbs::test
