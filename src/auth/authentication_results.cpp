// Authentication-Results and Received-SPF (see authentication_results.h).
#include "auth/authentication_results.h"

#include <cctype>
#include <cstring>
#include <vector>

namespace sbbs::auth {

namespace {

bool ieq(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
    return true;
}

// Printable ASCII of `s` without the characters in `drop`: those that would
// end or nest the construct it is written into.
std::string printable_without(std::string_view s, std::string_view drop) {
    std::string out;
    for (unsigned char c : s)
        if (c >= 0x20 && c < 0x7F && drop.find(char(c)) == std::string_view::npos) out += char(c);
    return out;
}

// A header comment's text.
std::string comment_text(std::string_view s) { return printable_without(s, "()\\"); }

// A pvalue (RFC 8601 2.2): "local@domain" when the local part is a plain
// dot-atom, else "@domain"; "" (no property at all) when the domain is not
// plain: the client chose it, and a '"' or ';' in it could end a quoted
// value and add results a reader would take as ours.
std::string address_value(const std::string& address) {
    auto at = address.rfind('@');
    std::string local = at == std::string::npos ? "" : address.substr(0, at);
    std::string domain = at == std::string::npos ? address : address.substr(at + 1);
    auto plain = [](const std::string& s) {
        for (unsigned char c : s)
            if (!(std::isalnum(c) || std::strchr("!#$%&'*+-/=?^_`{|}~.", c))) return false;
        return true;
    };
    if (!plain(domain) || domain.empty()) return "";
    if (local.empty() || !plain(local)) return "@" + domain;
    return local + "@" + domain;
}

// A value without "@" (a domain, selector, algorithm): as is when it is a
// plain token, else quoted.
std::string plain_value(const std::string& s);

std::string quoted(std::string_view s) { return "\"" + printable_without(s, "\"\\") + "\""; }

std::string plain_value(const std::string& s) {
    bool token = !s.empty();
    for (unsigned char c : s)
        if (c <= 0x20 || c >= 0x7F || std::strchr("()<>@,;:\\\"/[]?=", c)) token = false;
    return token ? s : quoted(s);
}

std::string spf_resinfo(const SpfVerdict& v, const SpfContext& c) {
    std::string r = std::string("spf=") + name(v.result);
    if (!v.explanation.empty()) r += " (" + comment_text(v.explanation) + ")";
    if (v.identity == "helo") return r + " smtp.helo=" + plain_value(c.helo);     // a domain, no "@"
    const std::string from = address_value(c.envelope_from);
    return from.empty() ? r : r + " smtp.mailfrom=" + from;
}

std::string dkim_resinfo(const DkimVerdict& v) {
    std::string r = std::string("dkim=") + name(v.result);
    if (!v.reason.empty()) r += " (" + comment_text(v.reason) + ")";
    if (!v.domain.empty()) r += " header.d=" + plain_value(v.domain);
    if (!v.selector.empty()) r += " header.s=" + plain_value(v.selector);
    if (!v.algorithm.empty()) r += " header.a=" + plain_value(v.algorithm);
    return r;
}

std::string dmarc_resinfo(const DmarcVerdict& v) {
    static const char* policies[] = {"", "none", "quarantine", "reject"};
    std::string r = std::string("dmarc=") + name(v.result);
    if (v.policy != DmarcPolicy::Unset)
        r += std::string(" (p=") + policies[int(v.policy)] + (v.sampled_out ? " sampled out" : "") + ")";
    if (!v.from_domain.empty()) r += " header.from=" + plain_value(v.from_domain);
    return r;
}

// The authserv-id of an Authentication-Results value: the first token,
// after any comment (RFC 8601 2.2: authserv-id [ CFWS authserv-version ]).
std::string authserv_id_of(std::string_view value) {
    size_t i = 0;
    for (;;) {
        while (i < value.size() && std::isspace((unsigned char)value[i])) ++i;
        if (i >= value.size() || value[i] != '(') break;
        int depth = 0;
        for (; i < value.size(); ++i) {
            if (value[i] == '(') ++depth;
            else if (value[i] == ')' && --depth == 0) { ++i; break; }
        }
    }
    size_t end = i;
    while (end < value.size() && value[end] != ';' && !std::isspace((unsigned char)value[end]) && value[end] != '(')
        ++end;
    std::string id(value.substr(i, end - i));
    if (id.size() > 1 && id.front() == '"' && id.back() == '"') id = id.substr(1, id.size() - 2);
    return id;
}

} // namespace

std::string authentication_results_field(const std::string& authserv_id, const MessageAuthentication& a,
                                         const SpfContext& spf) {
    std::vector<std::string> parts;
    if (a.spf_mailfrom) parts.push_back(spf_resinfo(*a.spf_mailfrom, spf));
    if (a.spf_helo) parts.push_back(spf_resinfo(*a.spf_helo, spf));
    for (const DkimVerdict& d : a.dkim) parts.push_back(dkim_resinfo(d));
    if (a.dkim.empty() && a.dkim_checked) parts.push_back("dkim=none");          // not signed (RFC 8601 2.7.1)
    if (a.dmarc) parts.push_back(dmarc_resinfo(*a.dmarc));
    std::string out = "Authentication-Results: " + authserv_id + ";";
    if (parts.empty()) return out + " none\r\n";                              // RFC 8601 2.2 no-result
    for (size_t i = 0; i < parts.size(); ++i)
        out += "\r\n\t" + parts[i] + (i + 1 < parts.size() ? ";" : "");       // folded: one result a line
    return out + "\r\n";
}

std::string received_spf_field(const std::string& receiver, const SpfVerdict& v, const SpfContext& c) {
    const std::string who = "domain of " + comment_text(c.envelope_from);
    const std::string ip = comment_text(c.client_ip);
    std::string comment;
    switch (v.result) {
    case SpfResult::Pass: comment = who + " designates " + ip + " as permitted sender"; break;
    case SpfResult::Fail: comment = who + " does not designate " + ip + " as permitted sender"; break;
    case SpfResult::Softfail:
        comment = "transitioning " + who + " does not designate " + ip + " as permitted sender"; break;
    case SpfResult::Neutral: comment = ip + " is neither permitted nor denied by " + who; break;
    case SpfResult::None: comment = who + " does not designate permitted sender hosts"; break;
    case SpfResult::Temperror: comment = "error in processing during lookup of " + who; break;
    case SpfResult::Permerror: comment = "permanent error in processing " + who; break;
    }
    std::string out = std::string("Received-SPF: ") + name(v.result) + " (" + comment_text(receiver) + ": " +
                      comment + ")\r\n\tclient-ip=" + ip + "; envelope-from=" + quoted(c.envelope_from) +
                      "; helo=" + quoted(c.helo) + ";\r\n\treceiver=" + quoted(receiver) +
                      "; identity=" + v.identity + ";";
    if ((v.result == SpfResult::Permerror || v.result == SpfResult::Temperror) && !v.explanation.empty())
        out += " problem=" + quoted(v.explanation) + ";";
    return out + "\r\n";
}

std::string without_our_authentication_results(std::string_view header, const std::string& authserv_id,
                                               int* removed) {
    std::string out;
    bool dropping = false;
    int count = 0;
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find('\n', pos);
        end = end == std::string_view::npos ? header.size() : end + 1;
        std::string_view line = header.substr(pos, end - pos);
        pos = end;
        const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (continuation) {
            if (!dropping) out += line;
            continue;
        }
        dropping = false;
        constexpr std::string_view kName = "Authentication-Results:";
        if (line.size() >= kName.size() && ieq(line.substr(0, kName.size()), kName)) {
            // The whole field (with its folded lines) decides whose id it is.
            size_t fend = pos;
            while (fend < header.size() && (header[fend] == ' ' || header[fend] == '\t')) {
                size_t e = header.find('\n', fend);
                fend = e == std::string_view::npos ? header.size() : e + 1;
            }
            std::string value(line.substr(kName.size()));
            value += header.substr(pos, fend - pos);
            if (ieq(authserv_id_of(value), authserv_id)) {
                dropping = true;
                ++count;
                continue;
            }
        }
        out += line;
    }
    if (removed) *removed = count;
    return out;
}

} // namespace sbbs::auth
