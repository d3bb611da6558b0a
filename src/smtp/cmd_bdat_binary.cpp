// The end of a BODY=BINARYMIME transfer (RFC 3030 section 3; ours, the
// original offers no BINARYMIME): the body, kept as received, is turned into
// the equivalent 7bit/8bit MIME message (src/mime) before the end-of-data
// checks and storage see it, since the mail base holds text only.
#include "smtp/session.h"

#include "mime/binary_mime.h"
#include "mime/text_rules.h"

namespace sbbs::smtp {

std::optional<Reply> SmtpSession::make_storable(Spool& s) {
    if (s.too_big) return std::nullopt;                  // end_of_data answers 552 (SMTP-190)
    mime::BinaryMimeResult r = mime::convert_binary_mime(s.header, s.body, host());
    switch (r.outcome) {
    case mime::BinaryMimeOutcome::Refused:
        log_client(LogLevel::Notice, "!BINARYMIME message refused: " + r.reason);
        // RFC 3030 section 3: what cannot be converted without nesting
        // encodings is a permanent failure (RFC 3463 X.6.5).
        return Reply{554, "5.6.5", "Conversion failed: " + r.reason};
    case mime::BinaryMimeOutcome::Unchanged:
        if (!r.reason.empty()) log_client(LogLevel::Debug, "BINARYMIME body stored as received (" + r.reason + ")");
        if (mime::end_line(s.body)) ++s.body_lines;
        s.body_bytes = s.body.size();
        return std::nullopt;
    case mime::BinaryMimeOutcome::Parts:
        log_client(LogLevel::Info, "BINARYMIME: " + std::to_string(r.parts) + " part(s) converted to base64" +
                                       (r.line_end_parts ? ", line ends of " + std::to_string(r.line_end_parts) +
                                                               " base64 part(s) made CR LF" : ""));
        break;
    case mime::BinaryMimeOutcome::Whole:
        log_client(LogLevel::Info, "BINARYMIME: whole body converted to base64 (" + r.reason + ")");
        break;
    }
    s.header = std::move(r.header);
    s.header_lines = mime::count_lines(TextPieces(s.header));
    if (s.header.size() > 65535) s.header_overflow = true;                            // SMTP-184
    s.body = std::move(r.body);
    s.body_bytes = s.body.size();
    s.body_lines = r.body_lines;
    if (s.body_bytes > kSmbMaxBody) s.too_big = true;                                 // base64 grew it past SMB's limit
    return std::nullopt;
}

} // namespace sbbs::smtp
