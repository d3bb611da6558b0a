// ctrl/sockopts.ini sections and their effect on an accepted socket.
#include "net/listener.h"
#include "server/socket_options.h"

#include <catch.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace sbbs;

namespace {

int get_option(const Socket& s, int level, int option) {
    int v = -1;
    socklen_t len = sizeof v;
    REQUIRE(::getsockopt(s.fd(), level, option, &v, &len) == 0);
    return v;
}

} // namespace

TEST_CASE("SMTP-263 ours: sockopts.ini root, [tcp], then [mail|<protocol>] by its whole name", "[server]") {
    Diagnostics diags;
    auto t = SocketOptionTable::parse("SNDBUF=65536\n"
                                      "[tcp]\nKEEPALIVE=true\nTCP_NODELAY=1\n"
                                      "[mail|SMTP]\nKEEPALIVE=false\nTCP_KEEPIDLE=600\n"
                                      "[mail|POP3]\nTCP_KEEPCNT=3\n",
                                      diags);
    auto smtp = t.for_protocol("SMTP");
    REQUIRE(smtp.size() == 5);
    CHECK(smtp[0].name == "SNDBUF");
    CHECK(smtp[0].value == 65536);
    CHECK(smtp[1].name == "KEEPALIVE");
    CHECK(smtp[1].value == 1);
    CHECK(smtp[3].name == "KEEPALIVE");   // the protocol's own section comes last and wins
    CHECK(smtp[3].value == 0);
    CHECK(smtp[4].value == 600);
    CHECK(t.for_protocol("SMTPS").size() == 3);   // [mail|SMTP] is not [mail|SMTPS]
    CHECK(t.for_protocol("POP3").back().name == "TCP_KEEPCNT");
    CHECK(SocketOptionTable().for_protocol("SMTP").empty());
}

TEST_CASE("SMTP-263 socket options are set on a socket; unknown names are reported", "[server]") {
    auto l = open_listener("127.0.0.1", 0);
    REQUIRE(l.ok());
    auto c = connect_tcp("127.0.0.1", l->local().port);
    REQUIRE(c.ok());
    auto failed = apply_socket_options(*c, {{"KEEPALIVE", 1}, {"TCP_KEEPIDLE", 321}, {"NO_SUCH_OPTION", 1},
                                            {"linger", 5}});
    CHECK(failed == std::vector<std::string>{"NO_SUCH_OPTION"});
    CHECK(get_option(*c, SOL_SOCKET, SO_KEEPALIVE) == 1);
    CHECK(get_option(*c, IPPROTO_TCP, TCP_KEEPIDLE) == 321);
}

// The original's stock ctrl/sockopts.ini, as it ships: IPV6_V6ONLY in the root
// section, TCP_NODELAY and KEEPALIVE under [tcp].
static const char* const kStockSockopts =
    "; Global socket options set here, in root section\n"
    "IPV6_V6ONLY = 1\n"
    "\n[tcp]\nTCP_NODELAY = TRUE\nKEEPALIVE = TRUE\n"
    "\n[udp]\n\n[unix]\n";

TEST_CASE("ISSUE13-3 SMTP-263 the stock sockopts.ini fails no option on an IPv4 or IPv6 session", "[server]") {
    Diagnostics diags;
    auto t = SocketOptionTable::parse(kStockSockopts, diags);
    CHECK(diags.empty());
    for (const char* host : {"127.0.0.1", "::1"}) {
        auto l = open_listener(host, 0);
        if (!l.ok()) {
            REQUIRE(std::string(host) == "::1");   // a host without IPv6 loopback
            continue;
        }
        auto c = connect_tcp(host, l->local().port);
        REQUIRE(c.ok());
        for (const char* protocol : {"SMTP", "SMTPS", "POP3", "POP3S"})
            CHECK(apply_socket_options(*c, t.for_protocol(protocol)).empty());
        CHECK(get_option(*c, IPPROTO_TCP, TCP_NODELAY) == 1);
        CHECK(get_option(*c, SOL_SOCKET, SO_KEEPALIVE) == 1);
    }
}

TEST_CASE("ISSUE13-3 IPV6_V6ONLY is set on an unconnected IPv6 socket, where its level fits", "[server]") {
    int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    Socket s(fd);
    int zero = 0;
    REQUIRE(::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) == 0);
    CHECK(apply_socket_options(s, {{"IPV6_V6ONLY", 1}}).empty());
    CHECK(get_option(s, IPPROTO_IPV6, IPV6_V6ONLY) == 1);
}
