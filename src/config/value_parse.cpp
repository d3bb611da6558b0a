// Typed INI value conversions (see value_parse.h).
#include "config/value_parse.h"

#include "config/ip_address.h"
#include "util/strings.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace sbbs {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// The word before the first space, TAB or ';' (the original's boolean-word cut).
std::string_view first_word_for_bool(std::string_view v) {
    size_t end = v.find_first_of("; \t");
    return v.substr(0, end);
}

bool is_true_word(std::string_view v) {
    if (v.empty() || !is_alpha(v.front())) return false;
    std::string_view w = first_word_for_bool(v);
    return iequals(w, "true") || iequals(w, "yes") || iequals(w, "on");
}

bool is_false_word(std::string_view v) {
    if (v.empty() || !is_alpha(v.front())) return false;
    std::string_view w = first_word_for_bool(v);
    return iequals(w, "false") || iequals(w, "no") || iequals(w, "off");
}

// What follows a number is fine when blank or a ';' comment.
bool tail_is_comment(const char* end) {
    while (*end && is_blank(*end)) ++end;
    return *end == '\0' || *end == ';';
}

std::string quoted(std::string_view v) { return "\"" + std::string(v) + "\""; }

} // namespace

Parsed<long> parse_integer(std::string_view v) {
    Parsed<long> r;
    if (is_true_word(v)) {
        r.value = 1;
        return r;
    }
    std::string s(v);
    char* end = nullptr;
    errno = 0;
    r.value = std::strtol(s.c_str(), &end, 0);
    if (end == s.c_str())
        r.problem = "not a number: " + quoted(v) + " (read as 0)";
    else if (errno == ERANGE)
        r.problem = "number out of range: " + quoted(v);
    else if (!tail_is_comment(end))
        r.problem = "text after the number ignored: " + quoted(v);
    return r;
}

Parsed<uint32_t> parse_unsigned(std::string_view v) {
    Parsed<uint32_t> r;
    if (is_true_word(v)) {
        r.value = 1;
        return r;
    }
    std::string s(v);
    char* end = nullptr;
    r.value = uint32_t(std::strtoul(s.c_str(), &end, 0));
    std::string_view t = trim(v);
    if (end == s.c_str())
        r.problem = "not a number: " + quoted(v) + " (read as 0)";
    else if (!t.empty() && t.front() == '-')
        r.problem = "negative value in an unsigned key: " + quoted(v) + " (read as " +
                    std::to_string(r.value) + ")";
    else if (!tail_is_comment(end))
        r.problem = "text after the number ignored: " + quoted(v);
    return r;
}

Parsed<bool> parse_bool(std::string_view v) {
    Parsed<bool> r;
    if (is_true_word(v)) {
        r.value = true;
        return r;
    }
    if (is_false_word(v)) return r;
    Parsed<long> n = parse_integer(v);
    r.value = n.value != 0;
    if (!n.clean()) r.problem = "not a boolean: " + quoted(v) + " (read as " + (r.value ? "true" : "false") + ")";
    return r;
}

Parsed<double> parse_duration(std::string_view v) {
    Parsed<double> r;
    std::string s(v);
    char* end = nullptr;
    r.value = std::strtod(s.c_str(), &end);
    if (end == s.c_str()) {
        r.problem = "not a duration: " + quoted(v) + " (read as 0)";
        return r;
    }
    while (*end && is_blank(*end)) ++end;
    switch (*end) {
    case 'Y': case 'y': r.value *= 365.0 * 24 * 3600; break;
    case 'W': case 'w': r.value *= 7.0 * 24 * 3600; break;
    case 'D': case 'd': r.value *= 24.0 * 3600; break;
    case 'H': case 'h': r.value *= 3600.0; break;
    case 'M': case 'm': r.value *= 60.0; break;
    case 'S': case 's': case '\0': case ';': break;
    default: r.problem = "unknown duration unit in " + quoted(v) + " (read as seconds)";
    }
    return r;
}

Parsed<int64_t> parse_bytes(std::string_view v) {
    Parsed<int64_t> r;
    std::string s(v);
    char* end = nullptr;
    double bytes = std::strtod(s.c_str(), &end);
    if (end == s.c_str()) r.problem = "not a byte count: " + quoted(v) + " (read as 0)";
    while (*end && is_blank(*end)) ++end;
    int shifts = 0;
    switch (*end) {
    case 'E': case 'e': shifts = 6; break;
    case 'P': case 'p': shifts = 5; break;
    case 'T': case 't': shifts = 4; break;
    case 'G': case 'g': shifts = 3; break;
    case 'M': case 'm': shifts = 2; break;
    case 'K': case 'k': shifts = 1; break;
    case 'B': case 'b': case '\0': case ';': break;
    default:
        if (r.problem.empty()) r.problem = "unknown byte unit in " + quoted(v) + " (read as bytes)";
    }
    for (int i = 0; i < shifts; ++i) bytes *= 1024;
    constexpr int64_t max = INT64_MAX;
    if (bytes < 0 || bytes >= 9223372036854775807.0 || std::isnan(bytes))
        r.value = max;
    else
        r.value = int64_t(bytes);
    return r;
}

Parsed<std::optional<LogLevel>> parse_log_level(std::string_view v) {
    static const char* const names[] = {"Emergency", "Alert", "Critical", "Error",
                                        "Warning", "Notice", "Info", "Debug"};
    Parsed<std::optional<LogLevel>> r;
    size_t end = 0;
    while (end < v.size() && !is_blank(v[end])) ++end;
    std::string_view word = v.substr(0, end);
    for (int i = 0; i < 8; ++i)
        if (iequals(word, names[i])) return r.value = LogLevel(i), r;
    for (int i = 0; i < 8; ++i) {
        std::string_view n = names[i];
        size_t len = std::min(n.size(), word.size());
        if (len > 0 && iequals(n.substr(0, len), word.substr(0, len))) return r.value = LogLevel(i), r;
    }
    std::string s(word);
    char* stop = nullptr;
    unsigned long n = std::strtoul(s.c_str(), &stop, 0);
    if (stop == s.c_str() || *stop != '\0') {
        r.problem = "unknown log level " + quoted(v) + " (default kept)";
        return r;
    }
    r.value = LogLevel(n > 7 ? 7 : int(n));
    if (n > 7) r.problem = "log level " + quoted(v) + " above 7 (read as Debug)";
    return r;
}

Parsed<uint32_t> parse_bit_field(std::string_view v, const std::vector<FlagName>& names, uint32_t known_bits) {
    Parsed<uint32_t> r;
    if (trim(v).empty()) return r;  // CFG-22: present but blank = no flags
    for (const std::string& raw : split(v, '|')) {
        std::string_view item = trim(raw);
        bool named = false;
        for (const FlagName& f : names)
            if (iequals(item, f.name)) {
                r.value |= f.bit;
                named = true;
                break;
            }
        if (named) continue;
        std::string s(item);
        char* end = nullptr;
        uint32_t bits = uint32_t(std::strtoul(s.c_str(), &end, 0));
        r.value |= bits;
        std::string problem;
        if (end == s.c_str() || !tail_is_comment(end))
            problem = "unknown flag " + quoted(item);
        else if (known_bits != 0 && (bits & ~known_bits) != 0)
            problem = "flag bits with no meaning: " + quoted(item);
        if (!problem.empty()) r.problem += (r.problem.empty() ? "" : "; ") + problem;
    }
    return r;
}

std::vector<std::string> parse_string_list(std::string_view v) {
    std::vector<std::string> out;
    for (const std::string& item : split(v, ','))
        if (!item.empty()) out.emplace_back(trim(item));
    return out;
}

Parsed<std::string> parse_ipv4_value(std::string_view raw) {
    Parsed<std::string> r;
    uint32_t addr = 0;
    if (raw.find('.') == raw.npos) {
        // The original reads a dot-less value as a decimal number in network
        // byte order, i.e. the little-endian bytes of the number on x86.
        std::string s(raw);
        uint32_t n = uint32_t(std::strtol(s.c_str(), nullptr, 10));
        addr = (n & 0xFF) << 24 | ((n >> 8) & 0xFF) << 16 | ((n >> 16) & 0xFF) << 8 | n >> 24;
        if (n != 0) r.problem = "IPv4 address without dots: " + quoted(raw);
    } else if (auto a = parse_ipv4(raw)) {
        addr = *a;
    } else {
        addr = 0xFFFFFFFF;
        r.problem = "not an IPv4 address: " + quoted(raw) + " (read as 255.255.255.255)";
    }
    if (addr != 0)
        r.value = std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 0xFF) + "." +
                  std::to_string((addr >> 8) & 0xFF) + "." + std::to_string(addr & 0xFF);
    return r;
}

Parsed<std::string> parse_ipv6_value(std::string_view raw) {
    Parsed<std::string> r;
    auto a = parse_ipv6(raw);
    if (!a) {
        r.problem = "not an IPv6 address: " + quoted(raw) + " (read as ::)";
        return r;
    }
    if (*a != Ipv6Bytes{}) r.value = std::string(raw);
    return r;
}

const std::vector<FlagName>& mail_option_names() {
    using namespace mail_opt;
    static const std::vector<FlagName> names = {
        {"DEBUG_RX_HEADER", DEBUG_RX_HEADER}, {"DEBUG_RX_BODY", DEBUG_RX_BODY},
        {"ALLOW_POP3", ALLOW_POP3}, {"DEBUG_TX", DEBUG_TX}, {"DEBUG_RX_RSP", DEBUG_RX_RSP},
        {"RELAY_TX", RELAY_TX}, {"DEBUG_POP3", DEBUG_POP3}, {"NO_READ_POP3", NO_READ_POP3},
        {"NO_NOTIFY", NO_NOTIFY}, {"ALLOW_SYSOP_ALIASES", ALLOW_SYSOP_ALIASES},
        {"USE_SUBMISSION_PORT", USE_SUBMISSION_PORT}, {"NO_HOST_LOOKUP", NO_HOST_LOOKUP},
        {"USE_TCP_DNS", USE_TCP_DNS}, {"NO_SENDMAIL", NO_SENDMAIL}, {"ALLOW_RELAY", ALLOW_RELAY},
        {"DNSBL_REFUSE", DNSBL_REFUSE}, {"DNSBL_IGNORE", DNSBL_IGNORE},
        {"DNSBL_BADUSER", DNSBL_BADUSER}, {"DNSBL_CHKRECVHDRS", DNSBL_CHKRECVHDRS},
        {"DNSBL_THROTTLE", DNSBL_THROTTLE}, {"DNSBL_SPAMHASH", DNSBL_SPAMHASH},
        {"SMTP_AUTH_VIA_IP", SMTP_AUTH_VIA_IP}, {"SEND_INTRANSIT", SEND_INTRANSIT},
        {"RELAY_AUTH_PLAIN", RELAY_AUTH_PLAIN}, {"RELAY_AUTH_LOGIN", RELAY_AUTH_LOGIN},
        {"RELAY_AUTH_CRAM_MD5", RELAY_AUTH_CRAM_MD5}, {"NO_AUTO_EXEMPT", NO_AUTO_EXEMPT},
        {"NO_RECYCLE", NO_RECYCLE}, {"KILL_READ_SPAM", KILL_READ_SPAM},
        {"TLS_SUBMISSION", TLS_SUBMISSION}, {"TLS_POP3", TLS_POP3},
    };
    return names;
}

uint32_t mail_option_known_bits() {
    uint32_t bits = 0;
    for (const FlagName& f : mail_option_names()) bits |= f.bit;
    return bits;
}

} // namespace sbbs
