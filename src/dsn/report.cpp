// Building a delivery status notification's MIME body (see report.h).
#include "dsn/report.h"

#include "util/strings.h"

#include <cstdio>

namespace sbbs::dsn {

namespace {

bool is_plain_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x21 || c > 0x7E) return false;
    return true;
}

// Code points of valid UTF-8, or false (overlong and surrogate forms refused).
bool utf8_code_points(std::string_view s, std::vector<uint32_t>& out) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!n || i + n > s.size()) return false;
        uint32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (size_t k = 1; k < n; ++k) {
            if ((uint8_t(s[i + k]) & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (uint8_t(s[i + k]) & 0x3F);
        }
        static const uint32_t min_of[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_of[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        out.push_back(cp);
        i += n;
    }
    return true;
}

// "type;address" for Final-Recipient / Original-Recipient (RFC 3464 2.3.1,
// 2.3.2). An address that is not plain ASCII goes as RFC 6533's
// utf-8-addr-xtext ("\x{E9}") when it is UTF-8, else as RFC 3461 xtext:
// message/delivery-status carries no raw 8-bit text.
std::string address_field(std::string_view type, std::string_view addr) {
    if (is_plain_ascii(addr)) return std::string(type) + ";" + std::string(addr);
    std::vector<uint32_t> cps;
    if (!utf8_code_points(addr, cps)) return std::string(type) + ";" + xtext_encode(addr);
    std::string out = "utf-8;";
    for (uint32_t cp : cps) {
        if (cp >= 0x21 && cp <= 0x7E && cp != '+' && cp != '=' && cp != '\\') {
            out += char(cp);
            continue;
        }
        char b[16];
        std::snprintf(b, sizeof b, "\\x{%X}", static_cast<unsigned>(cp));
        out += b;
    }
    return out;
}

// ENVID as the sender gave it (decoded), or its xtext form when that would
// put a control or an 8-bit byte into the field.
std::string envelope_id(std::string_view envid) {
    for (unsigned char c : envid)
        if (c < 0x20 || c > 0x7E) return xtext_encode(envid);
    return std::string(envid);
}

bool has_8bit(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return true;
    return false;
}

// The human part's charset: what its bytes are (local names are CP437 on disk).
const char* charset_of(std::string_view text) {
    if (!has_8bit(text)) return "us-ascii";
    std::vector<uint32_t> cps;
    return utf8_code_points(text, cps) ? "utf-8" : "IBM437";
}

// RET=HDRS: the header of the original up to its empty line.
std::string header_of(std::string_view original) {
    auto end = original.find("\r\n\r\n");
    return std::string(end == std::string_view::npos ? original : original.substr(0, end + 2));
}

// A delimiter found in none of the parts' text (RFC 2046 5.1.1).
std::string boundary_for(uint32_t seed, std::string_view a, std::string_view b) {
    for (unsigned n = 0;; ++n) {
        char s[48];
        std::snprintf(s, sizeof s, "=_sbbs-dsn-%08X-%u", static_cast<unsigned>(seed), n);
        if (a.find(s) == std::string_view::npos && b.find(s) == std::string_view::npos) return s;
    }
}

std::string ended(std::string s) {
    if (s.size() < 2 || s.compare(s.size() - 2, 2, "\r\n") != 0) s += "\r\n";
    return s;
}

// NUL and Ctrl-A would be cut or read as attribute codes where the stored
// text is shown (FMT-49, POP3-78): they never reach the notice's text.
std::string storable(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c == '\0' || c == '\x01') c = '?';
    return out;
}

} // namespace

const char* action_name(Action a) {
    switch (a) {
    case Action::Failed: return "failed";
    case Action::Delayed: return "delayed";
    case Action::Delivered: return "delivered";
    case Action::Relayed: return "relayed";
    }
    return "failed";
}

std::string utc_date(time_t t) {
    struct tm tm {};
#ifdef _WIN32
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char b[64];
    std::snprintf(b, sizeof b, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
                  months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return b;
}

std::string status_for(Action a, std::string_view reply, bool permanent) {
    if (a == Action::Delivered || a == Action::Relayed) return "2.0.0";
    char cls = a == Action::Failed && permanent ? '5' : '4';
    if (reply.size() >= 3 && (reply[0] == '4' || reply[0] == '5')) {
        cls = reply[0];
        // "550 5.1.1" or "550-5.1.1": class.subject.detail, 1-3 digits each (RFC 3463 2)
        std::string_view rest = reply.size() > 4 ? reply.substr(4) : std::string_view();
        size_t i = 0, dots = 0, digits = 0;
        for (; i < rest.size(); ++i) {
            char c = rest[i];
            if (c >= '0' && c <= '9') {
                if (++digits > 3) break;
            } else if (c == '.' && digits && dots < 2) {
                ++dots;
                digits = 0;
            } else {
                break;
            }
        }
        if (dots == 2 && digits && (i == rest.size() || rest[i] == ' ') && rest[0] == cls)
            return std::string(rest.substr(0, i));
        return std::string(1, cls) + ".0.0";
    }
    return std::string(1, cls) + (cls == '5' ? ".0.0" : ".4.1");
}

std::string delivery_status(const ReportInput& in) {
    std::string s = "Reporting-MTA: dns; " + printable_ascii(in.reporting_mta, 255) + "\r\n";
    if (!in.envelope.envid.empty()) s += "Original-Envelope-Id: " + envelope_id(in.envelope.envid) + "\r\n";
    if (in.arrival) s += "Arrival-Date: " + utc_date(in.arrival) + "\r\n";
    for (const RecipientReport& r : in.recipients) {
        s += "\r\n";   // each recipient's fields are a block of their own (RFC 3464 2.1)
        if (!r.params.orcpt_type.empty())
            s += "Original-Recipient: " + address_field(r.params.orcpt_type, r.params.orcpt) + "\r\n";
        s += "Final-Recipient: " + address_field("rfc822", r.final_recipient) + "\r\n";
        s += std::string("Action: ") + action_name(r.action) + "\r\n";
        std::string status = r.status.empty() ? status_for(r.action, r.reply, true) : r.status;
        s += "Status: " + printable_ascii(status, 16) + "\r\n";
        if (!r.remote_mta.empty()) s += "Remote-MTA: dns; " + printable_ascii(r.remote_mta, 255) + "\r\n";
        if (!r.reply.empty()) s += "Diagnostic-Code: smtp; " + printable_ascii(r.reply) + "\r\n";
        if (r.last_attempt) s += "Last-Attempt-Date: " + utc_date(r.last_attempt) + "\r\n";
        if (r.action == Action::Delayed && r.will_retry_until)
            s += "Will-Retry-Until: " + utc_date(r.will_retry_until) + "\r\n";
    }
    return s;
}

Ret returned(const ReportInput& in) {
    if (in.envelope.ret != Ret::Unset) return in.envelope.ret;
    for (const RecipientReport& r : in.recipients)
        if (r.action == Action::Failed) return Ret::Full;
    return Ret::Hdrs;
}

Report build_report(const ReportInput& in) {
    const bool hdrs = returned(in) == Ret::Hdrs;
    std::string human = ended(storable(in.human));
    std::string original = storable(hdrs ? header_of(in.original) : ended(in.original));
    std::string boundary = boundary_for(in.seed, human, original);
    Report r;
    r.content_type = "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"";
    std::string& b = r.body;
    b.reserve(human.size() + original.size() + 1024);
    b += "This is a MIME-encapsulated message.\r\n\r\n";
    b += "--" + boundary + "\r\n";
    b += std::string("Content-Type: text/plain; charset=") + charset_of(human) + "\r\n";
    if (has_8bit(human)) b += "Content-Transfer-Encoding: 8bit\r\n";
    b += "Content-Description: Notification\r\n\r\n" + human + "\r\n";
    b += "--" + boundary + "\r\n";
    b += "Content-Type: message/delivery-status\r\nContent-Description: Delivery report\r\n\r\n";
    b += delivery_status(in) + "\r\n";
    b += "--" + boundary + "\r\n";
    b += hdrs ? "Content-Type: text/rfc822-headers\r\n" : "Content-Type: message/rfc822\r\n";
    if (has_8bit(original)) b += "Content-Transfer-Encoding: 8bit\r\n";
    b += hdrs ? "Content-Description: Message header\r\n\r\n" : "Content-Description: Message\r\n\r\n";
    b += original;
    b += "\r\n--" + boundary + "--\r\n";
    return r;
}

} // namespace sbbs::dsn
