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

    // Bytes after the last scripted line that no line end closes: only
    // read_bytes sees them (a client that stops in the middle of a chunk).
    std::string tail;

    void send(std::string line) { input.push_back(std::move(line)); }
    void send_bare_lf(std::string line) { input.push_back(std::move(line) + "\n"); }
    // Raw client bytes (BDAT chunks and the commands around them), cut into
    // the scripted lines read_line hands out; what follows the last LF goes
    // to `tail`.
    void send_wire(std::string_view bytes) {
        size_t pos = 0, nl;
        while ((nl = bytes.find('\n', pos)) != std::string_view::npos) {
            std::string l(bytes.substr(pos, nl - pos));
            if (!l.empty() && l.back() == '\r') l.pop_back();
            else l += '\n';
            input.push_back(std::move(l));
            pos = nl + 1;
        }
        tail += bytes.substr(pos);
    }

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
    // The scripted lines as the wire carries them ("x" is "x\r\n", "x\n"
    // is "x\n"); a line read in part keeps its rest at the front.
    ReadBytes read_bytes(size_t max_len, unsigned) override {
        if (input.empty()) {
            if (tail.empty()) return {ReadStatus::Closed, {}};
            std::string b = tail.substr(0, max_len);
            tail.erase(0, b.size());
            return {ReadStatus::Line, std::move(b)};
        }
        std::string wire = input.front();
        if (wire.empty() || wire.back() != '\n') wire += "\r\n";
        input.pop_front();
        if (wire.size() > max_len) {
            std::string rest = wire.substr(max_len);
            wire.resize(max_len);
            if (rest.size() >= 2 && rest.ends_with("\r\n")) rest.resize(rest.size() - 2);   // back to a CR LF line
            input.push_front(std::move(rest));   // a rest ending in a bare "\n" keeps it: a bare-LF line
        }
        return {ReadStatus::Line, std::move(wire)};
    }
    bool write(std::string_view b) override { output.append(b); return true; }
    bool input_pending() override { return !input.empty() || !tail.empty(); }
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
