// SocketSessionIo: a non-blocking socket driven with poll(), so every wait has
// a timeout, with OpenSSL layered on after STARTTLS or for implicit TLS.
#include "net/socket_session_io.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

namespace sbbs {

namespace {

constexpr size_t kChunk = 4096;

enum class Wait { Ready, Timeout, Error };

Wait wait_for(int fd, short events, int timeout_ms) {
    pollfd p{fd, events, 0};
    for (;;) {
        int n = ::poll(&p, 1, timeout_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Wait::Error;
        return n == 0 ? Wait::Timeout : Wait::Ready;
    }
}

int to_ms(unsigned seconds) { return static_cast<int>(seconds * 1000u); }

} // namespace

SocketSessionIo::SocketSessionIo(Socket socket, std::shared_ptr<TlsContext> tls,
                                 SessionIoOptions options)
    : socket_(std::move(socket)), tls_ctx_(std::move(tls)), options_(options),
      peer_(socket_.peer()), local_(socket_.local()) {
    (void)socket_.set_nonblocking(true);
}

SocketSessionIo::~SocketSessionIo() { close(); }

void SocketSessionIo::interrupt() {
    std::lock_guard<std::mutex> lock(close_mutex_);
    socket_.shutdown_both();
}

void SocketSessionIo::close() {
    std::lock_guard<std::mutex> lock(close_mutex_);
    if (ssl_) {
        SSL_shutdown(ssl_);   // one non-blocking attempt to say goodbye
        SSL_free(ssl_);
        ssl_ = nullptr;
    }
    socket_.reset();
    buffer_.clear();
    head_ = 0;
}

ReadLine SocketSessionIo::read_line(size_t max_len, unsigned timeout_s) {
    if (!socket_.valid()) return {ReadStatus::Closed, {}};
    if (broken_) return {ReadStatus::Error, {}};
    for (;;) {
        if (auto line = take_line(max_len)) return std::move(*line);
        switch (fill(timeout_s)) {
        case Fill::Data: break;
        case Fill::Timeout: return {ReadStatus::Timeout, {}};
        case Fill::Closed: return {ReadStatus::Closed, {}};
        case Fill::Error: return {ReadStatus::Error, {}};
        }
    }
}

// Whatever is buffered first, so bytes a client pipelined behind its BDAT
// command are not waited for again; a line reported TooLong has ended the
// session before any chunk can follow, so `skipping_` plays no part here.
ReadBytes SocketSessionIo::read_bytes(size_t max_len, unsigned timeout_s) {
    if (!socket_.valid()) return {ReadStatus::Closed, {}};
    if (broken_) return {ReadStatus::Error, {}};
    if (max_len == 0) return {ReadStatus::Line, {}};
    while (buffer_.size() == head_) {
        buffer_.clear();
        head_ = 0;
        switch (fill(timeout_s)) {
        case Fill::Data: break;
        case Fill::Timeout: return {ReadStatus::Timeout, {}};
        case Fill::Closed: return {ReadStatus::Closed, {}};
        case Fill::Error: return {ReadStatus::Error, {}};
        }
    }
    size_t n = std::min(max_len, buffer_.size() - head_);
    ReadBytes r{ReadStatus::Line, buffer_.substr(head_, n)};
    head_ += n;
    if (head_ == buffer_.size()) {
        buffer_.clear();
        head_ = 0;
    }
    return r;
}

// One line out of the buffer, or nothing until more input arrives. A line
// longer than `max_len` is reported as soon as it passes the limit: waiting
// for its end would leave a client that never sends one without an answer
// (issue #13). Its bytes are dropped as they arrive, so memory stays bounded.
std::optional<ReadLine> SocketSessionIo::take_line(size_t max_len) {
    for (;;) {
        size_t nl = buffer_.find('\n', head_);
        if (nl == std::string::npos) {
            // +1: the CR of a line of exactly max_len may wait for its LF.
            bool over = !skipping_ && buffer_.size() - head_ > max_len + 1;
            if (skipping_ || over) buffer_.clear();
            else buffer_.erase(0, head_);   // keep only the partial line
            head_ = 0;
            if (!over) return std::nullopt;
            skipping_ = true;
            return ReadLine{ReadStatus::TooLong, {}};
        }
        size_t begin = head_;
        head_ = nl + 1;
        if (skipping_) {                    // the end of a line already reported
            skipping_ = false;
            continue;
        }
        size_t len = nl - begin;
        LineEnd end = LineEnd::BareLf;
        if (len > 0 && buffer_[nl - 1] == '\r') {
            --len;
            end = LineEnd::CrLf;
        }
        if (len > max_len) return ReadLine{ReadStatus::TooLong, {}};
        return ReadLine{ReadStatus::Line, buffer_.substr(begin, len), end};
    }
}

SocketSessionIo::Fill SocketSessionIo::fill(unsigned timeout_s) {
    return ssl_ ? fill_tls(timeout_s) : fill_plain(timeout_s);
}

SocketSessionIo::Fill SocketSessionIo::fill_plain(unsigned timeout_s) {
    char buf[kChunk];
    for (;;) {
        ssize_t n = ::recv(socket_.fd(), buf, sizeof buf, 0);
        if (n > 0) {
            buffer_.append(buf, static_cast<size_t>(n));
            return Fill::Data;
        }
        if (n == 0 || errno == ECONNRESET || errno == EPIPE) return Fill::Closed;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return Fill::Error;
        Wait w = wait_for(socket_.fd(), POLLIN, to_ms(timeout_s));
        if (w != Wait::Ready) return w == Wait::Timeout ? Fill::Timeout : Fill::Error;
    }
}

SocketSessionIo::Fill SocketSessionIo::fill_tls(unsigned timeout_s) {
    char buf[kChunk];
    for (;;) {
        int n = SSL_read(ssl_, buf, sizeof buf);
        if (n > 0) {
            buffer_.append(buf, static_cast<size_t>(n));
            return Fill::Data;
        }
        int err = SSL_get_error(ssl_, n);
        if (err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SYSCALL) return Fill::Closed;
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return Fill::Error;
        short ev = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        Wait w = wait_for(socket_.fd(), ev, to_ms(timeout_s));
        if (w != Wait::Ready) return w == Wait::Timeout ? Fill::Timeout : Fill::Error;
    }
}

bool SocketSessionIo::write(std::string_view bytes) {
    if (!socket_.valid() || broken_) return false;
    broken_ = !(ssl_ ? write_tls(bytes) : write_plain(bytes));
    return !broken_;
}

bool SocketSessionIo::write_plain(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(socket_.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            bytes.remove_prefix(static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;
        if (wait_for(socket_.fd(), POLLOUT, to_ms(options_.write_timeout_s)) != Wait::Ready) return false;
    }
    return true;
}

bool SocketSessionIo::write_tls(std::string_view bytes) {
    while (!bytes.empty()) {
        int n = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), 1 << 20)));
        if (n > 0) {
            bytes.remove_prefix(static_cast<size_t>(n));
            continue;
        }
        int err = SSL_get_error(ssl_, n);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return false;
        short ev = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        if (wait_for(socket_.fd(), ev, to_ms(options_.write_timeout_s)) != Wait::Ready) return false;
    }
    return true;
}

bool SocketSessionIo::input_pending() {
    if (!socket_.valid() || broken_) return false;
    // The rest of a line reported TooLong is dropped, not a command: a client
    // still sending it is owed its reply now (issue #13), so input counts only
    // once that line has ended and more follows it.
    if (skipping_) {
        size_t nl = buffer_.find('\n', head_);
        return nl != std::string::npos && nl + 1 < buffer_.size();
    }
    if (buffer_.size() > head_ || (ssl_ && SSL_pending(ssl_) > 0)) return true;
    return wait_for(socket_.fd(), POLLIN, 0) == Wait::Ready;
}

Status SocketSessionIo::start_tls() {
    if (!socket_.valid()) return make_error("connection closed", ErrorCode::Io);
    if (ssl_) return make_error("TLS is already active", ErrorCode::Invalid);
    if (!tls_ctx_) return make_error("TLS is not available", ErrorCode::Invalid);
    buffer_.clear();   // plain text sent before the handshake must not count as protected
    head_ = 0;
    skipping_ = false;
    ssl_ = SSL_new(tls_ctx_->native());
    if (!ssl_ || SSL_set_fd(ssl_, socket_.fd()) != 1) return make_error("SSL_new: " + tls_error_text());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.handshake_timeout_s);
    for (;;) {
        int n = SSL_accept(ssl_);
        if (n == 1) return {};
        int err = SSL_get_error(ssl_, n);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        bool retry = (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) && left.count() > 0 &&
                     wait_for(socket_.fd(), err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
                              static_cast<int>(left.count())) == Wait::Ready;
        if (retry) continue;
        std::string why = err == SSL_ERROR_SSL ? tls_error_text()
                        : (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) ? "handshake timed out"
                        : "connection closed during handshake";
        SSL_free(ssl_);
        ssl_ = nullptr;
        return make_error("TLS handshake failed: " + why, ErrorCode::Io);
    }
}

} // namespace sbbs
