// SessionIo over a real socket: buffered line reads with a length limit and
// a per-wait inactivity timeout, writes, STARTTLS / implicit TLS (OpenSSL).
// One session thread uses it; interrupt() may be called from any thread.
#pragma once

#include "net/session_io.h"
#include "net/socket.h"
#include "net/tls.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

typedef struct ssl_st SSL;

namespace sbbs {

struct SessionIoOptions {
    unsigned write_timeout_s = 120;      // a client that stops reading
    unsigned handshake_timeout_s = 30;   // TLS handshake as a whole
};

class SocketSessionIo : public SessionIo {
public:
    // `tls` may be null: start_tls() then fails.
    SocketSessionIo(Socket socket, std::shared_ptr<TlsContext> tls, SessionIoOptions options = {});
    ~SocketSessionIo() override;
    SocketSessionIo(const SocketSessionIo&) = delete;
    SocketSessionIo& operator=(const SocketSessionIo&) = delete;

    ReadLine read_line(size_t max_len, unsigned timeout_s) override;
    ReadBytes read_bytes(size_t max_len, unsigned timeout_s) override;
    bool write(std::string_view bytes) override;
    bool input_pending() override;
    Status start_tls() override;
    bool is_tls() const override { return ssl_ != nullptr; }
    std::string peer_ip() const override { return peer_.ip; }
    uint16_t peer_port() const override { return peer_.port; }
    std::string local_ip() const override { return local_.ip; }
    uint16_t local_port() const override { return local_.port; }

    // The descriptor number, for the "%04d" prefix of log lines.
    int socket_id() const { return socket_.fd(); }
    // Ends the connection so a blocked read or write returns at once.
    // Safe against a concurrent close(): a closed descriptor is never touched.
    void interrupt();
    // Says goodbye (TLS close_notify) and closes the socket; later reads
    // report Closed. Called by the session thread when its handler returns.
    void close();

private:
    enum class Fill { Data, Timeout, Closed, Error };
    Fill fill(unsigned timeout_s);
    Fill fill_plain(unsigned timeout_s);
    Fill fill_tls(unsigned timeout_s);
    bool write_plain(std::string_view bytes);
    bool write_tls(std::string_view bytes);
    std::optional<ReadLine> take_line(size_t max_len);

    Socket socket_;
    std::shared_ptr<TlsContext> tls_ctx_;
    SessionIoOptions options_;
    Endpoint peer_, local_;
    std::mutex close_mutex_;     // interrupt() vs close()
    SSL* ssl_ = nullptr;
    std::string buffer_;         // received; bytes before head_ are already taken
    size_t head_ = 0;            // so taking a line never moves the bytes after it
    bool skipping_ = false;      // dropping the rest of a line reported TooLong
    // A write failed or timed out: the client no longer reads what we send,
    // so nothing it sent after that may be acted on (a pipelined POP3 QUIT
    // must not delete mail, and every further command would wait another
    // write timeout, holding the slot). Reads report Error from then on.
    bool broken_ = false;
};

} // namespace sbbs
