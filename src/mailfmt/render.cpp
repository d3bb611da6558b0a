// Assembles a rendered message: header, MIME preamble, text lines and the
// attachment parts (POP3-83, POP3-91, POP3-92), shared by POP3 and SendMail.
#include "mailfmt/render_parts.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace sbbs {

namespace {
using namespace render;

// The directory of a message's attachments; user numbers as the index has them.
std::string attachment_dir(const smb::MessageHeader& h, const RenderContext& ctx) {
    auto user_number = [&](uint16_t type) { return std::atoi(h.get(type).c_str()); };
    char dir[32];
    int to = user_number(smb::hf::RECIPIENTEXT);
    if (to != 0) std::snprintf(dir, sizeof dir, "file/%04u.in/", unsigned(to));
    else std::snprintf(dir, sizeof dir, "file/%04u.out/", unsigned(user_number(smb::hf::SENDEREXT)));
    return ctx.data_dir + dir;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

void add_attachment(RenderedMessage& r, const std::string& boundary, const std::string& path) {
    std::string name = path.substr(path.find_last_of('/') + 1);
    auto& out = r.full_end;
    out.emplace_back();
    out.push_back("--" + boundary);
    out.push_back("Content-Type: application/octet-stream;");
    out.push_back(" name=\"" + name + "\"");
    out.push_back("Content-Transfer-Encoding: base64");
    out.push_back("Content-Disposition: attachment;");
    out.push_back(" filename=\"" + name + "\"");
    out.emplace_back();
    std::string data;
    if (read_file(path, data)) {
        for (auto& l : base64_lines(data)) out.push_back(std::move(l));
        out.emplace_back();
        out.emplace_back();
    } else {
        r.unreadable.push_back(path);   // its part headers are out already: an empty part
    }
    // The original closes the multipart after every attachment (POP3-94).
    out.push_back("--" + boundary + "--");
    out.emplace_back();
}

} // namespace

std::vector<std::string> render::attachment_paths(const smb::MessageHeader& hdr, const RenderContext& ctx) {
    std::vector<std::string> paths;
    std::string dir = attachment_dir(hdr, ctx);
    for (auto& name : attachment_names(hdr.get(smb::hf::SUBJECT))) paths.push_back(dir + name);
    return paths;
}

namespace {
size_t line_octets(const std::vector<std::string>& lines, size_t count) {
    size_t n = 0;
    for (size_t i = 0; i < count && i < lines.size(); ++i) n += lines[i].size() + 2;
    return n;
}
} // namespace

size_t RenderedMessage::octets() const {
    return line_octets(header, header.size()) + line_octets(text, text.size()) +
           line_octets(full_end, full_end.size());
}

size_t RenderedMessage::octets_top(size_t lines) const {
    return line_octets(header, header.size()) + line_octets(text, lines) +
           line_octets(partial_end, partial_end.size());
}

RenderedMessage render_message(const smb::Message& msg, const RenderContext& ctx) {
    std::string text;
    RenderedMessage r = render_message_head(msg, ctx, text);
    r.text = split_text_lines(text, ctx.exact_text);
    return r;
}

RenderedMessage render_message_head(const smb::Message& msg, const RenderContext& ctx, std::string& text) {
    RenderedMessage r;
    text = message_text(msg, ctx.exact_text);
    r.text_bytes = text.size();
    r.header = header_lines(msg, ctx);
    ContentType ct = stored_content_type(msg.hdr);
    // Only the generated Content-Type lines name a charset: Internet mail
    // with its own is not scanned for 8-bit bytes.
    auto charset = [&] { return text_charset(msg, text, ct); };
    if (msg.hdr.auxattr & smb::auxattr::FILEATTACH) r.attachments = attachment_paths(msg.hdr, ctx);
    if (!r.attachments.empty()) {
        std::string boundary = mime_boundary(msg.hdr.number ^ msg.hdr.when_written.time);
        std::string subtype = ct.subtype.empty() ? "plain" : ct.subtype;
        for (const char* l : {"MIME-Version: 1.0", "Content-Type: multipart/mixed;"}) r.header.emplace_back(l);
        r.header.push_back(" boundary=\"" + boundary + "\"");
        r.header.emplace_back();
        r.header.emplace_back("This is a multi-part message in MIME format.");
        r.header.emplace_back();
        r.header.emplace_back();
        r.header.push_back("--" + boundary);
        r.header.push_back("Content-Type: text/" + subtype + ";");
        r.header.push_back(" charset=\"" + charset() + "\"");
        r.header.emplace_back("Content-Transfer-Encoding: 8bit");
        for (auto& path : r.attachments) add_attachment(r, boundary, path);
        r.partial_end = {"--" + boundary + "--", ""};
    } else if (msg.hdr.get_u16(smb::hf::SENDERNETTYPE).value_or(smb::net::NONE) != smb::net::INTERNET &&
               !ct.present) {
        r.header.push_back("Content-Type: text/plain; charset=" + charset());
        r.header.emplace_back("Content-Transfer-Encoding: 8bit");
    }
    r.header.emplace_back();            // end of the header
    return r;
}

std::string render_rfc822(const smb::Message& msg, const RenderContext& ctx) {
    RenderedMessage r = render_message(msg, ctx);
    std::string out;
    out.reserve(r.octets());
    for (auto* part : {&r.header, &r.text, &r.full_end})
        for (auto& l : *part) out += l + "\r\n";
    return out;
}

} // namespace sbbs
