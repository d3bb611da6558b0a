// The message text as the mail server sends it: comments, poll answers, body
// and tail, Ctrl-A codes removed, split into RFC 822 lines (POP3-78, POP3-97).
#include "mailfmt/render_parts.h"

#include <cstdio>
#include <cstring>

namespace sbbs {

namespace {
constexpr uint16_t POLL_ANSWER = 0xE0;

// One data field as the original appends it: NULs at the end dropped, CR LF added
// (in exact mode only when the field does not already end with one).
void append_field(std::string& out, const std::string& data, bool exact) {
    if (data.empty()) return;
    out += data;
    while (!out.empty() && out.back() == '\0') out.pop_back();
    if (!(exact && out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0)) out += "\r\n";
}
} // namespace

std::string message_text(const smb::Message& msg, bool exact_text) {
    std::string text;
    for (auto& f : msg.hdr.fields)
        if (f.type == smb::hf::SMB_COMMENT || f.type == smb::hf::SMTPSYSMSG)
            text += std::string(f.data.c_str()) + "\r\n";
    if (!text.empty()) text += "\r\n";
    unsigned answers = 0;
    for (auto& f : msg.hdr.fields) {
        if (f.type != POLL_ANSWER) continue;
        char num[16];
        std::snprintf(num, sizeof num, "%2u: ", ++answers);
        text += num + std::string(f.data.c_str()) + "\r\n";
    }
    // Exact text is for a body alone (what SMTP stored, sent back byte for
    // byte); a body with a tail, which the BBS writes, renders as the
    // original does: CR LF after each field (FMT-49, POP3-78).
    bool exact = exact_text && msg.tail.empty();
    append_field(text, msg.body, exact);
    append_field(text, msg.tail, exact);
    // Most mail has no Ctrl-A code and no NUL: keep the text without a copy.
    if (std::memchr(text.data(), '\x01', text.size()) || std::memchr(text.data(), '\0', text.size()))
        return render::remove_ctrl_a(text);
    return text;
}

namespace render {

std::string remove_ctrl_a(std::string_view text) {
    // Bulk copies between Ctrl-A codes: every message passes through here.
    if (const void* nul = std::memchr(text.data(), '\0', text.size()))
        text = text.substr(0, size_t(static_cast<const char*>(nul) - text.data()));
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const void* hit = std::memchr(text.data() + i, '\x01', text.size() - i);
        size_t code = hit ? size_t(static_cast<const char*>(hit) - text.data()) : text.size();
        out.append(text, i, code - i);
        if (code + 1 >= text.size() || text[code + 1] == 'Z') break;   // end of text
        char c = text[code + 1];
        if (c == '<' && !out.empty()) out.pop_back();                 // destructive backspace
        else if (c == '/') out += "\r\n";                             // conditional new line
        i = code + 2;
    }
    return out;
}

std::vector<std::string> split_text_lines(std::string_view text, bool exact_text) {
    std::vector<std::string> lines;
    for_each_text_line(text, exact_text, [&](std::string_view l) { lines.emplace_back(l); });
    return lines;
}

} // namespace render
} // namespace sbbs
