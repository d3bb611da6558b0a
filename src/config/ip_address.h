// Textual IPv4/IPv6 address parsing without the socket API, so the config
// library stays portable (CIDR lists CFG-128, address keys CFG-32).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sbbs {

using Ipv6Bytes = std::array<uint8_t, 16>;

// Strict dotted quad (inet_pton rules: four decimal parts 0..255, nothing else).
std::optional<uint32_t> parse_ipv4(std::string_view s);
// Strict textual IPv6 address (inet_pton rules, incl. "::" and a trailing dotted quad).
std::optional<Ipv6Bytes> parse_ipv6(std::string_view s);

// The lenient "%u.%u.%u.%u" scan the list matcher uses: four numbers 0..255
// at the start of `s`; anything may follow. `rest` receives what follows.
std::optional<uint32_t> scan_ipv4_prefix(std::string_view s, std::string_view* rest = nullptr);

// Leading-whitespace-tolerant unsigned decimal scan ("%u"); advances `s`.
std::optional<uint64_t> scan_unsigned(std::string_view& s);

} // namespace sbbs
