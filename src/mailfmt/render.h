// Turning a stored SMB message into RFC 822 text, as the original's POP3
// server and SendMail do (pop3.md, sendmail.md). Shared by POP3 and SendMail.
#pragma once

#include "msgbase/message.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sbbs {

struct RenderContext {
    std::string host_name;       // the server's host name (final HostName)
    std::string inet_addr;       // msgs.ini [Internet] addr
    std::string system_name;     // main.ini name (Organization fallback)
    std::string qwk_id;          // main.ini qwk_id (Message-ID host fallback)
    std::string operator_name;   // main.ini operator (last Message-ID host fallback)
    std::string data_dir;        // '/'-terminated; attachments live in <data>file/ ("" = none)
    // Ours, on by default (issue #6: an SMTP -> POP3 round trip gives the body
    // byte for byte): no CR LF added after a field that already ends with one,
    // trailing blanks kept (format=flowed). false = the original (POP3-78,
    // POP3-97): CR LF after every field, trailing bytes <= 0x20 stripped.
    bool exact_text = true;
    // Ours (RFC 6856 2, POP3 UTF8; RFC 6532): the fields the renderer makes
    // from SMB name and subject fields go out as raw UTF-8, not as RFC 2047
    // encoded-words. false = the original's rendering.
    bool utf8_headers = false;
};

// A rendered message as lines without CR LF, NOT dot-stuffed. A line may hold
// embedded CR LF (a stored folded Received field is one line, as it is one write
// in the original). POP3 TOP sends header + the first k text lines +
// partial_end; RETR and SendMail send header + text + full_end.
struct RenderedMessage {
    std::vector<std::string> header;      // header lines, MIME preamble, the empty line
    std::vector<std::string> text;        // body lines after the 998-byte split (POP3-97)
    std::vector<std::string> full_end;    // attachment parts (full retrieval only)
    std::vector<std::string> partial_end; // closing boundary of a partial (TOP) fetch
    std::vector<std::string> attachments; // attachment paths, in send order
    std::vector<std::string> unreadable;  // attachments that could not be read
    size_t text_bytes = 0;                // bytes of the text before line splitting (POP3-80)

    // Octets of the whole message as RETR sends it, CR LF included, before
    // dot-stuffing and without the terminating "." line.
    size_t octets() const;
    // Octets of a TOP fetch of `lines` text lines (same counting as octets()).
    size_t octets_top(size_t lines) const;
};

// The message text as the original retrieves it (POP3-78, FMT-49): comment
// fields, poll answers, body and tail each ended by CR LF, Ctrl-A codes removed.
std::string message_text(const smb::Message& msg, bool exact_text = true);

RenderedMessage render_message(const smb::Message& msg, const RenderContext& ctx);
// render_message without the text split into lines: `text` is left empty and
// the message text (text_bytes long) is put in `raw_text`, for a caller that
// streams its lines (render::for_each_text_line) instead of storing them.
RenderedMessage render_message_head(const smb::Message& msg, const RenderContext& ctx, std::string& raw_text);

// Header lines + blank line + body (+ tails), CRLF line ends, NOT dot-stuffed.
std::string render_rfc822(const smb::Message& msg, const RenderContext& ctx);

} // namespace sbbs
