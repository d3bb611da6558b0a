// C-style backslash escape decoding (see c_escape.h).
#include "config/c_escape.h"

namespace sbbs {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char simple_escape(char c) {
    switch (c) {
    case 'e': return '\x1b';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return c;
    }
}

// Decodes the escape starting at s[i] (just after the backslash); advances i.
char decode_one(std::string_view s, size_t& i) {
    if (i >= s.size()) return '\0';
    if (s[i] == 'x') {
        ++i;
        int v = 0;
        for (int digits = 0; digits < 2 && i < s.size() && hex_value(s[i]) >= 0; ++digits, ++i)
            v = v * 16 + hex_value(s[i]);
        return char(v);
    }
    if (s[i] >= '0' && s[i] <= '9') {
        int v = 0;
        for (int digits = 0; digits < 3 && i < s.size() && s[i] >= '0' && s[i] <= '9'; ++digits, ++i)
            v = v * 10 + (s[i] - '0');
        return char(v);
    }
    return simple_escape(s[i++]);
}

} // namespace

std::string c_unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i++];
        if (c == '\\') {
            if (i >= s.size()) break;  // a lone trailing backslash ends the string
            c = decode_one(s, i);
        }
        if (c == '\0') break;          // a decoded NUL ends the C string
        out.push_back(c);
    }
    return out;
}

} // namespace sbbs
