// SpfChecker (see spf_check.h): one libspf2 server, request and response per
// identity checked, all owned here and freed on every path.
#include "auth/spf_check.h"

#include "auth/spf_dns_layer.h"
#include "util/strings.h"

#include <arpa/inet.h>

#include <memory>
#include <mutex>

namespace sbbs::auth {

namespace {

struct ServerFree { void operator()(SPF_server_t* p) const { SPF_server_free(p); } };
struct RequestFree { void operator()(SPF_request_t* p) const { SPF_request_free(p); } };
struct ResponseFree { void operator()(SPF_response_t* p) const { SPF_response_free(p); } };

// libspf2 prints warnings and notes to stderr; ours go to the log through
// the verdict. Its error handler stays (it aborts on a broken invariant).
void quiet_libspf2() {
    static std::once_flag once;
    std::call_once(once, [] {
        SPF_warning_handler = nullptr;
        SPF_info_handler = nullptr;
        SPF_debug_handler = nullptr;
    });
}

SpfResult result_of(SPF_result_t r) {
    switch (r) {
    case SPF_RESULT_PASS: return SpfResult::Pass;
    case SPF_RESULT_FAIL: return SpfResult::Fail;
    case SPF_RESULT_SOFTFAIL: return SpfResult::Softfail;
    case SPF_RESULT_NEUTRAL: return SpfResult::Neutral;
    case SPF_RESULT_NONE: return SpfResult::None;
    case SPF_RESULT_TEMPERROR: return SpfResult::Temperror;
    case SPF_RESULT_PERMERROR: return SpfResult::Permerror;
    case SPF_RESULT_INVALID: break;       // a record that did not compile (RFC 7208 4.6: permerror)
    }
    return SpfResult::Permerror;
}

bool set_client(SPF_request_t* req, const std::string& ip) {
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) return SPF_request_set_ipv4(req, v4) == SPF_E_SUCCESS;
    // A v4 client on a dual-stack socket: its ip4 mechanisms must match (RFC 7208 5.6).
    if (ip.size() > 7 && (ip.compare(0, 7, "::ffff:") == 0 || ip.compare(0, 7, "::FFFF:") == 0) &&
        inet_pton(AF_INET, ip.c_str() + 7, &v4) == 1)
        return SPF_request_set_ipv4(req, v4) == SPF_E_SUCCESS;
    if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) return SPF_request_set_ipv6(req, v6) == SPF_E_SUCCESS;
    return false;
}

std::string domain_of(const std::string& address) {
    auto at = address.rfind('@');
    return at == std::string::npos ? address : address.substr(at + 1);
}

} // namespace

bool spf_domain_usable(const std::string& domain) {
    std::string d = domain;
    if (!d.empty() && d.back() == '.') d.pop_back();
    if (d.empty() || d.size() > 253 || d.find('.') == std::string::npos) return false;
    size_t start = 0;
    while (start <= d.size()) {
        size_t dot = d.find('.', start);
        size_t len = (dot == std::string::npos ? d.size() : dot) - start;
        if (len == 0 || len > 63) return false;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    for (unsigned char c : d)
        if (c <= 0x20 || c >= 0x7F || c == '[' || c == ']' || c == '@') return false;   // address literals
    return true;
}

std::string SpfChecker::sender_of(const SpfRequest& r) {
    if (r.mail_from.empty()) return "postmaster@" + r.helo;                          // RFC 7208 2.4
    auto at = r.mail_from.rfind('@');
    if (at == std::string::npos || at == 0) return "postmaster@" + domain_of(r.mail_from);   // 4.3
    return r.mail_from;
}

SpfVerdict SpfChecker::check_helo(const SpfRequest& r) {
    return run(r, "postmaster@" + r.helo, "helo");                                 // RFC 7208 2.3
}

SpfVerdict SpfChecker::check_mail_from(const SpfRequest& r) {
    return run(r, sender_of(r), "mailfrom");
}

SpfVerdict SpfChecker::run(const SpfRequest& r, const std::string& sender, const char* identity) {
    SpfVerdict v;
    v.identity = identity;
    v.domain = domain_of(sender);
    if (!spf_domain_usable(v.domain)) {                                               // RFC 7208 4.3
        // The client's raw text (a bare CR, say) must not reach a header
        // field, reply or log line through the verdict.
        v.domain = printable_ascii(v.domain, 255);
        v.explanation = "no usable domain to check";
        return v;
    }
    quiet_libspf2();
    // The breaker lives for this check only: the names asked are the
    // client's choice, so one client's silent name servers must not turn
    // another session's SPF into temperror (review finding 1).
    DnsHealth health;
    SpfLookups lookups(resolver_, cache_, now_() + budget_, now_, &health);
    SpfDnsLayer layer(lookups);
    std::unique_ptr<SPF_server_t, ServerFree> server(SPF_server_new_dns(layer.server(), 0));
    if (!server) return {SpfResult::Temperror, identity, v.domain, "out of memory"};
    if (!r.receiver.empty()) SPF_server_set_rec_dom(server.get(), r.receiver.c_str());
    std::unique_ptr<SPF_request_t, RequestFree> req(SPF_request_new(server.get()));
    if (!req || !set_client(req.get(), r.client_ip)) return {SpfResult::None, identity, v.domain, "no client address"};
    SPF_request_set_helo_dom(req.get(), r.helo.empty() ? v.domain.c_str() : r.helo.c_str());
    SPF_request_set_env_from(req.get(), sender.c_str());
    // SPF_request_query_mailfrom without its loopback "free pass": the same
    // two steps it takes, on the domain of `sender`.
    req->use_helo = 0;
    req->cur_dom = req->env_from_dp;
    std::unique_ptr<SPF_response_t, ResponseFree> resp(SPF_response_new(req.get()));
    if (!resp) return {SpfResult::Temperror, identity, v.domain, "out of memory"};
    SPF_record_t* record = nullptr;
    SPF_errcode_t err = SPF_server_get_record(server.get(), req.get(), resp.get(), &record);
    if (err == SPF_E_SUCCESS && record) {
        resp->spf_record_exp = record;
        err = SPF_record_interpret(record, req.get(), resp.get(), 0);
    }
    if (record) SPF_record_free(record);
    resp->spf_record_exp = nullptr;
    v.result = result_of(SPF_response_result(resp.get()));
    // Debian's libspf2 1.2.10 leaves the result unset when the record's
    // look-up failed for a while: a temporary DNS failure is temperror.
    if (SPF_response_result(resp.get()) == SPF_RESULT_INVALID && !layer.temp_error().empty())
        v.result = SpfResult::Temperror;
    if (!layer.limit_exceeded().empty()) {                                          // RFC 7208 4.6.4
        v.result = SpfResult::Permerror;
        v.explanation = printable_ascii(layer.limit_exceeded(), 200);
    } else if (v.result == SpfResult::Temperror && !layer.temp_error().empty()) {
        // Holds a name libspf2 built, maybe from the sender's local part (%{l}).
        v.explanation = printable_ascii(layer.temp_error(), 200);
    } else if (v.result == SpfResult::Fail && SPF_response_get_explanation(resp.get())) {
        v.explanation = printable_ascii(SPF_response_get_explanation(resp.get()), 200);          // exp= (6.2)
        // libspf2 1.2.10 leaves an exp= text with spaces half expanded
        // ("Not%{i}%for%{d}"): such a text is no explanation.
        if (v.explanation.find('%') != std::string::npos) v.explanation.clear();
    } else if (err != SPF_E_SUCCESS && v.result != SpfResult::None) {
        v.explanation = printable_ascii(SPF_strerror(err), 200);
    }
    return v;
}

} // namespace sbbs::auth
