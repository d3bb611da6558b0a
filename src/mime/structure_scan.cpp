// Planning the BINARYMIME conversion (see structure_scan.h). Delimiters are
// strict RFC 2046: CR LF "--" boundary, transport padding, CR LF; a body
// whose structure does not follow that is Malformed and handled as a whole
// by the caller. Each multipart level scans its own range once and levels
// are capped, so the work is linear in the body.
#include "mime/structure_scan.h"

#include "mime/text_rules.h"

namespace sbbs::mime {

namespace {

constexpr size_t kMaxBoundary = 70;   // RFC 2046 5.1.1

// Where a part's header ends and its content starts.
struct PartHeader {
    size_t start = 0, header_end = 0, body_start = 0;
    std::string text;
};

struct Delimiter {
    size_t start = 0;   // its CR LF (or the range start for a first delimiter there)
    size_t end = 0;     // just after its line's CR LF
    bool close = false;
};

class Scanner {
public:
    Scanner(PieceReader& in, const BinaryMimeLimits& limits, std::string_view by)
        : in_(in), limits_(limits), by_(by) {}

    Plan plan;

    void entity(const EntityType& t, size_t from, size_t to, unsigned depth, const PartHeader* where);

private:
    bool failed() const { return plan.status != Plan::Status::Ok; }
    void fail(Plan::Status s, std::string why) {
        if (failed()) return;
        plan.status = s;
        plan.reason = std::move(why);
    }
    void leaf(const EntityType& t, size_t from, size_t to, const PartHeader* where);
    void multipart(const EntityType& t, size_t from, size_t to, unsigned depth);
    void embedded_message(size_t from, size_t to, unsigned depth);
    bool dash_boundary_at(size_t p, size_t to, std::string_view b, Delimiter& d);
    bool next_delimiter(size_t from, size_t to, std::string_view b, Delimiter& d);
    bool read_part_header(size_t start, size_t end, PartHeader& h);

    PieceReader& in_;
    const BinaryMimeLimits& limits_;
    std::string_view by_;
    unsigned parts_ = 0;
};

void Scanner::entity(const EntityType& t, size_t from, size_t to, unsigned depth, const PartHeader* where) {
    if (failed()) return;
    if (depth > limits_.max_depth) return fail(Plan::Status::Malformed, "MIME nesting deeper than " + std::to_string(limits_.max_depth));
    // RFC 2045 6.4: a composite type is only ever 7bit, 8bit or binary; one
    // labelled otherwise is not readable as composite and is taken as a leaf.
    bool composite = (t.multipart() || t.message()) && t.identity();
    if (!composite) return leaf(t, from, to, where);
    if (t.encoding == "binary") {                                 // its content ends up 8bit at most
        if (!where) plan.top_relabel = true;
        else plan.edits.push_back({where->start, where->header_end,
                                   replace_field(where->text, "Content-Transfer-Encoding", converted_fields("binary", "8bit", by_))});
    }
    if (t.multipart()) multipart(t, from, to, depth);
    else embedded_message(from, to, depth);
}

void Scanner::leaf(const EntityType& t, size_t from, size_t to, const PartHeader* where) {
    bool convert = t.encoding == "binary";
    if (!convert && !safe_text(in_, from, to)) {
        if (t.encoding == "base64" && base64_but_line_ends(in_, from, to)) {
            ++plan.line_end_fixes;
            plan.edits.push_back({from, to, "", false, from, to, true});
            return;
        }
        // RFC 3030 section 3: the conversion must not nest base64 or
        // quoted-printable, so content already so labelled cannot be wrapped.
        if (!t.identity()) return fail(Plan::Status::Refused, "a part labelled " + t.encoding + " holds binary octets");
        convert = true;
    }
    if (!convert) return;
    ++plan.leaves;
    std::string was = t.encoding.empty() ? "7bit" : t.encoding;
    if (!where) {
        plan.top_leaf = true;
        return;
    }
    plan.edits.push_back({where->start, to,
                          replace_field(where->text, "Content-Transfer-Encoding", converted_fields(was, "base64", by_)),
                          true, where->body_start, to});
}

void Scanner::multipart(const EntityType& t, size_t from, size_t to, unsigned depth) {
    const std::string& b = t.boundary;
    if (b.empty() || b.size() > kMaxBoundary) return fail(Plan::Status::Malformed, "multipart without a usable boundary");
    Delimiter d;
    if (!dash_boundary_at(from, to, b, d) && !next_delimiter(from, to, b, d))
        return fail(Plan::Status::Malformed, "multipart without its boundary");
    if (!safe_text(in_, from, d.start)) return fail(Plan::Status::Malformed, "multipart preamble is not text");
    while (!d.close) {
        Delimiter next;
        if (!next_delimiter(d.end, to, b, next)) return fail(Plan::Status::Malformed, "multipart without its closing boundary");
        if (++parts_ > limits_.max_parts) return fail(Plan::Status::Malformed, "more than " + std::to_string(limits_.max_parts) + " MIME parts");
        PartHeader h;
        if (!read_part_header(d.end, next.start, h)) return fail(Plan::Status::Malformed, "a MIME part header is not text");
        entity(read_entity_type(h.text, t.subtype == "digest"), h.body_start, next.start, depth + 1, &h);
        if (failed()) return;
        d = next;
    }
    if (!safe_text(in_, d.end, to)) fail(Plan::Status::Malformed, "multipart epilogue is not text");
}

// RFC 2046 5.2.1: a message/rfc822 body is a message: its header, then its body.
void Scanner::embedded_message(size_t from, size_t to, unsigned depth) {
    PartHeader h;
    if (!read_part_header(from, to, h)) return fail(Plan::Status::Malformed, "an enclosed message's header is not text");
    entity(read_entity_type(h.text, false), h.body_start, to, depth + 1, &h);
}

// "--" boundary [ "--" ] transport-padding CR LF, at p; a close delimiter
// may also end the range.
bool Scanner::dash_boundary_at(size_t p, size_t to, std::string_view b, Delimiter& d) {
    if (p > to || to - p < b.size() + 2) return false;
    if (in_.at(p) != '-' || in_.at(p + 1) != '-') return false;
    for (size_t i = 0; i < b.size(); ++i)
        if (in_.at(p + 2 + i) != static_cast<unsigned char>(b[i])) return false;
    size_t q = p + 2 + b.size();
    bool close = to - q >= 2 && in_.at(q) == '-' && in_.at(q + 1) == '-';
    if (close) q += 2;
    while (q < to && (in_.at(q) == ' ' || in_.at(q) == '\t')) ++q;
    if (q == to) {
        if (!close) return false;
        d = {p, to, true};
        return true;
    }
    if (to - q < 2 || in_.at(q) != '\r' || in_.at(q + 1) != '\n') return false;
    d = {p, q + 2, close};
    return true;
}

bool Scanner::next_delimiter(size_t from, size_t to, std::string_view b, Delimiter& d) {
    for (size_t p = from; p + 1 < to; ++p) {
        if (in_.at(p) != '\r' || in_.at(p + 1) != '\n') continue;
        if (dash_boundary_at(p + 2, to, b, d)) {
            d.start = p;
            return true;
        }
    }
    return false;
}

// Header lines up to the blank line (or to the end: a part with no body),
// each storable text (text_rules.h), the whole within max_part_header.
bool Scanner::read_part_header(size_t start, size_t end, PartHeader& h) {
    h.start = start;
    size_t pos = start;
    for (;;) {
        if (pos == end) { h.header_end = h.body_start = end; break; }
        if (end - pos >= 2 && in_.at(pos) == '\r' && in_.at(pos + 1) == '\n') {
            h.header_end = pos;
            h.body_start = pos + 2;
            break;
        }
        size_t q = pos;
        while (q < end && in_.at(q) != '\r') {
            unsigned char c = in_.at(q);
            if (c == '\n' || c == 0 || c == 1 || q - pos >= kMaxLineOctets) return false;
            ++q;
        }
        if (q - start > limits_.max_part_header) return false;
        if (q == end) { h.header_end = h.body_start = end; break; }   // the last line, no CR LF
        if (end - q < 2 || in_.at(q + 1) != '\n') return false;      // a bare CR
        pos = q + 2;
    }
    in_.each_span(start, h.header_end, [&](std::string_view s) { h.text.append(s); });
    return true;
}

} // namespace

std::string converted_fields(std::string_view from, std::string_view to, std::string_view by) {
    return "Content-Transfer-Encoding: " + std::string(to) + "\r\nX-MIME-Autoconverted: from " + std::string(from) +
           " to " + std::string(to) + " by " + std::string(by) + "\r\n";
}

Plan scan_structure(std::string_view header, PieceReader& body, const BinaryMimeLimits& limits, std::string_view by) {
    Scanner s(body, limits, by);
    s.plan.top = read_entity_type(header, false);
    s.entity(s.plan.top, 0, body.size(), 0, nullptr);
    return std::move(s.plan);
}

} // namespace sbbs::mime
