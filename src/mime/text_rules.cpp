// Storable-text check (see text_rules.h).
#include "mime/text_rules.h"

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

} // namespace sbbs::mime
