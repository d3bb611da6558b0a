// SessionIo double: the client's lines are scripted, the server's output is
// captured, so a protocol state machine runs without sockets.
#pragma once

#include "net/session_io.h"

#include <deque>

namespace sbbs::test {

class ScriptedIo : public SessionIo {
public:
    // Lines the client sends, without CR LF; a line ending in "\n" is one the
    // client ended with a bare LF (the "\n" is not part of the line).
    std::deque<std::string> input;
    std::string output;                // everything the server wrote
    bool tls = false;
    bool tls_fails = false;
    std::string ip = "127.0.0.2", local = "127.0.0.1";
    uint16_t port = 40000, lport = 25;

    void send(std::string line) { input.push_back(std::move(line)); }
    void send_bare_lf(std::string line) { input.push_back(std::move(line) + "\n"); }

    ReadLine read_line(size_t max_len, unsigned) override {
        if (input.empty()) return {ReadStatus::Closed, {}};
        std::string l = std::move(input.front());
        input.pop_front();
        LineEnd end = LineEnd::CrLf;
        if (!l.empty() && l.back() == '\n') {
            l.pop_back();
            end = LineEnd::BareLf;
        }
        if (l.size() > max_len) return {ReadStatus::TooLong, {}};
        return {ReadStatus::Line, std::move(l), end};
    }
    bool write(std::string_view b) override { output.append(b); return true; }
    bool input_pending() override { return !input.empty(); }
    Status start_tls() override {
        if (tls_fails) return make_error("handshake failed");
        tls = true;
        return {};
    }
    bool is_tls() const override { return tls; }
    std::string peer_ip() const override { return ip; }
    uint16_t peer_port() const override { return port; }
    std::string local_ip() const override { return local; }
    uint16_t local_port() const override { return lport; }

    // Reply lines written so far, split on CRLF.
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        size_t s = 0, p;
        while ((p = output.find("\r\n", s)) != std::string::npos) { out.push_back(output.substr(s, p - s)); s = p + 2; }
        return out;
    }
};

} // namespace sbbs::test
