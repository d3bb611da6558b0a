// libFuzzer target for the message format parsers: an RFC 5322 header and
// body as received (parse_rfc822_header, mailbox lists, dates, RFC 2047
// words), then stored and rendered back (MIME preamble, text splitting),
// and the DKIM canonicalisation SendMail applies to outgoing text.
#include "mailfmt/parse.h"
#include "mailfmt/render.h"
#include "sendmail/dkim.h"
#include "unit/pop3/message_builders.h"

#include <cstdint>
#include <string>

using namespace sbbs;

namespace {

// Each header line's value, with its folding, as the field parsers see it.
void each_field_value(std::string_view header) {
    size_t start = 0;
    while (start < header.size()) {
        size_t end = header.find("\r\n", start);
        if (end == std::string_view::npos) end = header.size();
        std::string_view line = header.substr(start, end - start);
        size_t colon = line.find(':');
        std::string_view value = colon == std::string_view::npos ? line : line.substr(colon + 1);
        (void)parse_mailbox(value);
        (void)parse_mailbox_list(value);
        (void)decode_mime_words(value);
        smb::When w;
        (void)parse_rfc822_date(value, w);
        (void)is_non_ascii_utf8(value);
        start = end + 2;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    size_t blank = in.find("\r\n\r\n");
    std::string_view header = blank == std::string_view::npos ? in : in.substr(0, blank);
    std::string_view body = blank == std::string_view::npos ? std::string_view{} : in.substr(blank + 4);

    ParsedHeader parsed = parse_rfc822_header(header);
    each_field_value(header);

    // Stored as the SMTP server stores it, then rendered both ways.
    smb::Message m = test::internet_mail();
    m.hdr.fields = parsed.fields;
    m.body = std::string(body);
    for (bool exact : {true, false}) {
        RenderContext ctx = test::test_context();
        ctx.exact_text = exact;
        (void)render_message(m, ctx);
        (void)message_text(m, exact);
    }

    std::string_view dkim_body;
    auto fields = dkim::split_header(in, dkim_body);
    for (auto& f : fields) (void)dkim::relaxed_header(f);
    (void)dkim::relaxed_body(dkim_body);
    return 0;
}
