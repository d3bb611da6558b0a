// Typed reads of one INI key with the original's default rules (CFG-22:
// missing or blank = default, except bit fields) and a Diagnostic naming
// file:line for every value the original would silently misread.
#pragma once

#include "config/diagnostic.h"
#include "config/ini_file.h"
#include "config/value_parse.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sbbs {

// Reads keys of one section (which may be null: every key is then missing).
class IniGetter {
public:
    IniGetter(const IniSection* section, Diagnostics& diags) : sec_(section), diags_(diags) {}

    const IniEntry* entry(std::string_view key) const { return sec_ ? sec_->find(key) : nullptr; }
    bool has_value(std::string_view key) const;  // present and not blank

    std::string get_string(std::string_view key, const std::string& def) const;        // CFG-19
    long get_int(std::string_view key, long def) const;                                 // CFG-23
    uint32_t get_uint(std::string_view key, uint32_t def) const;                        // CFG-25
    bool get_bool(std::string_view key, bool def) const;                                // CFG-24
    uint16_t get_u16(std::string_view key, uint16_t def) const;                         // CFG-26
    double get_duration(std::string_view key, double def) const;                        // CFG-27
    int64_t get_bytes(std::string_view key, int64_t def) const;                         // CFG-28
    LogLevel get_log_level(std::string_view key, LogLevel def) const;                   // CFG-29
    uint32_t get_bits(std::string_view key, const std::vector<FlagName>& names,
                      uint32_t known_bits, uint32_t def) const;                         // CFG-30
    std::vector<std::string> get_list(std::string_view key,
                                      const std::vector<std::string>& def) const;       // CFG-31
    std::string get_ipv4(std::string_view key, const std::string& def) const;           // CFG-32
    std::string get_ipv6(std::string_view key, const std::string& def) const;           // CFG-32

private:
    void warn(const IniEntry& e, const std::string& problem, LogLevel level = LogLevel::Warning) const;
    const IniSection* sec_;
    Diagnostics& diags_;
};

} // namespace sbbs
