// The pieces the renderer is built from (pop3.md section 11), exposed so that
// each rule can be tested on its own.
#pragma once

#include "mailfmt/render.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::render {

// Ctrl-A attribute codes removed as the original does (POP3-78).
std::string remove_ctrl_a(std::string_view text);
// Text split into output lines: at LF, or after 998 bytes; trailing bytes
// <= 0x20 removed (only CR with `exact_text`); an empty text is one empty line (POP3-97).
std::vector<std::string> split_text_lines(std::string_view text, bool exact_text = true);

// CP437 bytes >= 0x80 converted to UTF-8; ASCII unchanged.
std::string cp437_to_utf8(std::string_view s);
// POP3-96: MIME-encode the non-ASCII words of a generated header value.
std::string encode_header_field(std::string_view value, bool hfields_utf8);
// RFC 6532: the same value as raw UTF-8 (CP437 converted unless hfields_utf8).
std::string utf8_header_field(std::string_view value, bool hfields_utf8);
// POP3-84 local form of a user name (without "@host").
std::string mail_local_form(std::string_view name);
// POP3-83 item 3: "Tue, 1 Jan 2026 02:00:00 -0800".
std::string rfc822_date(const smb::When& when);
// Minutes east of UTC of an SMB zone code (FMT-27).
int zone_minutes(int16_t zone);

// POP3-92: 36 characters from [0-9A-Za-z], the same for the same seed.
std::string mime_boundary(uint32_t seed);
// POP3-93: attachment file names from the subject, in order.
std::vector<std::string> attachment_names(std::string_view subject);
// POP3-93: full paths of a message's attachment files (FILEATTACH mail).
std::vector<std::string> attachment_paths(const smb::MessageHeader& hdr, const RenderContext& ctx);
// Base64 lines of 76 characters (57 input bytes each), as the original sends them.
std::vector<std::string> base64_lines(std::string_view data);

// POP3-83: the header lines (up to, not including, the MIME part and the empty line).
std::vector<std::string> header_lines(const smb::Message& msg, const RenderContext& ctx);
// POP3-90: charset of the message text.
std::string text_charset(const smb::Message& msg, std::string_view text);
// Subtype and charset parameter of the last stored text/* Content-Type ("" = none).
struct ContentType { bool present = false; std::string subtype, charset; };
ContentType stored_content_type(const smb::MessageHeader& hdr);

} // namespace sbbs::render
