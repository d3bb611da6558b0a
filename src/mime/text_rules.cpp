// Storable-text check (see text_rules.h).
#include "mime/text_rules.h"

#include <algorithm>
#include <cctype>

namespace sbbs::mime {

void TextCheck::feed(std::string_view span) {
    if (!safe_) return;
    for (char ch : span) {
        auto c = static_cast<unsigned char>(ch);
        if (cr_) {
            if (c != '\n') { safe_ = false; return; }          // bare CR
            cr_ = false;
            line_ = 0;
        } else if (c == '\r') {
            cr_ = true;
        } else if (c == '\n' || c == 0 || c == 1 || ++line_ > kMaxLineOctets) {
            safe_ = false;                                       // bare LF, NUL, Ctrl-A, long line
            return;
        }
    }
}

bool safe_text(PieceReader& in, size_t from, size_t to) {
    TextCheck check;
    in.each_span(from, to, [&](std::string_view s) { check.feed(s); });
    return check.safe();
}

bool end_line(ChunkedText& body) {
    TextPieces v = body.view();
    if (!v.empty() && v.pieces().back().back() == '\n') return false;
    body.append("\r\n");
    return true;
}

unsigned count_lines(const TextPieces& text) {
    size_t n = 0;
    for (auto p : text.pieces()) n += size_t(std::count(p.begin(), p.end(), '\n'));
    return unsigned(n);
}

bool base64_but_line_ends(PieceReader& in, size_t from, size_t to) {
    bool ok = true;
    size_t line = 0;
    in.each_span(from, to, [&](std::string_view s) {
        for (unsigned char c : s) {
            if (!ok) return;
            if (c == '\r' || c == '\n') line = 0;
            else if (++line > kMaxLineOctets) ok = false;
            else ok = std::isalnum(c) || c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t';
        }
    });
    return ok;
}

} // namespace sbbs::mime
