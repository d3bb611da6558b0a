// Building the dot-stuffed wire form of a rendered message in one buffer.
#include "pop3/retr_text.h"

#include "mailfmt/render_parts.h"

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

// A text line never holds CR LF (it was split at LF): only the leading dot.
void append_stuffed_text(std::string& out, std::string_view line) {
    if (!line.empty() && line[0] == '.') out += '.';
    out.append(line);
    out += "\r\n";
}

size_t lines_octets(const std::vector<std::string>& lines) {
    size_t n = 0;
    for (auto& l : lines) n += l.size() + 2;
    return n;
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
    t.octets = full ? r.octets() : r.octets_top(t.lines);
    return t;
}

RetrText retr_text_full(const RenderedMessage& head, std::string_view text, bool exact_text) {
    RetrText t;
    // Room for the text, a CR for a line in 32 that lacks one, a few dots and
    // the attachments: one allocation in the usual case.
    const size_t around = lines_octets(head.header) + lines_octets(head.full_end);
    t.bytes.reserve(RETR_OK.size() + around + text.size() + text.size() / 32 + 64);
    t.bytes += RETR_OK;
    for (auto& l : head.header) append_stuffed(t.bytes, l);
    size_t text_octets = 0;
    // A line the text already holds as it goes out (no leading dot, ended by
    // CR LF) is not copied on its own: runs of them go in one append.
    const char* run = nullptr;       // the pending run of such lines in `text`
    const char* run_end = nullptr;
    const char* const text_end = text.data() + text.size();
    auto flush = [&] {
        if (run) t.bytes.append(run, size_t(run_end - run));
        run = nullptr;
    };
    render::for_each_text_line(text, exact_text, [&](std::string_view l) {
        ++t.lines;
        t.body_bytes += l.size();
        text_octets += l.size() + 2;
        const char* after = l.data() + l.size();
        bool as_stored = !text.empty() && (l.empty() || l[0] != '.') && text_end - after >= 2 && after[0] == '\r' &&
                         after[1] == '\n';
        if (as_stored && run && run_end == l.data()) {
            run_end = after + 2;
        } else if (as_stored) {
            flush();
            run = l.data();
            run_end = after + 2;
        } else {
            flush();
            append_stuffed_text(t.bytes, l);
        }
    });
    flush();
    for (auto& l : head.full_end) append_stuffed(t.bytes, l);
    t.bytes += ".\r\n";
    t.octets = around + text_octets;
    return t;
}

size_t retr_octets(const RenderedMessage& head, std::string_view text, bool exact_text) {
    size_t n = lines_octets(head.header) + lines_octets(head.full_end);
    render::for_each_text_line(text, exact_text, [&](std::string_view l) { n += l.size() + 2; });
    return n;
}

} // namespace sbbs::pop3
