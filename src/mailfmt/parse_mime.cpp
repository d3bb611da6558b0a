// RFC 2047 encoded-words, mailboxes and UTF-8 checks for header parsing
// (see parse.h).
#include "mailfmt/parse.h"

#include "util/strings.h"

#include <cctype>

namespace sbbs {

namespace {

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = char(c | 0x20);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool b64(std::string_view in, std::string& out) {
    unsigned acc = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=') break;
        else return false;
        acc = (acc << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xFF);
        }
    }
    return true;
}

void qp(std::string_view in, std::string& out) {
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '_') out += ' ';
        else if (in[i] == '=' && i + 2 < in.size() && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
            out += char(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
            i += 2;
        } else out += in[i];
    }
}

// Single-byte Western charsets become UTF-8; everything else stays as sent.
std::string to_utf8(const std::string& charset, const std::string& bytes) {
    std::string cs = to_lower(charset);
    if (cs != "iso-8859-1" && cs != "iso-8859-15" && cs != "windows-1252" && cs != "latin1") return bytes;
    std::string out;
    for (unsigned char c : bytes) {
        if (c < 0x80) out += char(c);
        else { out += char(0xC0 | (c >> 6)); out += char(0x80 | (c & 0x3F)); }
    }
    return out;
}

std::string strip_controls(const std::string& s) {             // FMT-139, SMTP-200
    std::string out;
    for (unsigned char c : s)
        if (c >= 0x20 && c != 0x7f) out += char(c);
    return out;
}

// RFC 2047 section 2: an encoded-word is at most 75 characters, delimiters
// included. Looking no further keeps decoding linear (SEC-7): an unbounded
// search for "?=" from every "=?" made a value of repeated "=?a?b?x" cost
// quadratic time.
constexpr size_t kMaxEncodedWord = 75;

// One encoded-word at `pos` ("=?cs?E?text?="); returns its end or npos.
size_t decode_word(std::string_view s, size_t pos, std::string& out) {
    std::string_view w = s.substr(pos, kMaxEncodedWord);
    if (!w.starts_with("=?")) return std::string_view::npos;
    size_t q1 = w.find('?', 2);
    if (q1 == std::string_view::npos || q1 + 2 >= w.size() || w[q1 + 2] != '?') return std::string_view::npos;
    char enc = char(w[q1 + 1] | 0x20);
    size_t end = w.find("?=", q1 + 3);
    if (end == std::string_view::npos || (enc != 'b' && enc != 'q')) return std::string_view::npos;
    std::string charset(w.substr(2, q1 - 2));
    charset = charset.substr(0, charset.find('*'));            // RFC 2231 language suffix
    std::string_view text = w.substr(q1 + 3, end - q1 - 3);
    std::string bytes;
    if (enc == 'b') {
        if (!b64(text, bytes)) return std::string_view::npos;
    } else {
        qp(text, bytes);
    }
    out += strip_controls(to_utf8(charset, bytes));
    return pos + end + 2;
}

} // namespace

std::string decode_mime_words(std::string_view s, bool* encoded) {
    std::string out;
    bool any = false;
    size_t i = 0;
    while (i < s.size()) {
        size_t end = decode_word(s, i, out);
        if (end != std::string_view::npos) {
            any = true;
            i = end;
            // White space between two adjacent encoded-words is dropped.
            size_t j = i;
            while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
            if (j > i && s.substr(j, 2) == "=?") {
                std::string probe;
                if (decode_word(s, j, probe) != std::string_view::npos) i = j;
            }
            continue;
        }
        out += s[i++];
    }
    if (encoded) *encoded = any;
    return out;
}

Mailbox parse_mailbox(std::string_view v) {
    Mailbox m;
    std::string s(trim(v));
    auto lt = s.rfind('<');
    if (lt != std::string::npos) {
        auto gt = s.find('>', lt);
        m.address = s.substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1);
        std::string name(trim(std::string_view(s).substr(0, lt)));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
        m.name = name;
    } else if (auto lp = s.find('('); lp != std::string::npos) {
        m.address = std::string(trim(std::string_view(s).substr(0, lp)));
        auto rp = s.rfind(')');
        m.name = s.substr(lp + 1, rp == std::string::npos || rp < lp ? std::string::npos : rp - lp - 1);
    } else {
        m.address = s;
    }
    m.address = std::string(trim(m.address));
    if (m.name.empty()) m.name = m.address;
    return m;
}

bool is_non_ascii_utf8(std::string_view s) {
    bool high = false;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { ++i; continue; }
        high = true;
        size_t n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
        if (n == 0 || c == 0xC0 || c == 0xC1 || i + n >= s.size()) return false;
        for (size_t k = 1; k <= n; ++k)
            if (((unsigned char)s[i + k] & 0xC0) != 0x80) return false;
        i += n + 1;
    }
    return high;
}

} // namespace sbbs
