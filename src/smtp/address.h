// Pure helpers on RCPT arguments and addresses (SMTP-104, SMTP-117,
// SMTP-118), kept free of session state so they are easy to test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sbbs::smtp {

// A leading '<' and a trailing '>' removed (a reverse path as an address).
std::string without_angles(std::string s);

// SMTP-104: quotes removed; the text after the last '<' up to the first '>'.
std::string rcpt_address(std::string_view raw_arg);

// Ours (RFC 5321 4.1.2): "<path> NOTIFY=... ORCPT=..." as the path and the
// ESMTP parameters after its '>', so an ORCPT holding a '<' cannot become
// the address, and the forward path stored is the path alone. An argument not starting with '<' (the loose forms SMTP-104
// takes) is all path, without parameters, as before.
struct RcptArgument {
    std::string_view path, params;
};
RcptArgument split_rcpt_argument(std::string_view raw_arg);

struct Destination {
    std::string host;         // the part after the last '@', without ":port"
    uint16_t port = 0;        // 0 = none given
};
// SMTP-117: the destination of an address that contains '@'.
Destination destination_of(std::string_view address);

// SMTP-118: "p<P>.f<F>.n<N>.z<Z>.fidonet" / "f<F>.n<N>.z<Z>.fidonet" ->
// "Z:N/F[.P]"; nullopt when the host is not such a name or the zone is 0.
std::optional<std::string> fidonet_address(std::string_view host);

} // namespace sbbs::smtp
