// The first pass of the BINARYMIME conversion: walks the MIME structure of a
// received body (RFC 2046 5.1.1 delimiters, part headers, message/rfc822
// inside) and plans which ranges of it are rewritten. Nothing is copied
// here; binary_mime.cpp writes the result from the plan.
#pragma once

#include "mime/binary_mime.h"
#include "mime/entity_header.h"
#include "mime/piece_reader.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::mime {

// A range of the body replaced in the output: by `header`, then for a leaf
// a blank line and its content [content_from, content_to) in base64; for
// `line_ends`, by the range itself with every line end made CR LF.
struct Edit {
    size_t from = 0, to = 0;
    std::string header;
    bool leaf = false;
    size_t content_from = 0, content_to = 0;
    bool line_ends = false;
};

struct Plan {
    enum class Status { Ok, Malformed, Refused } status = Status::Ok;
    std::string reason;
    std::vector<Edit> edits;          // in body order, not overlapping
    EntityType top;
    bool top_leaf = false;            // the whole body is one leaf to encode
    bool top_relabel = false;         // a `binary` top-level container becomes 8bit
    unsigned leaves = 0;              // leaves converted, the top-level one included
    unsigned line_end_fixes = 0;      // base64 leaves whose bare line ends become CR LF
};

// `note`: the X-MIME-Autoconverted text after "from <encoding> to <encoding> ".
Plan scan_structure(std::string_view header, PieceReader& body, const BinaryMimeLimits& limits,
                    std::string_view by);

// The field lines a converted entity's header gets in place of its
// Content-Transfer-Encoding.
std::string converted_fields(std::string_view from, std::string_view to, std::string_view by);

} // namespace sbbs::mime
