// The real SmtpConnector: net's client connection (bounded connect, bind to
// OutboundInterface, STARTTLS client) seen as an SmtpLink.
#include "sendmail/smtp_link.h"

#include "net/connector.h"

namespace sbbs {
namespace {

class TcpLink : public SmtpLink {
public:
    explicit TcpLink(std::unique_ptr<ClientConnection> c) : c_(std::move(c)) {}
    ReadLine read_line(unsigned timeout_s) override { return c_->read_line(timeout_s); }
    bool write(std::string_view bytes) override { return c_->write(bytes); }
    Status start_tls(unsigned timeout_s, const TlsPeerCheck& check) override { return c_->start_tls(timeout_s, check); }
    bool is_tls() const override { return c_->is_tls(); }
    int socket_number() const override { return c_->socket_number(); }

private:
    std::unique_ptr<ClientConnection> c_;
};

class TcpConnector : public SmtpConnector {
public:
    Connected connect(const ConnectRequest& req) override {
        ClientConnect c = connect_client(req.ip, req.port, {req.timeout_s, req.io_timeout_s, req.bind_ip, req.cancel});
        if (!c.connection) return {nullptr, c.error, c.reason};
        return {std::make_unique<TcpLink>(std::move(c.connection)), 0, {}};
    }
};

} // namespace

std::unique_ptr<SmtpConnector> make_tcp_connector() { return std::make_unique<TcpConnector>(); }

} // namespace sbbs
