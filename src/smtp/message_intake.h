// The one place a received message's text is assembled, for DATA and BDAT
// alike, so both store the same bytes for the same text: header lines until
// the first empty one (CRs dropped, SMTP-165, bounded, SMTP-184), then body
// lines with every bare CR or LF made CR LF (SEC-2) and MaxMsgSize counted
// as they arrive (SMTP-171). DATA hands over whole lines (already
// dot-unstuffed); BDAT hands over raw chunk bytes, cut into lines here
// exactly as the line reader cuts DATA's. With BODY=BINARYMIME (RFC 3030
// section 3) the body after the header is kept exactly as received instead,
// for the converter (src/mime) to make storable at the end.
#pragma once

#include "smtp/spool.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sbbs::smtp {

class MessageIntake {
public:
    // `with_header`: false for telegrams (SMTP-169, body only). `max_body`:
    // body bytes past which the body is no longer kept (Spool::too_big).
    MessageIntake(Spool& spool, bool with_header, uint64_t max_body)
        : s_(spool), in_header_(with_header), max_body_(max_body) {}

    // BDAT with BODY=BINARYMIME: body bytes are kept raw (no line ends
    // made, no bare CR fixed); body_lines counts their LFs.
    void keep_body_binary() { binary_ = true; }

    // Told each header line as stored (DEBUG_RX_HEADER).
    std::function<void(const std::string&)> on_header_line;

    enum class LineVerdict { Kept, HeaderTooLong, BodyTooLong };
    // DATA: one line without its end. `line_limits` applies RFC 5321's 998
    // octets (SMTP-166, SMTP-170); the caller answers a refusal.
    LineVerdict line(std::string line, bool line_limits);
    // BDAT: chunk bytes as received; no dot-stuffing, no line-length rule.
    void bytes(std::string_view chunk);
    // BDAT LAST: a last line without a line end is ended, as DATA's client
    // would have to end it before the final dot.
    void finish();
    bool in_header() const { return in_header_; }

private:
    void body_part();               // a long BDAT body line, kept in pieces
    void drop_partial();            // a BDAT body line already past MaxMsgSize
    void binary_body(std::string_view bytes);

    Spool& s_;
    bool in_header_;
    uint64_t max_body_;
    std::string partial_;           // BDAT: the line not yet ended
    bool line_open_ = false;        // BDAT: part of that line is in the body already
    bool binary_ = false;           // BINARYMIME: the body as received
};

} // namespace sbbs::smtp
