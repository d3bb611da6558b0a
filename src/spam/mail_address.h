// Splitting an address argument or header value into display name and
// address as the original's filters see them (SMTP-234), and cutting a
// header line into field name and value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::spam {

struct NamedAddress {
    std::string name;       // quoted, parenthesised, or text before '<'; the address itself for "<a@b>"
    std::string address;    // after the first '<' (or the whole text), up to '>', '(' or a space
};

// SMTP-234: at most 127 characters of each, as the original's buffers.
NamedAddress split_mail_address(std::string_view text);

struct HeaderField {
    std::string name;       // trailing white space removed
    std::string value;      // after the colon and leading white space
};

// One header line; nullopt for a folded line (starts with a blank or a
// control character) or a line without a colon.
std::optional<HeaderField> header_field(std::string_view line);
// Every field line of a header (CRLF lines), in order, trailing blanks cut.
std::vector<HeaderField> header_fields(std::string_view header);

} // namespace sbbs::spam
