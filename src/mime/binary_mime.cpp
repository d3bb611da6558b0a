// convert_binary_mime (see binary_mime.h): plans with scan_structure, then
// writes the new body in one pass, copying what stays and encoding what
// must change, so the text is read twice and written once.
#include "mime/binary_mime.h"

#include "mime/base64_lines.h"
#include "mime/structure_scan.h"
#include "mime/text_rules.h"

#include <algorithm>

namespace sbbs::mime {

namespace {

// The body being read, and what of it may be freed once written.
struct Source {
    PieceReader& in;
    ChunkedText* spool;          // null: the caller keeps the text

    // Each piece is freed once written, not at the end: one part may be
    // nearly the whole message.
    void copy(size_t from, size_t to, ChunkedText& out) {
        in.each_span(from, to, [&](std::string_view s) {
            out.append(s);
            done(from += s.size());
        });
    }
    void encode(size_t from, size_t to, ChunkedText& out) {
        Base64Lines b64(out);
        in.each_span(from, to, [&](std::string_view s) {
            b64.feed(s);
            done(from += s.size());
        });
        b64.finish();
    }
    // Bare CR, bare LF and CR LF each written as CR LF.
    void crlf_lines(size_t from, size_t to, ChunkedText& out) {
        bool cr = false;
        std::string buf;
        in.each_span(from, to, [&](std::string_view s) {
            buf.clear();
            for (char c : s) {
                if (cr && c == '\n') { cr = false; continue; }     // the LF of a CR LF already written
                cr = c == '\r';
                if (c == '\r' || c == '\n') buf += "\r\n";
                else buf += c;
            }
            out.append(buf);
            done(from += s.size());
        });
    }
    void done(size_t upto) {
        if (spool) spool->release_before(upto);
    }
};

// The body could not be read as MIME: it is kept whole as one
// application/octet-stream leaf (RFC 2046 4.5.1), the original type named
// in X-Original-Content-Type so nothing of the header is lost either.
void convert_whole(std::string_view header, Source& in, std::string_view by, BinaryMimeResult& r) {
    std::string h = rename_field(header, "Content-Type", "X-Original-Content-Type");
    h = replace_field(h, "Content-Transfer-Encoding", "");
    h += "Content-Type: application/octet-stream\r\n";
    h += converted_fields("binary", "base64", by);
    r.header = std::move(h);
    in.encode(0, in.in.size(), r.body);
    end_line(r.body);
    r.outcome = BinaryMimeOutcome::Whole;
    r.parts = 1;
}

void convert_parts(std::string_view header, Source& in, const Plan& plan, std::string_view by,
                   BinaryMimeResult& r) {
    std::string was = plan.top.encoding.empty() ? "7bit" : plan.top.encoding;
    if (plan.top_leaf) {
        r.header = replace_field(header, "Content-Transfer-Encoding", converted_fields(was, "base64", by));
        in.encode(0, in.in.size(), r.body);
    } else if (plan.edits.size() == plan.line_end_fixes && !plan.top_relabel) {
        r.header = std::string(header);                     // line ends only: nothing was converted
    } else {
        r.header = plan.top_relabel ? replace_field(header, "Content-Transfer-Encoding", converted_fields("binary", "8bit", by))
                                    : std::string(header) + "X-MIME-Autoconverted: from binary to base64 by " + std::string(by) + "\r\n";
    }
    if (!plan.top_leaf) {
        size_t pos = 0;
        for (auto& e : plan.edits) {
            in.copy(pos, e.from, r.body);
            r.body.append(e.header);
            if (e.leaf) {
                r.body.append("\r\n");
                in.encode(e.content_from, e.content_to, r.body);
            }
            if (e.line_ends) in.crlf_lines(e.content_from, e.content_to, r.body);
            pos = e.to;
        }
        in.copy(pos, in.in.size(), r.body);
    }
    end_line(r.body);
    r.outcome = BinaryMimeOutcome::Parts;
    r.parts = plan.leaves;
    r.line_end_parts = plan.line_end_fixes;
}

BinaryMimeResult convert(std::string_view header, const TextPieces& body, ChunkedText* spool, std::string_view by,
                         const BinaryMimeLimits& limits) {
    BinaryMimeResult r;
    PieceReader in(body);
    Source source{in, spool};
    Plan plan = scan_structure(header, in, limits, by);
    switch (plan.status) {
    case Plan::Status::Refused:
        r.outcome = BinaryMimeOutcome::Refused;
        r.reason = plan.reason;
        return r;
    case Plan::Status::Malformed:
        r.reason = plan.reason;
        // What DATA could have carried is stored as it came.
        if (safe_text(in, 0, in.size())) return r;
        convert_whole(header, source, by, r);
        break;
    case Plan::Status::Ok:
        if (plan.edits.empty() && !plan.top_leaf && !plan.top_relabel) return r;
        convert_parts(header, source, plan, by, r);
        break;
    }
    r.body_lines = count_lines(r.body.view());
    return r;
}

} // namespace

BinaryMimeResult convert_binary_mime(std::string_view header, const TextPieces& body, std::string_view by,
                                     const BinaryMimeLimits& limits) {
    return convert(header, body, nullptr, by, limits);
}

BinaryMimeResult convert_binary_mime(std::string_view header, ChunkedText& body, std::string_view by,
                                     const BinaryMimeLimits& limits) {
    return convert(header, body.view(), &body, by, limits);
}

} // namespace sbbs::mime
