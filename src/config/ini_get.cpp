// Typed INI key reads (see ini_get.h).
#include "config/ini_get.h"

namespace sbbs {

void IniGetter::warn(const IniEntry& e, const std::string& problem, LogLevel level) const {
    diags_.push_back({level, e.file, e.line, e.key + ": " + problem});
}

bool IniGetter::has_value(std::string_view key) const {
    const IniEntry* e = entry(key);
    return e && !e->blank();
}

std::string IniGetter::get_string(std::string_view key, const std::string& def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    return e->literal;
}

long IniGetter::get_int(std::string_view key, long def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_integer(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

uint32_t IniGetter::get_uint(std::string_view key, uint32_t def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_unsigned(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

bool IniGetter::get_bool(std::string_view key, bool def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_bool(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

uint16_t IniGetter::get_u16(std::string_view key, uint16_t def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_integer(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    // Ours: the original keeps the value modulo 65536; we refuse to start.
    if (p.value < 0 || p.value > 65535)
        warn(*e, "value " + std::to_string(p.value) + " outside 0..65535", LogLevel::Error);
    return uint16_t(p.value);
}

double IniGetter::get_duration(std::string_view key, double def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_duration(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

int64_t IniGetter::get_bytes(std::string_view key, int64_t def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_bytes(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

LogLevel IniGetter::get_log_level(std::string_view key, LogLevel def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_log_level(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value.value_or(def);
}

uint32_t IniGetter::get_bits(std::string_view key, const std::vector<FlagName>& names, uint32_t known_bits,
                             uint32_t def) const {
    const IniEntry* e = entry(key);
    if (!e) return def;  // CFG-22: present but blank means 0
    auto p = parse_bit_field(e->raw, names, known_bits);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

std::vector<std::string> IniGetter::get_list(std::string_view key, const std::vector<std::string>& def) const {
    const IniEntry* e = entry(key);
    if (!e || e->literal.empty()) return def;
    return parse_string_list(e->literal);
}

std::string IniGetter::get_ipv4(std::string_view key, const std::string& def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_ipv4_value(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

std::string IniGetter::get_ipv6(std::string_view key, const std::string& def) const {
    const IniEntry* e = entry(key);
    if (!e || e->blank()) return def;
    auto p = parse_ipv6_value(e->raw);
    if (!p.clean()) warn(*e, p.problem);
    return p.value;
}

} // namespace sbbs
