// Header lines -> SMB fields (see parse.h): unfolding, the field map of
// FMT-110 and the MIME retyping of FMT-111.
#include "mailfmt/parse.h"

#include "util/strings.h"

#include <cstdlib>

namespace sbbs {

namespace {

struct Logical {
    std::string name;       // field name as written
    std::string first;      // the first physical line
    std::vector<std::string> more;   // continuation lines as received
};

std::vector<Logical> unfold(std::string_view header) {
    std::vector<Logical> out;
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find("\r\n", pos);
        std::string_view line = header.substr(pos, end == std::string_view::npos ? end : end - pos);
        pos = end == std::string_view::npos ? header.size() : end + 2;
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty()) {
            out.back().more.emplace_back(line);
            continue;
        }
        Logical l;
        l.first = std::string(line);
        auto colon = line.find(':');
        if (colon != std::string_view::npos) l.name = std::string(trim(line.substr(0, colon)));
        out.push_back(std::move(l));
    }
    return out;
}

// Value of a recognised field: continuations joined with one space (SMTP-197).
std::string joined_value(const Logical& l) {
    std::string v(trim(std::string_view(l.first).substr(l.first.find(':') + 1)));
    for (auto& m : l.more) {
        v += ' ';
        v += trim(m);
    }
    return v;
}

// Received/other lines keep their folding: CRLF + the line as received.
std::string folded(std::string first, const Logical& l) {
    for (auto& m : l.more) {
        first += "\r\n";
        first += m;
    }
    return first;
}

struct Mapped { const char* name; uint16_t raw; uint16_t plain; };
constexpr Mapped kDecoded[] = {                                 // FMT-111
    {"To", smb::hf::RFC822TO, smb::hf::RECIPIENTLIST},
    {"Cc", smb::hf::RFC822CC, smb::hf::SMB_CARBONCOPY},
    {"Reply-To", smb::hf::RFC822REPLYTO, smb::hf::REPLYTOLIST},
    {"Organization", smb::hf::RFC822ORG, smb::hf::SENDERORG},
    {"Subject", smb::hf::RFC822SUBJECT, smb::hf::SUBJECT},
};

std::string inside_last_angles(const std::string& v) {
    auto lt = v.rfind('<');
    if (lt == std::string::npos) return std::string(trim(v));
    auto gt = v.find('>', lt);
    return v.substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1);
}

// The first entry of an address list: a comma inside quotes or angle
// brackets does not end it.
std::string first_address(const std::string& v) {
    bool quoted = false;
    int angle = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (c == '"') quoted = !quoted;
        else if (!quoted && c == '<') ++angle;
        else if (!quoted && c == '>' && angle) --angle;
        else if (!quoted && !angle && c == ',') return v.substr(0, i);
    }
    return v;
}

} // namespace

ParsedHeader parse_rfc822_header(std::string_view header) {
    ParsedHeader p;
    bool have_subject = false, have_to = false;
    for (const Logical& l : unfold(header)) {
        const std::string& n = l.name;
        if (iequals(n, "Received")) {
            std::string v(trim(std::string_view(l.first).substr(l.first.find(':') + 1)));
            p.fields.push_back({smb::hf::SMTPRECEIVED, folded(v, l)});
            continue;
        }
        if (iequals(n, "Return-Path")) continue;                        // dropped
        if (iequals(n, "Date")) {
            p.has_date = parse_rfc822_date(joined_value(l), p.when_written);
            continue;
        }
        if (iequals(n, "X-Priority")) {
            long v = std::strtol(joined_value(l).c_str(), nullptr, 10);
            p.priority = (v < 0 || v > 5) ? 0 : uint8_t(v);
            continue;
        }
        uint16_t type = 0;
        for (auto& m : kDecoded)
            if (iequals(n, m.name)) type = m.raw;
        if (iequals(n, "From")) type = smb::hf::RFC822FROM;
        else if (iequals(n, "Message-ID")) type = smb::hf::RFC822MSGID;
        else if (iequals(n, "In-Reply-To")) type = smb::hf::RFC822REPLYID;
        if (!type) {
            if (iequals(n, "X-Spam-Flag") && iequals(joined_value(l), "Yes")) p.spam = true;   // SMTP-199
            p.fields.push_back({smb::hf::RFC822HEADER, folded(l.first, l)});
            continue;
        }
        std::string v = joined_value(l);
        p.fields.push_back({type, v});
        if (type == smb::hf::RFC822REPLYTO) {
            smb::HeaderField nt{smb::hf::REPLYTONETTYPE, std::string{char(smb::net::INTERNET), 0}};
            p.fields.push_back(nt);
            p.fields.push_back({smb::hf::REPLYTONETADDR, inside_last_angles(v)});
        } else if (type == smb::hf::RFC822FROM) {
            // SEC-3: every From: field and every mailbox in it, for SMTP-182.
            MailboxList list = parse_mailbox_list(v);
            p.from_all.malformed |= list.malformed || list.mailboxes.empty();
            if (!p.has_from) {
                p.has_from = true;
                bool usable = !list.malformed && !list.mailboxes.empty();
                p.from = usable ? list.mailboxes.front() : parse_mailbox(v);
                p.from.name = decode_mime_words(p.from.name);
            }
            for (auto& m : list.mailboxes) p.from_all.mailboxes.push_back(std::move(m));
        } else if (type == smb::hf::RFC822TO && !have_to) {
            have_to = true;
            std::string first = first_address(v);                      // SMTP-201
            p.to_name = decode_mime_words(parse_mailbox(first).name);
        } else if (type == smb::hf::RFC822MSGID) {
            p.has_message_id = true;
        }
    }
    // FMT-111: plain values are retyped in place; encoded ones keep the raw
    // field and gain a decoded field of the plain type.
    size_t count = p.fields.size();
    for (size_t i = 0; i < count; ++i) {
        for (auto& m : kDecoded) {
            if (p.fields[i].type != m.raw) continue;
            bool encoded = false;
            std::string decoded = decode_mime_words(p.fields[i].data, &encoded);
            if (m.plain == smb::hf::SUBJECT) { have_subject = true; p.subject = decoded; }
            if (is_non_ascii_utf8(decoded)) p.utf8 = true;
            if (encoded) p.fields.push_back({m.plain, decoded});
            else p.fields[i].type = m.plain;
        }
    }
    if (!have_subject) p.fields.push_back({smb::hf::SUBJECT, ""});
    if (is_non_ascii_utf8(p.from.name)) p.utf8 = true;
    return p;
}

} // namespace sbbs
