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
    size_t octets = 0;        // the message's octets as LIST counts them: CR LF in, stuffing and "." out
};

// `text_lines` text lines (all of them with `full`); the attachment parts
// with `full`, the closing boundary of a partial fetch otherwise (POP3-81).
RetrText retr_text(const RenderedMessage& r, size_t text_lines, bool full);
// A full RETR of `head` (render_message_head) and its unsplit `text`: the
// same bytes as retr_text(render_message(...), all, true), written straight
// from the text without a string per line.
RetrText retr_text_full(const RenderedMessage& head, std::string_view text, bool exact_text);
// Only its octets (RetrText::octets), for a message not kept for RETR.
size_t retr_octets(const RenderedMessage& head, std::string_view text, bool exact_text);

} // namespace sbbs::pop3
