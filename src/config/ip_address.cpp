// Textual IP address parsing (see ip_address.h).
#include "config/ip_address.h"

#include <vector>

namespace sbbs {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One IPv6 group of 1..4 hex digits.
std::optional<uint16_t> parse_group(std::string_view g) {
    if (g.empty() || g.size() > 4) return std::nullopt;
    unsigned v = 0;
    for (char c : g) {
        int d = hex_digit(c);
        if (d < 0) return std::nullopt;
        v = v * 16 + unsigned(d);
    }
    return uint16_t(v);
}

// Groups of one side of "::" ("" = none); a dotted quad may end the last side.
bool parse_groups(std::string_view s, bool may_end_in_v4, std::vector<uint16_t>& out) {
    if (s.empty()) return true;
    size_t start = 0;
    for (;;) {
        size_t colon = s.find(':', start);
        std::string_view part = s.substr(start, colon == std::string_view::npos ? s.npos : colon - start);
        if (colon == std::string_view::npos && may_end_in_v4 && part.find('.') != part.npos) {
            auto v4 = parse_ipv4(part);
            if (!v4) return false;
            out.push_back(uint16_t(*v4 >> 16));
            out.push_back(uint16_t(*v4 & 0xFFFF));
            return true;
        }
        auto g = parse_group(part);
        if (!g) return false;
        out.push_back(*g);
        if (colon == std::string_view::npos) return true;
        start = colon + 1;
    }
}

} // namespace

std::optional<uint32_t> parse_ipv4(std::string_view s) {
    uint32_t addr = 0;
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
        if (s[i] == '0' && i + 1 < s.size() && is_digit(s[i + 1])) return std::nullopt;
        unsigned v = 0;
        while (i < s.size() && is_digit(s[i])) {
            v = v * 10 + unsigned(s[i++] - '0');
            if (v > 255) return std::nullopt;
        }
        addr = (addr << 8) | v;
        if (++parts < 4) {
            if (i >= s.size() || s[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != s.size()) return std::nullopt;
    return addr;
}

std::optional<Ipv6Bytes> parse_ipv6(std::string_view s) {
    std::vector<uint16_t> head, tail;
    size_t dbl = s.find("::");
    bool compressed = dbl != std::string_view::npos;
    if (compressed) {
        std::string_view left = s.substr(0, dbl), right = s.substr(dbl + 2);
        if (right.find("::") != right.npos) return std::nullopt;
        if (!parse_groups(left, false, head) || !parse_groups(right, true, tail)) return std::nullopt;
        if (head.size() + tail.size() > 7) return std::nullopt;
    } else {
        if (!parse_groups(s, true, head) || head.size() != 8) return std::nullopt;
    }
    std::vector<uint16_t> all = head;
    all.resize(8 - tail.size(), 0);
    all.insert(all.end(), tail.begin(), tail.end());
    Ipv6Bytes out{};
    for (size_t k = 0; k < 8; ++k) {
        out[2 * k] = uint8_t(all[k] >> 8);
        out[2 * k + 1] = uint8_t(all[k] & 0xFF);
    }
    return out;
}

std::optional<uint64_t> scan_unsigned(std::string_view& s) {
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    uint64_t v = 0;
    while (i < s.size() && is_digit(s[i])) {
        if (v < (uint64_t(1) << 40)) v = v * 10 + uint64_t(s[i] - '0');
        ++i;
    }
    s.remove_prefix(i);
    return v;
}

std::optional<uint32_t> scan_ipv4_prefix(std::string_view s, std::string_view* rest) {
    uint32_t addr = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (s.empty() || s.front() != '.') return std::nullopt;
            s.remove_prefix(1);
        }
        auto v = scan_unsigned(s);
        if (!v || *v > 255) return std::nullopt;
        addr = (addr << 8) | uint32_t(*v);
    }
    if (rest) *rest = s;
    return addr;
}

} // namespace sbbs
