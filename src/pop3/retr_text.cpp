// Building the dot-stuffed wire form of a rendered message in one buffer.
#include "pop3/retr_text.h"

#include <algorithm>

namespace sbbs::pop3 {

namespace {

// Dot-stuff the line (and each piece of a folded header line) and end it with CR LF.
void append_stuffed(std::string& out, const std::string& line) {
    size_t start = 0;
    for (;;) {
        if (start < line.size() && line[start] == '.') out += '.';
        size_t crlf = line.find("\r\n", start);
        if (crlf == std::string::npos) break;
        out.append(line, start, crlf + 2 - start);
        start = crlf + 2;
    }
    out.append(line, start, std::string::npos);
    out += "\r\n";
}

} // namespace

RetrText retr_text(const RenderedMessage& r, size_t text_lines, bool full) {
    RetrText t;
    t.lines = full ? r.text.size() : std::min(r.text.size(), text_lines);
    const auto& end = full ? r.full_end : r.partial_end;
    // Room for everything plus a few stuffing dots: one allocation in the usual case.
    t.bytes.reserve((full ? r.octets() : r.octets_top(t.lines)) + RETR_OK.size() + 64);
    t.bytes += RETR_OK;
    for (auto& l : r.header) append_stuffed(t.bytes, l);
    for (size_t i = 0; i < t.lines; ++i) {
        append_stuffed(t.bytes, r.text[i]);
        t.body_bytes += r.text[i].size();
    }
    for (auto& l : end) append_stuffed(t.bytes, l);
    t.bytes += ".\r\n";
    return t;
}

} // namespace sbbs::pop3
