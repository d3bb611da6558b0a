// Reading the mail-authentication keys of [Mail] (see mail_auth_settings.h).
#include "config/mail_auth_settings.h"

#include "util/strings.h"

#include <optional>

namespace sbbs {

namespace {

void bad_value(const IniGetter& g, Diagnostics& diags, const char* key, const std::string& why) {
    const IniEntry* e = g.entry(key);
    diags.push_back({LogLevel::Warning, e ? e->file : "", e ? e->line : 0, std::string(key) + ": " + why});
}

AuthPolicy policy(const IniGetter& g, Diagnostics& diags, const char* key, bool honor_allowed) {
    const std::string v = to_lower(std::string(trim(g.get_string(key, "off"))));
    if (v == "off") return AuthPolicy::Off;
    if (v == "tag") return AuthPolicy::Tag;
    if (v == "reject") return AuthPolicy::Reject;
    if (v == "honor" && honor_allowed) return AuthPolicy::Honor;
    bad_value(g, diags, key, "value '" + v + "' is not one of off, tag, reject" + (honor_allowed ? ", honor" : "") +
                                 ": using off");
    return AuthPolicy::Off;
}

std::optional<uint32_t> result_bit(const std::string& name) {
    static const char* names[] = {"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"};
    for (uint32_t i = 0; i < 7; ++i)
        if (name == names[i]) return 1u << i;
    return std::nullopt;
}

// A comma list of SPF results; `allowed` bounds which may be named (pass
// never triggers a policy; temperror has its own key).
uint32_t results(const IniGetter& g, Diagnostics& diags, const char* key, uint32_t def, uint32_t allowed) {
    if (!g.has_value(key)) return def;
    uint32_t out = 0;
    for (const std::string& word : split(g.get_string(key, ""), ',')) {
        const std::string w = to_lower(std::string(trim(word)));
        if (w.empty()) continue;
        auto bit = result_bit(w);
        if (!bit || !(*bit & allowed)) {
            bad_value(g, diags, key, "'" + w + "' is not an SPF result this key takes (fail, softfail, neutral, "
                                             "none, permerror): the default is used");
            return def;
        }
        out |= *bit;
    }
    return out;
}

} // namespace

MailAuthSettings read_mail_auth_keys(const IniGetter& g, Diagnostics& diags) {
    using namespace spf_result_bit;
    constexpr uint32_t kActionable = Fail | Softfail | Neutral | None | Permerror;
    MailAuthSettings s;
    s.spf_check = g.get_bool("SPFCheck", true);
    s.spf_policy = policy(g, diags, "SPFPolicy", false);
    s.spf_reject_results = results(g, diags, "SPFRejectResults", s.spf_reject_results, kActionable);
    s.spf_tag_results = results(g, diags, "SPFTagResults", s.spf_tag_results, kActionable);
    s.spf_defer_temperror = g.get_bool("SPFDeferTempError", false);
    s.spf_subject = g.get_string("SPFSubject", s.spf_subject);
    s.spf_header = g.get_string("SPFHeader", s.spf_header);
    if (s.spf_header.find_first_of(": \t") != std::string::npos) {
        bad_value(g, diags, "SPFHeader", "'" + s.spf_header + "' is not a header field name: using X-SPF");
        s.spf_header = "X-SPF";
    }
    s.dkim_check = g.get_bool("DKIMCheck", true);
    s.dmarc_policy = policy(g, diags, "DMARCPolicy", true);
    return s;
}

const std::vector<std::string>& mail_auth_key_names() {
    static const std::vector<std::string> names = {"SPFCheck", "SPFPolicy", "SPFRejectResults", "SPFTagResults",
                                                   "SPFDeferTempError", "SPFSubject", "SPFHeader", "DKIMCheck",
                                                   "DMARCPolicy"};
    return names;
}

} // namespace sbbs
