// libFuzzer target for the BINARYMIME converter (RFC 3030 section 3, src/mime):
// the input is a header and a body (split at the first CR LF CR LF), the
// body also lent in small pieces cut by the input's first octet, with small
// limits so the depth, part and header bounds are reached. Checks: the
// result is storable text, the same whatever the pieces, and a body kept
// whole decodes back to the exact input.
#include "mime/binary_mime.h"
#include "util/base64.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace sbbs;
using namespace sbbs::mime;

namespace {

// CR LF line ends only, lines of at most 998 octets, no NUL.
bool storable(const std::string& s) {
    size_t line = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\r') {
            if (i + 1 >= s.size() || s[i + 1] != '\n') return false;
            ++i;
            line = 0;
        } else if (c == '\n' || c == '\0' || ++line > 998) {
            return false;
        }
    }
    return true;
}

std::string without_line_ends(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != '\r' && c != '\n') out += c;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 256 * 1024) return 0;
    size_t cut = data[0] % 13 + 1;
    std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
    size_t blank = in.find("\r\n\r\n");
    std::string header = blank == std::string::npos ? std::string() : in.substr(0, blank + 2);
    std::string body = blank == std::string::npos ? in : in.substr(blank + 4);

    BinaryMimeLimits limits;
    limits.max_depth = 4;
    limits.max_parts = 24;
    limits.max_part_header = 512;
    auto whole = convert_binary_mime(header, TextPieces(body), "fuzz.example", limits);
    std::vector<std::string_view> pieces;
    for (size_t pos = 0; pos < body.size(); pos += cut) pieces.push_back(std::string_view(body).substr(pos, cut));
    auto cut_up = convert_binary_mime(header, TextPieces(pieces), "fuzz.example", limits);

    std::string out = whole.body.view().str();
    if (cut_up.outcome != whole.outcome || cut_up.body.view().str() != out || cut_up.header != whole.header) std::abort();
    switch (whole.outcome) {
    case BinaryMimeOutcome::Unchanged:
    case BinaryMimeOutcome::Refused:
        if (!out.empty()) std::abort();
        break;
    case BinaryMimeOutcome::Whole:
        if (base64_decode(without_line_ends(out)) != std::optional<std::string>(body)) std::abort();
        [[fallthrough]];
    case BinaryMimeOutcome::Parts:
        if (!storable(out) || out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) std::abort();
        break;
    }
    return 0;
}
