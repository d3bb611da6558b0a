// Route choice and host resolution (see route.h).
#include "sendmail/route.h"

#include "config/options.h"
#include "net/connector.h"
#include "net/socket_address.h"
#include "sendmail/envelope.h"
#include "util/strings.h"

namespace sbbs {

bool is_local_domain(const std::string& domain, const SendMailSettings& s) {
    for (auto& d : s.local_domains)
        if (iequals(d, domain)) return true;
    return false;
}

Route choose_route(const std::string& domain, const SendMailSettings& s, Resolver& dns,
                   const std::string& dns_server_text) {
    Route r;
    if (is_local_domain(domain, s)) {
        r.kind = RouteKind::Local;
        r.hosts.push_back({s.outbound_interface.empty() ? "127.0.0.1" : s.outbound_interface, s.smtp_port});
        return r;
    }
    if (s.has(mail_opt::RELAY_TX)) {
        r.kind = RouteKind::Relay;
        r.hosts.push_back({s.relay_server, s.relay_port});
        return r;
    }
    auto hp = envelope::split_port(domain);
    if (hp.port) {
        r.kind = RouteKind::Explicit;
        r.hosts.push_back({hp.host, hp.port});
        return r;
    }
    r.kind = RouteKind::Mx;
    auto mx = dns.mx(hp.host);
    switch (mx.status) {
    case DnsStatus::Ok:
        // RFC 7505 null MX: the domain accepts no mail at all.
        if (mx.records.size() == 1 && (mx.records[0].host.empty() || mx.records[0].host == ".")) {
            r.permanent = true;
            r.error = "Domain " + hp.host + " does not accept mail (null MX)";
            r.log_text = r.error;
            return r;
        }
        for (auto& rec : mx.records) r.hosts.push_back({rec.host, s.mx_port});
        return r;
    case DnsStatus::NoData:
        r.hosts.push_back({hp.host, s.mx_port});   // implicit MX (SEND-36)
        return r;
    case DnsStatus::NxDomain:
        // Ours (SEND-38): an authoritative NXDOMAIN cannot get better.
        r.permanent = true;
        r.error = "Domain " + hp.host + " does not exist (NXDOMAIN)";
        r.log_text = r.error;
        return r;
    case DnsStatus::TempFail:
        break;
    }
    // SEND-37: a failed query (time-out, no usable server) is code -1.
    r.error = "Error -1 obtaining MX record for " + hp.host;
    r.log_text = "ERROR -1 obtaining MX records for " + hp.host + " from " + dns_server_text +
                 (mx.error.empty() ? "" : " (" + mx.error + ")");
    return r;
}

std::string bare_host(const std::string& name) {
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') return name.substr(1, name.size() - 2);
    return name;
}

std::string resolve_host(const std::string& name, Resolver& dns, bool system_fallback) {
    std::string n = bare_host(name);
    if (parse_numeric_address(n, 0)) return n;
    auto a = dns.addresses(n);
    if (a.status != DnsStatus::Ok || a.records.empty()) return system_fallback ? system_address(n) : "";
    return a.records.front();
}

bool reaches_this_host(const std::string& ip) {
    auto a = parse_numeric_address(ip, 0);
    return !a || is_this_host(*a);
}

} // namespace sbbs
