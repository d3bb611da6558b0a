// The real Resolver: the system's libresolv on private resolver states, so a
// DNSServer override or USE_TCP_DNS never leaks into others. A res_state is
// not for concurrent use, and one query may wait out a peer-chosen name's
// silence, so each query borrows a state of its own from a small pool: no
// lock is held while a query waits (SEC-1).
#pragma once

#include "dns/resolver.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sbbs {

struct ResolverOptions {
    // "" = the system's name servers (resolv.conf); else an IPv4 literal or a
    // host name resolved once with the system resolver (SEND-32).
    std::string server;
    uint16_t port = 53;              // non-default only for tests
    bool use_tcp = false;            // USE_TCP_DNS
    unsigned timeout_s = 30;         // per try (SEND-34)
    unsigned tries = 1;
};

class LibresolvResolver : public Resolver {
public:
    explicit LibresolvResolver(ResolverOptions options = {});
    ~LibresolvResolver() override;
    LibresolvResolver(const LibresolvResolver&) = delete;
    LibresolvResolver& operator=(const LibresolvResolver&) = delete;

    // False (with a reason) when res_ninit failed or the server is unusable
    // (SEND-33); every query then answers TempFail.
    bool usable() const { return init_error_.empty(); }
    const std::string& init_error() const { return init_error_; }
    // The name server address actually queried, as text (log lines).
    const std::string& server_address() const { return server_text_; }

    DnsAnswer<std::string> records(const std::string& name, DnsType type) override;
    DnsAnswer<MxRecord> mx(const std::string& domain) override;
    DnsAnswer<std::string> addresses(const std::string& host) override;
    DnsAnswer<std::string> ptr(const std::string& ip) override;
    DnsAnswer<std::string> a(const std::string& name) override;

private:
    struct State;
    class Lease;
    // One query of `type`; raw answer message or status.
    DnsAnswer<std::string> query(const std::string& name, int type);
    // A fresh res_state set up from options_ (null when res_ninit failed).
    std::unique_ptr<State> make_state() const;

    ResolverOptions options_;
    bool has_server_ = false;        // options_.server resolved to server_addr_
    uint32_t server_addr_ = 0;       // network byte order
    std::mutex mu_;                  // guards idle_ only, never held over a query
    std::vector<std::unique_ptr<State>> idle_;
    std::string init_error_;
    std::string server_text_;
};

// For look-ups a client waits on during its session (PTR, the SAML sender's
// domain, relay.cfg host names): the system's name servers with short tries,
// so a name whose server never answers costs a session seconds (SEC-1).
ResolverOptions session_resolver_options();

// The answer section of a raw DNS reply message, as each query reads it;
// public so the parsing can be fuzzed without a name server.
DnsAnswer<std::string> parse_records_answer(const std::string& msg, DnsType type);   // records() (NoData if none)
DnsAnswer<MxRecord> parse_mx_answer(const std::string& msg);        // sorted by preference
void append_address_answer(const std::string& msg, std::vector<std::string>& records);  // A and AAAA
DnsAnswer<std::string> parse_ptr_answer(const std::string& msg);
DnsAnswer<std::string> parse_a_answer(const std::string& msg);     // the first A, with its TTL
DnsAnswer<std::string> parse_txt_answer(const std::string& msg);   // every TXT, strings joined; least TTL

// "1.2.3.4" -> "4.3.2.1.in-addr.arpa", IPv6 -> nibble form under ip6.arpa;
// "" when `ip` is not an address.
std::string reverse_name(const std::string& ip);

} // namespace sbbs
