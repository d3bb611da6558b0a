// APOP (RFC 1939 section 7, pop3.md POP3-19, POP3-38): the greeting timestamp
// and the digest a client must send.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sbbs::pop3 {

// "<" hex(random) hex(socket) hex(unix time) hex(process clock) "@" host ">".
std::string apop_timestamp(uint32_t random, uint32_t socket, uint64_t unix_time, uint64_t clock,
                           std::string_view host);
// Lower-case hex MD5 of timestamp + lower-cased password (USER-27).
std::string apop_digest(std::string_view timestamp, std::string_view password);
// Lower-case hex MD5 of `data`.
std::string md5_hex(std::string_view data);

} // namespace sbbs::pop3
