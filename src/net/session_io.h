// A client connection as a protocol state machine sees it: lines in, bytes
// out, TLS on demand. The real one wraps a socket (and an OpenSSL session);
// tests drive the state machines through a scripted double.
#pragma once

#include "util/result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sbbs {

enum class ReadStatus { Line, TooLong, Timeout, Closed, Error };

// How a line ended. Commands accept both; in DATA only CR LF . CR LF ends the
// message, so a bare LF there must not look like CR LF (SMTP smuggling).
enum class LineEnd { CrLf, BareLf };

struct ReadLine {
    ReadStatus status = ReadStatus::Closed;
    std::string line;                // without its line end (CR LF or a bare LF)
    LineEnd end = LineEnd::CrLf;     // meaningful for status Line
};

// Raw bytes (BDAT chunk data, RFC 3030): status Line means `bytes` holds
// between 1 and the asked-for number of bytes; the other statuses as above.
struct ReadBytes {
    ReadStatus status = ReadStatus::Closed;
    std::string bytes;
};

class SessionIo {
public:
    virtual ~SessionIo() = default;
    // Next line, at most `max_len` bytes; waits at most `timeout_s` seconds.
    // A longer line is reported as TooLong as soon as it passes the limit,
    // without waiting for its end; later reads drop the rest of it.
    virtual ReadLine read_line(size_t max_len, unsigned timeout_s) = 0;
    // Up to `max_len` bytes exactly as received, no line handling: what is
    // already buffered, else what arrives next, waiting at most `timeout_s`
    // seconds. A caller wanting an exact count (a BDAT chunk) asks again for
    // the rest, so every wait has its own deadline and memory stays bounded
    // by what it asks for.
    virtual ReadBytes read_bytes(size_t max_len, unsigned timeout_s) = 0;
    // Send bytes as given (callers add CR LF).
    virtual bool write(std::string_view bytes) = 0;
    // True when unread input is already buffered (PIPELINING: flush replies
    // only when the client waits; RFC 2920). The rest of a line reported
    // TooLong does not count: its reply must not wait for that line's end.
    virtual bool input_pending() = 0;
    virtual Status start_tls() = 0;  // server side handshake
    virtual bool is_tls() const = 0;
    virtual std::string peer_ip() const = 0;
    virtual uint16_t peer_port() const = 0;
    virtual std::string local_ip() const = 0;
    virtual uint16_t local_port() const = 0;
};

} // namespace sbbs
