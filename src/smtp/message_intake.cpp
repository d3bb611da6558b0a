// Message text assembly shared by DATA and BDAT (see message_intake.h).
#include "smtp/message_intake.h"

#include <algorithm>

namespace sbbs::smtp {

namespace {
// A header line longer than this overflows the header however it ends
// (SMTP-184 at 65535 bytes), so a BDAT header line is never held longer.
constexpr size_t kHeaderLineCap = 65536 + 2;
// A BDAT body line is kept in pieces of about this size, so one line
// without a line end costs no more than the body it becomes.
constexpr size_t kBodyPiece = 64 * 1024;

// SEC-2: a bare CR in the body becomes CR LF (the bare LF has already ended
// its line), as Postfix's smtpd_forbid_bare_newline = normalize does, so no
// bare line end is stored and later relayed to a server that would take it
// for one (header lines drop theirs, SMTP-165).
std::string bare_cr_as_crlf(std::string line) {
    if (line.find('\r') == std::string::npos) return line;
    std::string out;
    out.reserve(line.size() + 16);
    for (char c : line) {
        if (c == '\r') out += "\r\n";
        else out += c;
    }
    return out;
}

// Where a long body line may be cut: after an ASCII byte other than CR (a CR
// may yet turn out to be the line's CR LF) or before a UTF-8 lead byte, so
// no UTF-8 sequence spans two pieces (delivery.cpp reads them one by one).
size_t piece_cut(const std::string& s) {
    for (size_t i = s.size(), seen = 0; i > 0 && seen < 8; --i, ++seen) {
        auto c = uint8_t(s[i - 1]);
        if (c < 0x80 && c != '\r') return i;
        if (c >= 0xC0) return i - 1;
    }
    return s.size() - 1;   // not UTF-8 anyway; keep a possible CR
}
} // namespace

MessageIntake::LineVerdict MessageIntake::line(std::string line, bool line_limits) {
    if (in_header_) {
        std::string clean;
        for (char c : line) if (c != '\r') clean += c;                                // SMTP-165
        // A line of bare CRs ends the header too: stored as an empty line
        // inside it, readers would disagree on where the header ends.
        if (clean.empty()) { in_header_ = false; return LineVerdict::Kept; }
        if (line_limits && clean.size() > 998) return LineVerdict::HeaderTooLong;    // SMTP-166
        if (on_header_line) on_header_line(clean);
        ++s_.header_lines;
        if (s_.header_overflow) return LineVerdict::Kept;
        s_.header += clean;
        s_.header += "\r\n";
        if (s_.header.size() > 65535) s_.header_overflow = true;                      // bounded, SMTP-184
        return LineVerdict::Kept;
    }
    if (line_limits && line.size() > 998) return LineVerdict::BodyTooLong;          // SMTP-170
    line = bare_cr_as_crlf(std::move(line));                                          // SEC-2
    s_.body_bytes += line.size() + 2;
    ++s_.body_lines;
    line_open_ = false;
    if (s_.body_bytes > max_body_) s_.too_big = true;                                 // ours: SMTP-171
    if (s_.too_big) return LineVerdict::Kept;
    line += "\r\n";
    s_.body.append(line);                                             // whole lines, in chunks of 256 KiB
    return LineVerdict::Kept;
}

// Lines end at LF, a CR right before it belonging to the line end, as the
// line reader cuts DATA's lines, so the same text makes the same lines.
void MessageIntake::bytes(std::string_view chunk) {
    size_t pos = 0;
    while (pos < chunk.size()) {
        if (binary_ && !in_header_) return binary_body(chunk.substr(pos));
        size_t nl = chunk.find('\n', pos);
        std::string_view piece = chunk.substr(pos, (nl == std::string_view::npos ? chunk.size() : nl) - pos);
        if (in_header_) {
            // The header drops every CR anyway (SMTP-165), so none is kept;
            // what passes the cap cannot change the line's fate.
            for (char c : piece)
                if (c != '\r' && partial_.size() < kHeaderLineCap) partial_ += c;
        } else {
            partial_.append(piece);
            // A line's raw bytes never outnumber what it becomes, so a part
            // already past MaxMsgSize is refused now, not at its line end.
            if (s_.body_bytes + partial_.size() > max_body_) drop_partial();
            else if (partial_.size() > kBodyPiece) body_part();
        }
        if (nl == std::string_view::npos) return;
        std::string l = std::move(partial_);
        partial_.clear();
        if (!in_header_ && !l.empty() && l.back() == '\r') l.pop_back();            // its CR LF
        line(std::move(l), false);
        pos = nl + 1;
    }
}

void MessageIntake::body_part() {
    size_t cut = piece_cut(partial_);
    if (cut == 0) return;
    std::string part = bare_cr_as_crlf(partial_.substr(0, cut));                      // SEC-2
    partial_.erase(0, cut);
    line_open_ = true;
    s_.body_bytes += part.size();
    if (s_.body_bytes > max_body_) s_.too_big = true;                                 // ours: SMTP-171
    if (!s_.too_big) s_.body.append(part);
}

// ours (SMTP-171): nothing more is kept; the bytes still count.
void MessageIntake::drop_partial() {
    s_.body_bytes += partial_.size();
    s_.too_big = true;
    partial_.clear();
    line_open_ = true;
}

// RFC 3030 section 3: binary octets are data, so nothing is cut or
// changed; MaxMsgSize counts them as they come (SMTP-171).
void MessageIntake::binary_body(std::string_view bytes) {
    s_.body_bytes += bytes.size();
    s_.body_lines += unsigned(std::count(bytes.begin(), bytes.end(), '\n'));
    if (s_.body_bytes > max_body_) s_.too_big = true;                                 // ours: SMTP-171
    if (!s_.too_big) s_.body.append(bytes);
}

// A binary body ends where its last chunk does: its last octets are data.
void MessageIntake::finish() {
    if (binary_ && !in_header_) return;
    if (partial_.empty() && !line_open_) return;
    std::string l = std::move(partial_);
    partial_.clear();
    line(std::move(l), false);
}

} // namespace sbbs::smtp
