// The octets RETR and TOP send for a rendered message: the +OK line, the
// dot-stuffed CR LF lines and the final dot in one buffer, so a message goes
// out in one write (pop3.md POP3-80, POP3-97; RFC 1939 section 3).
#pragma once

#include "mailfmt/render.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sbbs::pop3 {

inline constexpr std::string_view RETR_OK = "+OK message follows\r\n";

struct RetrText {
    std::string bytes;        // the whole reply: "+OK message follows", the message, "."
    size_t lines = 0;         // text lines included
    size_t body_bytes = 0;    // their bytes (without CR LF), for the "sent" log line
};

// `text_lines` text lines (all of them with `full`); the attachment parts
// with `full`, the closing boundary of a partial fetch otherwise (POP3-81).
RetrText retr_text(const RenderedMessage& r, size_t text_lines, bool full);

} // namespace sbbs::pop3
