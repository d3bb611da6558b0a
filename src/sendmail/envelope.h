// Envelope addresses and log descriptions of a queued message (SEND-20,
// SEND-24..26, SEND-29): pure functions of the stored header.
#pragma once

#include "msgbase/message.h"

#include <cstdint>
#include <optional>
#include <string>

namespace sbbs::envelope {

// POP3-84 local form of a user name ("John Doe" -> "John.Doe").
std::string local_form(const std::string& name);
// MAIL FROM argument, in <> (SEND-24); "<>" for a delivery notice (RFC 3461 6.2).
std::string sender(const smb::MessageHeader& hdr, const std::string& inet_addr);
// RCPT TO argument, in <> (SEND-25), without any ESMTP parameters stored with it.
std::string recipient(const smb::MessageHeader& hdr);
// Destination domain of the recipient address, "" when it has no '@' (SEND-26).
std::string destination_domain(const std::string& netaddr);
// The recipient address as the log shows it: cut at the first '>' or space.
std::string bare_address(const std::string& netaddr);

struct HostPort {
    std::string host;
    uint16_t port = 0;              // 0 = no usable explicit port
};
// "host:2525" -> {host, 2525}; "host:0", "host:x" -> {host, 0}; "host" -> {host, 0}.
HostPort split_port(const std::string& domain);

std::string sender_info(const smb::MessageHeader& hdr);     // SEND-20
std::string recipient_info(const smb::MessageHeader& hdr);  // SEND-20

// Convenience readers of the fields SendMail branches on.
bool has_sender_ext(const smb::MessageHeader& hdr);
uint16_t sender_agent(const smb::MessageHeader& hdr);
uint16_t sender_net_type(const smb::MessageHeader& hdr);
std::optional<std::string> reverse_path(const smb::MessageHeader& hdr);

} // namespace sbbs::envelope
