// The MIME header fields the BINARYMIME converter reads and rewrites
// (RFC 2045 5 and 6, RFC 2046 5.1.1): Content-Type with its boundary, and
// Content-Transfer-Encoding. A header here is CR LF lines without the blank
// line that ends it (the last line's CR LF may be missing in a part that
// has no body).
#pragma once

#include <string>
#include <string_view>

namespace sbbs::mime {

struct EntityType {
    std::string type = "text", subtype = "plain";   // lower case; RFC 2045 5.2's default
    std::string boundary;                            // multipart only, as given
    std::string encoding;                            // Content-Transfer-Encoding, lower case; "" when absent
    bool multipart() const { return type == "multipart"; }
    bool message() const { return type == "message" && (subtype == "rfc822" || subtype == "global"); }
    // 7bit, 8bit and binary are identities (RFC 2045 6.2): the content is the data itself.
    bool identity() const { return encoding.empty() || encoding == "7bit" || encoding == "8bit" || encoding == "binary"; }
};

// `digest_child`: a part of multipart/digest, whose default is message/rfc822 (RFC 2046 5.1.5).
EntityType read_entity_type(std::string_view header, bool digest_child);

// The value of the first field `name` (case-insensitive), unfolded; "" if none.
std::string field_value(std::string_view header, std::string_view name);

// `header` with every field `name` (with its folded lines) removed and
// `replacement` (whole lines, CR LF ended) put where the first one was, or
// at the end when there was none. The result's lines all end in CR LF.
std::string replace_field(std::string_view header, std::string_view name, std::string_view replacement);

// `header` with every field `name` renamed to `new_name`, value and folding kept.
std::string rename_field(std::string_view header, std::string_view name, std::string_view new_name);

} // namespace sbbs::mime
