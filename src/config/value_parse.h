// Typed INI value conversions (CFG-23..CFG-32), each returning the value the
// original would compute plus, where the original is silent, a problem text
// for a Diagnostic (empty when the value was clean).
#pragma once

#include "config/options.h"
#include "log/log_level.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

template <class T>
struct Parsed {
    T value{};
    std::string problem;  // "" = clean
    bool clean() const { return problem.empty(); }
};

// CFG-23: true/yes/on mean 1, else C strtol(base 0) of the leading number.
Parsed<long> parse_integer(std::string_view v);
// CFG-25: like CFG-23 with strtoul; negative values wrap (and are a problem).
Parsed<uint32_t> parse_unsigned(std::string_view v);
// CFG-24: true/yes/on, else an integer that is non-zero.
Parsed<bool> parse_bool(std::string_view v);
// CFG-27: seconds, with Y/W/D/H/M unit letters (M = minutes).
Parsed<double> parse_duration(std::string_view v);
// CFG-28: bytes, with 1024-based K/M/G/T/P/E; negative or huge -> INT64_MAX.
Parsed<int64_t> parse_bytes(std::string_view v);
// CFG-29: a level name (exact, then prefix either way) or number (clamped
// to 7); nullopt when unrecognised (the caller keeps its default).
Parsed<std::optional<LogLevel>> parse_log_level(std::string_view v);

struct FlagName {
    const char* name;
    uint32_t bit;
};
// CFG-30: "NAME | NAME | 0x10"; names ignore case; unknown names add 0.
// `known_bits` (0 = don't check) flags numeric bits with no meaning (CFG-95).
Parsed<uint32_t> parse_bit_field(std::string_view v, const std::vector<FlagName>& names,
                                 uint32_t known_bits = 0);
// CFG-31: comma-separated, trimmed; empty items dropped, blank ones kept as "".
std::vector<std::string> parse_string_list(std::string_view v);
// CFG-32: `raw` is the untrimmed text after the separator. Result is dotted
// text, "" for 0.0.0.0 (any); a bad value gives "255.255.255.255".
Parsed<std::string> parse_ipv4_value(std::string_view raw);
// CFG-32: textual IPv6; "" for "::" (any) and for anything unparsable.
Parsed<std::string> parse_ipv6_value(std::string_view raw);

// The [Mail] Options flag names of options.h (CFG-90..CFG-94).
const std::vector<FlagName>& mail_option_names();
uint32_t mail_option_known_bits();

} // namespace sbbs
