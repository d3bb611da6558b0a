// The shared list matcher of ctrl/*.cfg, text/*.can and .smtpblock files
// (config.md section 10), following the original's scan exactly except that
// e= expiry is honoured in every list.
#include "config/pattern_list.h"

#include "config/c_escape.h"
#include "config/ip_address.h"
#include "config/list_file.h"
#include "config/list_time.h"
#include "config/value_parse.h"
#include "util/strings.h"

#include <cstring>

namespace sbbs {

namespace {

constexpr size_t kMaxLineLen = 1000;  // CFG-123

// The search string in the forms the CIDR rules need (CFG-128).
struct SearchKey {
    std::string_view text;
    uint32_t v4 = 0;  // 0 = not IPv4 (the original uses 0 as "unparsable" too)
    std::optional<Ipv6Bytes> v6;

    explicit SearchKey(std::string_view s) : text(s) {
        if (auto a = scan_ipv4_prefix(s)) v4 = *a;
        if (v4 == 0 && s.find(':') != s.npos) v6 = parse_ipv6(s);
    }
};

struct Cidr4 {
    uint32_t network;
    unsigned bits;
};

std::optional<Cidr4> parse_cidr4(std::string_view p) {
    std::string_view rest;
    auto net = scan_ipv4_prefix(p, &rest);
    if (!net || rest.empty() || rest.front() != '/') return std::nullopt;
    rest.remove_prefix(1);
    auto bits = scan_unsigned(rest);
    if (!bits || *bits > 32) return std::nullopt;
    return Cidr4{*net, unsigned(*bits)};
}

struct Cidr6 {
    Ipv6Bytes network;
    unsigned bits;
};

std::optional<Cidr6> parse_cidr6(std::string_view p) {
    size_t slash = p.find('/');
    if (p.find(':') == p.npos || slash == p.npos || slash == 0) return std::nullopt;
    auto net = parse_ipv6(p.substr(0, slash));
    std::string_view rest = p.substr(slash + 1);
    auto bits = scan_unsigned(rest);
    if (!net || !bits || *bits > 128) return std::nullopt;
    return Cidr6{*net, unsigned(*bits)};
}

bool cidr4_contains(const Cidr4& c, uint32_t ip) {
    return c.bits == 0 || ((ip ^ c.network) >> (32 - c.bits)) == 0;
}

bool cidr6_contains(const Cidr6& c, const Ipv6Bytes& ip) {
    unsigned full = c.bits / 8, rem = c.bits % 8;
    if (full > 0 && std::memcmp(ip.data(), c.network.data(), full) != 0) return false;
    if (rem == 0) return true;
    uint8_t mask = uint8_t(0xFF << (8 - rem));
    return (ip[full] & mask) == (c.network[full] & mask);
}

// Does the entry's pattern (without '!') match the key? (CFG-127/128)
bool entry_matches(const ListEntry& e, const SearchKey& key) {
    if (key.v4 != 0)
        if (auto c = parse_cidr4(e.pattern)) return cidr4_contains(*c, key.v4);
    if (key.v6)
        if (auto c = parse_cidr6(e.pattern)) return cidr6_contains(*c, *key.v6);
    return pattern_matches(e.pattern, key.text);
}

// CFG-130: TAB-separated key=value items, read like INI root keys (first wins).
std::map<std::string, std::string> parse_meta(std::string_view text) {
    std::map<std::string, std::string> meta;
    for (const std::string& item : split(text, '\t')) {
        size_t sep = item.find_first_of("=:");
        if (sep == std::string::npos) continue;
        std::string key = to_lower(trim(std::string_view(item).substr(0, sep)));
        if (key.empty() || meta.count(key)) continue;
        meta[key] = std::string(trim(std::string_view(item).substr(sep + 1)));
    }
    return meta;
}

} // namespace

time_t ListEntry::expires() const {
    auto it = meta.find("e");
    if (it == meta.end() || it->second.empty()) return 0;
    return parse_list_time(it->second);
}

bool ListEntry::quiet() const {
    auto it = meta.find("q");
    if (it == meta.end() || it->second.empty()) return false;
    return parse_bool(it->second).value;
}

bool pattern_matches(std::string_view p, std::string_view s) {
    p = trim_right(p);
    if (p.empty()) return false;
    std::string_view body = p.substr(0, p.size() - 1);
    switch (p.back()) {
    case '~': {
        if (body.empty()) return true;
        if (s.size() < body.size()) return false;
        for (size_t i = 0; i + body.size() <= s.size(); ++i)
            if (iequals(s.substr(i, body.size()), body)) return true;
        return false;
    }
    case '^':
        return istarts_with(s, body);
    default:
        break;
    }
    size_t star = p.find('*');
    if (star == p.npos) return iequals(p, s);
    std::string_view left = p.substr(0, star), right = p.substr(star + 1);
    if (s.size() < left.size() + right.size()) return false;
    return istarts_with(s, left) && iends_with(s, right);
}

PatternList PatternList::parse(std::string_view text, const std::string& file, Diagnostics* diags) {
    PatternList list;
    bool last_negated = false;
    for (const ListLine& raw : split_list_lines(text, kMaxLineLen, file, diags)) {
        std::string line = c_unescape(trim_left_blanks(raw.text));  // CFG-124
        if (trim(line).empty()) continue;
        last_negated = false;
        if (line.front() == ';') continue;                          // CFG-126
        ListEntry e;
        e.line = raw.line;
        size_t tab = line.find('\t');                               // CFG-125
        std::string_view pat = std::string_view(line).substr(0, tab);
        if (tab != std::string::npos) e.meta = parse_meta(std::string_view(line).substr(tab + 1));
        if (!pat.empty() && pat.front() == '!') {
            e.negated = true;
            pat.remove_prefix(1);
        }
        e.pattern = std::string(trim_right(pat));
        last_negated = e.negated;
        list.entries_.push_back(std::move(e));
    }
    list.last_line_negated_ = last_negated;
    // A final '!' line that matches everything ("!~", "!*") ends every scan itself.
    bool matches_all = last_negated && pattern_matches(list.entries_.back().pattern, "") &&
                       list.entries_.back().meta.empty();
    if (last_negated && !matches_all && diags)
        diags->push_back({LogLevel::Warning, file, list.entries_.back().line,
                          "the last entry is negated ('!'): a string it does not match is LISTED "
                          "(the original's end-of-file rule)"});
    return list;
}

PatternList PatternList::load(const std::string& path, Diagnostics* diags) {
    auto text = read_list_file(path, diags);
    return text ? parse(*text, path, diags) : PatternList{};
}

const ListEntry* PatternList::find(std::string_view s, std::string_view s2, time_t now) const {
    const ListEntry* decided = decide(s, s2);
    if (!decided) return nullptr;
    time_t exp = decided->expires();
    if (exp != 0 && exp <= (now ? now : time(nullptr))) return nullptr;  // CFG-131 (ours)
    return decided;
}

const ListEntry* PatternList::decide(std::string_view s, std::string_view s2) const {
    SearchKey k1(s);
    std::optional<SearchKey> k2;
    if (!s2.empty()) k2.emplace(s2);
    const ListEntry* decided = nullptr;
    for (const ListEntry& e : entries_) {
        bool hit = entry_matches(e, k1) || (k2 && entry_matches(e, *k2));
        if (e.negated) {
            // CFG-129: with two strings, a '!' line stops only if BOTH match.
            bool both = entry_matches(e, k1) && (!k2 || entry_matches(e, *k2));
            if (both) return nullptr;
            continue;
        }
        if (hit) {
            decided = &e;
            break;
        }
    }
    if (!decided && last_line_negated_ && !entries_.empty()) decided = &entries_.back();
    return decided;
}

} // namespace sbbs
