// JSON-lines rendering of a log event (see json_line.h).
#include "log/json_line.h"

#include <chrono>
#include <cstdio>

namespace sbbs {

namespace {

// Length of the valid UTF-8 sequence at s[i], 0 when it is not one.
size_t utf8_length(std::string_view s, size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((b == 0xE0 && c1 < 0xA0) || (b == 0xED && c1 >= 0xA0) || (b == 0xF0 && c1 < 0x90) || (b == 0xF4 && c1 >= 0x90))
        return 0;   // overlong forms, surrogates, beyond U+10FFFF
    return n;
}

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b == '"' || b == '\\') { out.push_back('\\'); out.push_back(char(b)); ++i; }
        else if (b < 0x20 || b == 0x7F) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", b);
            out += esc;
            ++i;
        } else if (b < 0x80) { out.push_back(char(b)); ++i; }
        else if (size_t n = utf8_length(s, i)) { out.append(s.substr(i, n)); i += n; }
        else { out += "\\ufffd"; ++i; }
    }
    out.push_back('"');
}

bool is_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) if (c < '0' || c > '9') return false;
    return true;
}

// "0004 SMTP  [127.0.0.2] text" -> fields; false when `text` has another shape.
struct SessionFields { std::string_view session, protocol, client, rest; };
bool split_session(std::string_view text, SessionFields& f) {
    size_t sp = text.find(' ');
    if (sp != 4 || !is_digits(text.substr(0, 4))) return false;
    size_t end = text.find(' ', 5);
    if (end == std::string_view::npos || end == 5) return false;
    f.session = text.substr(0, 4);
    f.protocol = text.substr(5, end - 5);
    std::string_view rest = text.substr(end);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.size() > 2 && rest.front() == '[') {
        size_t close = rest.find(']');
        if (close != std::string_view::npos) {
            f.client = rest.substr(1, close - 1);
            rest.remove_prefix(close + 1);
            if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        }
    }
    f.rest = rest;
    return true;
}

// ISO 8601 UTC from the calendar in <chrono>: no gmtime_r/gmtime_s split
// between POSIX and the Windows build.
void utc_stamp(char* out, size_t size, std::time_t when) {
    using namespace std::chrono;
    const sys_seconds t{seconds{when}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    std::snprintf(out, size, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), long(hms.hours().count()), long(hms.minutes().count()),
                  long(hms.seconds().count()));
}

} // namespace

const char* level_name(LogLevel level) {
    static const char* const names[] = {"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"};
    int i = static_cast<int>(level);
    return i >= 0 && i <= 7 ? names[i] : "debug";
}

std::string json_log_line(LogLevel level, std::string_view text, std::time_t when) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
    char stamp[80];   // room for any year the compiler can imagine (-Wformat-truncation)
    utc_stamp(stamp, sizeof stamp, when);
    std::string out = std::string("{\"time\":\"") + stamp + "\",\"level\":\"" + level_name(level) + "\"";
    SessionFields f;
    if (split_session(text, f)) {
        out += ",\"session\":" + std::to_string(std::stol(std::string(f.session)));
        out += ",\"protocol\":";
        append_json_string(out, f.protocol);
        if (!f.client.empty()) { out += ",\"client\":"; append_json_string(out, f.client); }
        text = f.rest;
    }
    out += ",\"text\":";
    append_json_string(out, text);
    out += "}\n";
    return out;
}

} // namespace sbbs
