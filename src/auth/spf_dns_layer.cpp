// SpfDnsLayer (see spf_dns_layer.h).
#include "auth/spf_dns_layer.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace sbbs::auth {

namespace {

// RFC 7208 4.6.4: "SPF implementations SHOULD limit void lookups to two";
// an MX answer naming more than ten hosts is a permerror.
constexpr unsigned kMaxVoidLookups = 2;
constexpr size_t kMaxMxNames = 10;

std::string lower_name(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    while (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::optional<DnsType> type_of(ns_type t) {
    switch (t) {
    case ns_t_a: return DnsType::A;
    case ns_t_aaaa: return DnsType::Aaaa;
    case ns_t_mx: return DnsType::Mx;
    case ns_t_ptr: return DnsType::Ptr;
    case ns_t_txt: return DnsType::Txt;
    default: return std::nullopt;
    }
}

SPF_dns_stat_t herrno_of(DnsStatus s) {
    switch (s) {
    case DnsStatus::Ok: return NETDB_SUCCESS;
    case DnsStatus::NxDomain: return HOST_NOT_FOUND;
    case DnsStatus::NoData: return NO_DATA;
    case DnsStatus::TempFail: return TRY_AGAIN;
    }
    return TRY_AGAIN;
}

} // namespace

SpfDnsLayer::SpfDnsLayer(SpfLookups& lookups) : lookups_(lookups) {
    server_.destroy = nullptr;
    server_.lookup = &SpfDnsLayer::lookup;
    server_.name = "sbbsmail";
    server_.hook = this;
}

SPF_dns_rr_t* SpfDnsLayer::lookup(SPF_dns_server_t* s, const char* domain, ns_type type, int) {
    return static_cast<SpfDnsLayer*>(s->hook)->answer(domain, type);
}

// The void look-up count of RFC 7208 4.6.4, for the names a mechanism or
// modifier itself names; the addresses of MX and PTR host names are not
// counted (a v6 client would otherwise "void" on every v4-only MX host).
void SpfDnsLayer::count_void(const std::string& name, ns_type type) {
    if ((type == ns_t_a || type == ns_t_aaaa) && derived_.count(name)) return;
    if (type == ns_t_txt && first_txt_) return;
    if (++voids_ > kMaxVoidLookups && limit_.empty())
        limit_ = "more than " + std::to_string(kMaxVoidLookups) + " void DNS look-ups";
}

bool SpfDnsLayer::fill(SPF_dns_rr_t* rr, ns_type type, const std::string& text) {
    const int i = rr->num_rr;
    if (type == ns_t_a || type == ns_t_aaaa) {
        const size_t size = type == ns_t_a ? sizeof(in_addr) : sizeof(in6_addr);
        if (SPF_dns_rr_buf_realloc(rr, i, size) != SPF_E_SUCCESS) return false;
        void* dst = type == ns_t_a ? static_cast<void*>(&rr->rr[i]->a) : static_cast<void*>(&rr->rr[i]->aaaa);
        if (inet_pton(type == ns_t_a ? AF_INET : AF_INET6, text.c_str(), dst) != 1) return true;   // skipped
    } else {
        std::string value = text;
        if (type == ns_t_mx) value = lower_name(text.substr(text.find(' ') + 1));      // "pref host"
        if (type == ns_t_ptr) value = lower_name(text);
        if (type == ns_t_mx || type == ns_t_ptr) derived_.insert(value);
        if (SPF_dns_rr_buf_realloc(rr, i, value.size() + 1) != SPF_E_SUCCESS) return false;
        std::memcpy(rr->rr[i]->txt, value.c_str(), value.size() + 1);   // txt, mx and ptr share the union
    }
    rr->num_rr = i + 1;
    return true;
}

SPF_dns_rr_t* SpfDnsLayer::answer(const char* domain, ns_type type) {
    const std::string name = lower_name(domain ? domain : "");
    auto t = type_of(type);
    if (!t)   // type SPF (99) and others: not asked (RFC 7208 3.1, 14.1), answered "no data"
        return SPF_dns_rr_new_init(&server_, name.c_str(), type, 0, NO_DATA);
    DnsAnswer<std::string> a = lookups_.ask(name, *t);
    if (a.status == DnsStatus::TempFail && temp_error_.empty()) temp_error_ = name + ": " + a.error;
    if (a.status == DnsStatus::NxDomain || a.status == DnsStatus::NoData ||
        (a.status == DnsStatus::Ok && a.records.empty()))
        count_void(name, type);
    if (type == ns_t_txt) first_txt_ = false;
    if (type == ns_t_mx && a.records.size() > kMaxMxNames && limit_.empty())
        limit_ = "more than " + std::to_string(kMaxMxNames) + " MX names for " + name;
    SPF_dns_rr_t* rr = SPF_dns_rr_new_init(&server_, name.c_str(), type, int(a.ttl), herrno_of(a.status));
    if (!rr) return nullptr;
    for (const std::string& text : a.records)
        if (!fill(rr, type, text)) break;
    return rr;
}

} // namespace sbbs::auth
