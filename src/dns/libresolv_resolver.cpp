// LibresolvResolver: res_nquery on a private res_state, answers parsed with
// ns_initparse/ns_parserr (the platform file of the dns module).
#include "dns/libresolv_resolver.h"

#include <algorithm>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

namespace sbbs {

struct LibresolvResolver::State {
    struct __res_state res;
    bool inited = false;
    State() { std::memset(&res, 0, sizeof res); }
    ~State() {
        if (inited) res_nclose(&res);
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
};

// A res_state borrowed for one query: taken from the idle pool (or made) on
// construction, given back on destruction. The pool's lock is held only to
// take or give back, never while the query waits on the network.
class LibresolvResolver::Lease {
public:
    explicit Lease(LibresolvResolver& owner) : owner_(owner) {
        {
            std::lock_guard lk(owner_.mu_);
            if (!owner_.idle_.empty()) {
                state_ = std::move(owner_.idle_.back());
                owner_.idle_.pop_back();
            }
        }
        if (!state_) state_ = owner_.make_state();
    }
    ~Lease() {
        if (!state_) return;
        std::lock_guard lk(owner_.mu_);
        if (owner_.idle_.size() < kMaxIdle) owner_.idle_.push_back(std::move(state_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    struct __res_state* get() const { return state_ ? &state_->res : nullptr; }

private:
    // Enough for the usual concurrency; a burst beyond it makes and closes
    // states rather than keeping their sockets for ever.
    static constexpr size_t kMaxIdle = 8;
    LibresolvResolver& owner_;
    std::unique_ptr<State> state_;
};

namespace {

// The server override: an IPv4 literal, or a name looked up once (SEND-32).
bool resolve_server(const std::string& server, in_addr& out, std::string& error) {
    std::string s = server;
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    if (inet_pton(AF_INET, s.c_str(), &out) == 1) return true;
    addrinfo hints{};
    hints.ai_family = AF_INET;
    addrinfo* res = nullptr;
    int rc = getaddrinfo(s.c_str(), nullptr, &hints, &res);
    if (rc != 0 || !res) {
        error = "cannot resolve DNS server '" + server + "': " + gai_strerror(rc);
        return false;
    }
    out = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return true;
}

std::string ntop(int family, const void* addr) {
    char buf[INET6_ADDRSTRLEN] = {};
    return inet_ntop(family, addr, buf, sizeof buf) ? buf : "";
}

// Walk the answer section of `msg`, calling f(rr, msg) for each record.
template <class F>
bool each_answer(const std::string& msg, F f) {
    ns_msg handle;
    auto* p = reinterpret_cast<const unsigned char*>(msg.data());
    if (ns_initparse(p, int(msg.size()), &handle) < 0) return false;
    int count = ns_msg_count(handle, ns_s_an);
    for (int i = 0; i < count; ++i) {
        ns_rr rr;
        if (ns_parserr(&handle, ns_s_an, i, &rr) < 0) return false;
        f(rr, handle);
    }
    return true;
}

std::string rr_name(const ns_msg& handle, const unsigned char* at) {
    char name[NS_MAXDNAME] = {};
    if (ns_name_uncompress(ns_msg_base(handle), ns_msg_end(handle), at, name, sizeof name) < 0) return {};
    return name;
}

template <class T>
DnsAnswer<T> carry_failure(const DnsAnswer<std::string>& raw) {
    DnsAnswer<T> out;
    out.status = raw.status;
    out.error = raw.error;
    return out;
}

} // namespace

namespace {

// A TXT record's character-strings joined without separators (RFC 7208 3.3).
std::string txt_text(const ns_rr& rr) {
    std::string out;
    const unsigned char* p = ns_rr_rdata(rr);
    const unsigned char* end = p + ns_rr_rdlen(rr);
    while (p < end) {
        size_t len = *p++;
        len = std::min<size_t>(len, size_t(end - p));   // a short string is kept as far as it goes
        out.append(reinterpret_cast<const char*>(p), len);
        p += len;
    }
    return out;
}

// One record of `type` as records() gives it; "" when the record is unusable.
std::string record_text(const ns_rr& rr, const ns_msg& h, DnsType type) {
    switch (type) {
    case DnsType::A: return ns_rr_rdlen(rr) == 4 ? ntop(AF_INET, ns_rr_rdata(rr)) : "";
    case DnsType::Aaaa: return ns_rr_rdlen(rr) == 16 ? ntop(AF_INET6, ns_rr_rdata(rr)) : "";
    case DnsType::Ptr: return rr_name(h, ns_rr_rdata(rr));
    case DnsType::Mx: {
        if (ns_rr_rdlen(rr) < 3) return "";
        std::string host = rr_name(h, ns_rr_rdata(rr) + 2);
        return std::to_string(ns_get16(ns_rr_rdata(rr))) + " " + (host.empty() ? "." : host);
    }
    case DnsType::Txt: return txt_text(rr);
    }
    return "";
}

} // namespace

DnsAnswer<std::string> parse_records_answer(const std::string& msg, DnsType type) {
    DnsAnswer<std::string> out;
    out.status = DnsStatus::NoData;
    bool first = true;
    bool parsed = each_answer(msg, [&](const ns_rr& rr, const ns_msg& h) {
        if (ns_rr_type(rr) != int(type)) return;                   // CNAMEs on the way are skipped
        std::string text = record_text(rr, h, type);
        if (text.empty() && type != DnsType::Txt) return;
        out.records.push_back(std::move(text));
        out.ttl = first ? ns_rr_ttl(rr) : std::min<uint32_t>(out.ttl, ns_rr_ttl(rr));
        first = false;
    });
    if (!parsed) return {DnsStatus::TempFail, {}, "malformed DNS reply", 0};
    if (!out.records.empty()) out.status = DnsStatus::Ok;
    return out;
}

DnsAnswer<MxRecord> parse_mx_answer(const std::string& msg) {
    DnsAnswer<MxRecord> out;
    out.status = DnsStatus::Ok;
    bool parsed = each_answer(msg, [&](const ns_rr& rr, const ns_msg& h) {
        if (ns_rr_type(rr) != ns_t_mx || ns_rr_rdlen(rr) < 3) return;
        MxRecord r;
        r.preference = ns_get16(ns_rr_rdata(rr));
        r.host = rr_name(h, ns_rr_rdata(rr) + 2);
        if (r.host.empty()) r.host = ".";   // the root: an RFC 7505 null MX
        out.records.push_back(std::move(r));
    });
    if (!parsed) return {DnsStatus::TempFail, {}, "malformed DNS reply"};
    std::stable_sort(out.records.begin(), out.records.end(),
                     [](const MxRecord& x, const MxRecord& y) { return x.preference < y.preference; });
    if (out.records.empty()) out.status = DnsStatus::NoData;
    return out;
}

void append_address_answer(const std::string& msg, std::vector<std::string>& records) {
    each_answer(msg, [&](const ns_rr& rr, const ns_msg&) {
        if (ns_rr_type(rr) == ns_t_a && ns_rr_rdlen(rr) == 4)
            records.push_back(ntop(AF_INET, ns_rr_rdata(rr)));
        else if (ns_rr_type(rr) == ns_t_aaaa && ns_rr_rdlen(rr) == 16)
            records.push_back(ntop(AF_INET6, ns_rr_rdata(rr)));
    });
}

DnsAnswer<std::string> parse_ptr_answer(const std::string& msg) {
    DnsAnswer<std::string> out;
    out.status = DnsStatus::Ok;
    each_answer(msg, [&](const ns_rr& rr, const ns_msg& h) {
        if (ns_rr_type(rr) != ns_t_ptr) return;
        auto n = rr_name(h, ns_rr_rdata(rr));
        if (!n.empty()) out.records.push_back(std::move(n));
    });
    if (out.records.empty()) out.status = DnsStatus::NoData;
    return out;
}

DnsAnswer<std::string> parse_a_answer(const std::string& msg) {
    DnsAnswer<std::string> out;
    out.status = DnsStatus::NoData;
    each_answer(msg, [&](const ns_rr& rr, const ns_msg&) {
        if (out.records.empty() && ns_rr_type(rr) == ns_t_a && ns_rr_rdlen(rr) == 4) {
            out.records.push_back(ntop(AF_INET, ns_rr_rdata(rr)));
            out.ttl = ns_rr_ttl(rr);       // the DNSBL cache keeps the answer this long
            out.status = DnsStatus::Ok;
        }
    });
    return out;
}

DnsAnswer<std::string> parse_txt_answer(const std::string& msg) {
    DnsAnswer<std::string> out;
    out.status = DnsStatus::NoData;
    bool parsed = each_answer(msg, [&](const ns_rr& rr, const ns_msg&) {
        if (ns_rr_type(rr) != ns_t_txt) return;
        // RDATA is a run of <length><bytes> character-strings; a length that
        // runs past the record makes the record unusable, not the reply.
        const unsigned char* p = ns_rr_rdata(rr);
        const unsigned char* end = p + ns_rr_rdlen(rr);
        std::string text;
        while (p < end) {
            size_t n = *p++;
            if (n > size_t(end - p)) return;
            text.append(reinterpret_cast<const char*>(p), n);
            p += n;
        }
        uint32_t ttl = ns_rr_ttl(rr);
        out.ttl = out.records.empty() ? ttl : std::min(out.ttl, ttl);
        out.records.push_back(std::move(text));
        out.status = DnsStatus::Ok;
    });
    if (!parsed) return {DnsStatus::TempFail, {}, "malformed DNS reply"};
    return out;
}

LibresolvResolver::LibresolvResolver(ResolverOptions options) : options_(std::move(options)) {
    if (!options_.server.empty()) {
        in_addr addr{};
        if (!resolve_server(options_.server, addr, init_error_)) return;
        has_server_ = true;
        server_addr_ = addr.s_addr;
        server_text_ = ntop(AF_INET, &addr);
    }
    auto first = make_state();
    if (!first) {
        init_error_ = "res_ninit failed";
        return;
    }
    if (!has_server_)
        for (int i = 0; i < first->res.nscount; ++i)
            if (first->res.nsaddr_list[i].sin_family == AF_INET) {
                server_text_ = ntop(AF_INET, &first->res.nsaddr_list[i].sin_addr);
                break;
            }
    idle_.push_back(std::move(first));
}

LibresolvResolver::~LibresolvResolver() = default;

std::unique_ptr<LibresolvResolver::State> LibresolvResolver::make_state() const {
    auto st = std::make_unique<State>();
    if (res_ninit(&st->res) != 0) return nullptr;
    st->inited = true;
    auto& res = st->res;
    res.retrans = int(std::max(1u, options_.timeout_s));
    res.retry = int(std::max(1u, options_.tries));
    res.options &= ~(RES_DNSRCH | RES_DEFNAMES);
    if (options_.use_tcp) res.options |= RES_USEVC | RES_STAYOPEN;
    if (has_server_) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(options_.port ? options_.port : 53);
        sin.sin_addr.s_addr = server_addr_;
        res.nsaddr_list[0] = sin;
        res.nscount = 1;
    }
    return st;
}

DnsAnswer<std::string> LibresolvResolver::query(const std::string& name, int type) {
    DnsAnswer<std::string> out;
    if (!usable()) {
        out.error = init_error_;
        return out;
    }
    Lease lease(*this);
    struct __res_state* res = lease.get();
    if (!res) {
        out.error = "res_ninit failed";
        return out;
    }
    std::string buf(65536, '\0');
    auto* p = reinterpret_cast<unsigned char*>(buf.data());
    int len = res_nquery(res, name.c_str(), ns_c_in, type, p, int(buf.size()));
    if (len >= 0) {
        buf.resize(size_t(std::min<int>(len, int(buf.size()))));
        out.status = DnsStatus::Ok;
        out.records.push_back(std::move(buf));
        return out;
    }
    switch (res->res_h_errno) {
    case HOST_NOT_FOUND: out.status = DnsStatus::NxDomain; break;
    case NO_DATA: out.status = DnsStatus::NoData; break;
    default:
        out.status = DnsStatus::TempFail;
        out.error = res->res_h_errno == TRY_AGAIN ? "no reply from the DNS server (timeout or SERVFAIL)"
                                                  : "DNS query failed";
        break;
    }
    return out;
}

ResolverOptions session_resolver_options() {
    ResolverOptions o;
    o.timeout_s = 3;
    o.tries = 2;
    return o;
}

DnsAnswer<std::string> LibresolvResolver::records(const std::string& name, DnsType type) {
    auto raw = query(name, int(type));
    if (raw.status != DnsStatus::Ok) return raw;
    return parse_records_answer(raw.records.front(), type);
}

DnsAnswer<MxRecord> LibresolvResolver::mx(const std::string& domain) {
    auto raw = query(domain, ns_t_mx);
    if (raw.status != DnsStatus::Ok) return carry_failure<MxRecord>(raw);
    return parse_mx_answer(raw.records.front());
}

DnsAnswer<std::string> LibresolvResolver::addresses(const std::string& host) {
    DnsAnswer<std::string> out;
    bool any_nx = false, all_nx = true;
    for (int type : {int(ns_t_a), int(ns_t_aaaa)}) {
        auto raw = query(host, type);
        if (raw.status != DnsStatus::Ok) {
            any_nx = any_nx || raw.status == DnsStatus::NxDomain;
            all_nx = all_nx && raw.status == DnsStatus::NxDomain;
            if (raw.status == DnsStatus::TempFail && out.error.empty()) out.error = raw.error;
            continue;
        }
        all_nx = false;
        append_address_answer(raw.records.front(), out.records);
    }
    if (!out.records.empty()) out.status = DnsStatus::Ok;
    else if (any_nx && all_nx) out.status = DnsStatus::NxDomain;
    else if (!out.error.empty()) out.status = DnsStatus::TempFail;
    else out.status = DnsStatus::NoData;
    if (out.status != DnsStatus::TempFail) out.error.clear();
    return out;
}

DnsAnswer<std::string> LibresolvResolver::ptr(const std::string& ip) {
    std::string name = reverse_name(ip);
    if (name.empty()) return {DnsStatus::NxDomain, {}, "not an IP address: " + ip};
    auto raw = query(name, ns_t_ptr);
    if (raw.status != DnsStatus::Ok) return raw;
    return parse_ptr_answer(raw.records.front());
}

DnsAnswer<std::string> LibresolvResolver::a(const std::string& name) {
    auto raw = query(name, ns_t_a);
    if (raw.status != DnsStatus::Ok) return raw;
    return parse_a_answer(raw.records.front());
}

std::string reverse_name(const std::string& ip) {
    unsigned char b[16];
    if (inet_pton(AF_INET, ip.c_str(), b) == 1)
        return std::to_string(b[3]) + "." + std::to_string(b[2]) + "." + std::to_string(b[1]) + "." +
               std::to_string(b[0]) + ".in-addr.arpa";
    if (inet_pton(AF_INET6, ip.c_str(), b) != 1) return {};
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 15; i >= 0; --i) {
        out += hex[b[i] & 0xF];
        out += '.';
        out += hex[b[i] >> 4];
        out += '.';
    }
    return out + "ip6.arpa";
}

} // namespace sbbs
