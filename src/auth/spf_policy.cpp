// SPF policy decisions and tags (see spf_policy.h).
#include "auth/spf_policy.h"

#include "util/strings.h"

#include <cctype>

namespace sbbs::auth {

namespace {

static_assert(int(SpfResult::Permerror) == 6 && int(SpfResult::None) == 0,
              "spf_result_bit follows the order of SpfResult");

uint32_t bit_of(SpfResult r) { return 1u << unsigned(r); }

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower((unsigned char)s[i]) != std::tolower((unsigned char)prefix[i])) return false;
    return true;
}

// The verdict's texts may hold what the client sent: printable only, so a
// CR or LF never ends the reply line early.
std::string reason(const SpfVerdict& v, const std::string& ip) {
    const std::string domain = printable_ascii(v.domain, 255);
    std::string r = std::string("SPF ") + name(v.result) + ": " + domain + " does not permit " + ip;
    if (v.result == SpfResult::Permerror) r = "SPF permerror: the SPF record of " + domain + " is unusable";
    if (v.result == SpfResult::None) r = "SPF none: " + domain + " publishes no SPF record";
    if (!v.explanation.empty()) r += " (" + printable_ascii(v.explanation) + ")";
    return r;
}

} // namespace

PolicyDecision spf_decision(const MailAuthSettings& s, const SpfVerdict& v, const std::string& client_ip) {
    PolicyDecision d;
    if (v.result == SpfResult::Temperror) {                                           // never by default
        if (s.spf_defer_temperror && s.spf_policy != AuthPolicy::Off)
            d = {PolicyAction::Defer, 451, "4.4.3", "SPF temperror for " + v.domain + ": try again later"};
        return d;
    }
    if (s.spf_policy == AuthPolicy::Reject && (s.spf_reject_results & bit_of(v.result))) {
        const bool perm = v.result == SpfResult::Permerror;                           // RFC 7208 8.7
        return {PolicyAction::Reject, 550, perm ? "5.5.2" : "5.7.1", reason(v, client_ip)};   // RFC 7208 8.4
    }
    if (s.spf_policy != AuthPolicy::Off && (s.spf_tag_results & bit_of(v.result))) d.action = PolicyAction::Tag;
    return d;
}

bool has_subject_field(std::string_view header) {
    size_t pos = 0;
    while (pos < header.size()) {
        if (starts_with_ci(header.substr(pos), "Subject:")) return true;
        size_t end = header.find('\n', pos);
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return false;
}

std::string tagged_header(std::string_view header, const std::string& subject_prefix, const std::string& field) {
    std::string out;
    bool tagged = subject_prefix.empty();
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find('\n', pos);
        end = end == std::string_view::npos ? header.size() : end + 1;
        std::string_view line = header.substr(pos, end - pos);
        if (!tagged && starts_with_ci(line, "Subject:")) {
            size_t at = line.find_first_not_of(" \t", 8);
            at = at == std::string_view::npos ? line.size() : at;
            out += std::string(line.substr(0, at)) + subject_prefix + ": " + std::string(line.substr(at));
            tagged = true;
        } else {
            out += line;
        }
        pos = end;
    }
    if (field.empty()) return out;
    if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
    return out + field + "\r\n";
}

std::string spf_tagged_header(std::string_view header, const MailAuthSettings& s, const SpfVerdict& v,
                              const std::string& client_ip) {
    // The domain may be the client's text: never a line end in a stored header.
    const std::string field = s.spf_header.empty() ? std::string()
                                                    : s.spf_header + ": " + name(v.result) + " (" + v.identity +
                                                          " " + printable_ascii(v.domain, 255) + ", client " + client_ip + ")";
    return tagged_header(header, s.spf_subject, field);
}

} // namespace sbbs::auth
