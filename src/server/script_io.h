// A SessionIo that plays the client side of one SMTP transaction from this
// process (issue #17 item 3): `sbbsmail --sendmail` hands its message to the
// SMTP state machine through it, so a locally submitted message is checked
// and stored by the very code that stores one received over the network.
#pragma once

#include "net/session_io.h"

#include <deque>
#include <string>
#include <vector>

namespace sbbs {

struct ScriptReply {
    int code = 0;
    std::string text;   // the last line's text
};

class ScriptIo : public SessionIo {
public:
    // `commands` up to and including DATA; `body` the message lines
    // (not yet dot-stuffed). QUIT is sent after the body, or instead of it
    // when DATA is not answered 354.
    ScriptIo(std::vector<std::string> commands, std::vector<std::string> body);

    const std::vector<ScriptReply>& replies() const { return replies_; }

    ReadLine read_line(size_t max_len, unsigned timeout_s) override;
    ReadBytes read_bytes(size_t, unsigned) override { return {ReadStatus::Closed, {}}; }
    bool write(std::string_view bytes) override;
    // Never: the session then sends each reply before it reads again, so a
    // refused DATA is seen before any body line could pass as a command.
    bool input_pending() override { return false; }
    Status start_tls() override { return make_error("no TLS on a local submission", ErrorCode::Invalid); }
    bool is_tls() const override { return false; }
    std::string peer_ip() const override { return "127.0.0.1"; }
    uint16_t peer_port() const override { return 0; }
    std::string local_ip() const override { return "127.0.0.1"; }
    uint16_t local_port() const override { return 0; }

private:
    enum class Phase { Commands, Body, Quit, Done };
    std::deque<std::string> commands_;
    std::deque<std::string> body_;
    Phase phase_ = Phase::Commands;
    std::string partial_;                 // reply bytes not yet ending in a line
    std::vector<ScriptReply> replies_;
};

} // namespace sbbs
