// The pieces the renderer is built from (pop3.md section 11), exposed so that
// each rule can be tested on its own.
#pragma once

#include "mailfmt/render.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::render {

// Ctrl-A attribute codes removed as the original does (POP3-78).
std::string remove_ctrl_a(std::string_view text);
// Text split into output lines: at LF, or after 998 bytes; trailing bytes
// <= 0x20 removed (only CR with `exact_text`); an empty text is one empty line (POP3-97).
std::vector<std::string> split_text_lines(std::string_view text, bool exact_text = true);
// The same lines handed to `line(std::string_view)` one by one, views into
// `text`: RETR streams them into its reply without a string per line.
template <class LineFn>
void for_each_text_line(std::string_view text, bool exact_text, LineFn&& line) {
    constexpr size_t MAX_LINE = 998;    // RFC 5322 line limit without CR LF
    if (text.empty()) text = "\r\n";    // at least one line of text
    size_t pos = 0;
    while (pos < text.size()) {
        size_t avail = std::min(MAX_LINE, text.size() - pos);
        const void* lf = std::memchr(text.data() + pos, '\n', avail);
        size_t len = lf ? size_t(static_cast<const char*>(lf) - (text.data() + pos)) : avail;
        size_t keep = len;
        // Only control bytes and spaces: the original also drops bytes >= 0x80
        // here (signed char), which loses text; we keep them (pop3.md POP3-97 note).
        if (exact_text) {
            if (keep && text[pos + keep - 1] == '\r') --keep;
        } else {
            while (keep && static_cast<unsigned char>(text[pos + keep - 1]) <= ' ') --keep;
        }
        line(text.substr(pos, keep));
        if (pos + len < text.size() && text[pos + len] == '\r') ++len;
        if (pos + len < text.size() && text[pos + len] == '\n') ++len;
        pos += len;
    }
}

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
// Subtype and charset parameter of the last stored text/* Content-Type ("" = none).
struct ContentType { bool present = false; std::string subtype, charset; };
ContentType stored_content_type(const smb::MessageHeader& hdr);
// POP3-90: charset of the message text (`ct`: its stored_content_type, when known).
std::string text_charset(const smb::Message& msg, std::string_view text);
std::string text_charset(const smb::Message& msg, std::string_view text, const ContentType& ct);

} // namespace sbbs::render
