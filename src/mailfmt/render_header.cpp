// The RFC 822 header lines generated from a stored message's fields, in the
// original's order (POP3-83..POP3-87, POP3-90).
#include "mailfmt/render_parts.h"

#include "util/strings.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>

namespace sbbs::render {

namespace {
using smb::MessageHeader;
namespace hf = smb::hf;

const std::string* first(const MessageHeader& h, uint16_t type) {
    for (auto& f : h.fields)
        if (f.type == type) return &f.data;
    return nullptr;
}

// Header field text as the original's C strings see it (up to a NUL).
std::string text_of(const std::string* s) { return s ? std::string(s->c_str()) : std::string(); }
std::string_view view_of(const std::string* s) {
    if (!s) return {};
    return std::string_view(*s).substr(0, s->find('\0'));
}

// "<name><value>" in one allocation: a message's header has a dozen of them.
std::string field_line(std::string_view name, std::string_view value) {
    std::string line;
    line.reserve(name.size() + value.size());
    line.append(name).append(value);
    return line;
}

uint16_t net_type(const MessageHeader& h, uint16_t type) { return h.get_u16(type).value_or(smb::net::NONE); }

struct FidoAddr { uint16_t zone = 0, net = 0, node = 0, point = 0; };

FidoAddr fido_addr(const std::string& raw) {
    auto u16 = [&](size_t i) {
        return i + 1 < raw.size() ? uint16_t(uint8_t(raw[i]) | (uint8_t(raw[i + 1]) << 8)) : uint16_t(0);
    };
    return {u16(0), u16(2), u16(4), u16(6)};
}

std::string fido_text(const FidoAddr& a) {
    std::string s = std::to_string(a.zone) + ":" + std::to_string(a.net) + "/" + std::to_string(a.node);
    if (a.point) s += "." + std::to_string(a.point);
    return s;
}

std::string angle(const std::string& addr) { return !addr.empty() && addr[0] == '<' ? addr : "<" + addr + ">"; }

std::string user_address(const std::string& name, const RenderContext& ctx) {
    if (name.find('@') != std::string::npos) return name;
    return mail_local_form(name) + "@" + ctx.inet_addr;
}

bool hfields_utf8(const MessageHeader& h) { return h.auxattr & smb::auxattr::HFIELDS_UTF8; }

// A generated field's text: encoded-words (POP3-96), or raw UTF-8 for a
// client that asked for it (RFC 6856 2).
std::string header_text(std::string_view value, const MessageHeader& h, const RenderContext& ctx) {
    return ctx.utf8_headers ? utf8_header_field(value, hfields_utf8(h)) : encode_header_field(value, hfields_utf8(h));
}

std::string from_line(const MessageHeader& h, const RenderContext& ctx) {
    if (auto p = first(h, hf::RFC822FROM)) return field_line("From: ", view_of(p));
    std::string from = text_of(h.last(hf::SENDER));
    std::string name = "\"" + from + "\"";
    std::string addr;
    uint16_t type = net_type(h, hf::SENDERNETTYPE);
    const std::string* net_addr = h.last(hf::SENDERNETADDR);
    if (type == smb::net::QWK && net_addr) {
        addr = text_of(net_addr) + "!" + user_address(from, ctx);
    } else if (type == smb::net::FIDO && net_addr) {
        FidoAddr fa = fido_addr(*net_addr);
        name = "\"" + from + "\" (" + fido_text(fa) + ")";
        std::string domain = (fa.point ? "p" + std::to_string(fa.point) + "." : std::string()) + "f" +
                             std::to_string(fa.node) + ".n" + std::to_string(fa.net) + ".z" +
                             std::to_string(fa.zone) + ".fidonet";
        addr = mail_local_form(from) + "@" + domain;
    } else if (type != smb::net::NONE && net_addr) {
        addr = text_of(net_addr);
    } else {
        addr = user_address(from, ctx);
    }
    return "From: " + header_text(name, h, ctx) + " " + angle(addr);
}

std::string to_line(const MessageHeader& h, const RenderContext& ctx) {
    if (auto p = first(h, hf::RFC822TO)) return field_line("To: ", view_of(p));
    if (auto p = h.last(hf::RECIPIENTLIST)) return field_line("To: ", view_of(p));
    std::string name = text_of(h.last(hf::RECIPIENT));
    std::string to = header_text(name, h, ctx);
    const std::string* net_addr = h.last(hf::RECIPIENTNETADDR);
    if (name.find('@') != std::string::npos || !net_addr) return "To: " + to;
    uint16_t type = net_type(h, hf::RECIPIENTNETTYPE);
    if (type == smb::net::INTERNET || type == smb::net::QWK) {
        std::string addr = text_of(net_addr);
        if (addr.find('<') != std::string::npos) return "To: " + addr;
        return "To: \"" + to + "\" <" + addr + ">";
    }
    if (type == smb::net::FIDO) return "To: \"" + to + "\" (" + fido_text(fido_addr(*net_addr)) + ")";
    return "To: \"" + to + "\" <" + user_address(name, ctx) + ">";
}

// Emitted only when the chosen value has an '@' (POP3-87).
std::optional<std::string> reply_to_line(const MessageHeader& h) {
    const std::string* p = first(h, hf::RFC822REPLYTO);
    const std::string* name = nullptr;
    if (!p && !(p = h.last(hf::REPLYTOLIST))) {
        name = h.last(hf::REPLYTO);
        if (net_type(h, hf::REPLYTONETTYPE) == smb::net::INTERNET) p = h.last(hf::REPLYTONETADDR);
    }
    if (!p || text_of(p).find('@') == std::string::npos) return std::nullopt;
    if (name) return "Reply-To: \"" + text_of(name) + "\" <" + text_of(p) + ">";
    return "Reply-To: " + text_of(p);
}

std::string message_id(const MessageHeader& h, const RenderContext& ctx) {
    std::string id = text_of(h.last(hf::RFC822MSGID));
    if (!id.empty()) return id;
    const std::string* host = &ctx.inet_addr;
    for (auto* alt : {&ctx.qwk_id, &ctx.system_name, &ctx.operator_name})
        if (host->empty()) host = alt;
    char buf[64];
    std::snprintf(buf, sizeof buf, "<%08X.%u@", unsigned(h.when_imported_time), unsigned(h.number));
    return buf + *host + ">";
}

// Missing parts print as "(null)", as the original's printf does (POP3-83 item 13).
std::optional<std::string> originator_info(const MessageHeader& h) {
    const uint16_t types[] = {hf::SENDEREXT, hf::SENDERUSERID, hf::SENDERSERVER, hf::SENDERHOSTNAME,
                              hf::SENDERIPADDR, hf::SENDERPROTOCOL, hf::SENDERPORT, hf::SENDERTIME};
    const char* names[] = {"account", "login-id", "server", "client", "addr", "prot", "port", "time"};
    bool any = false;
    std::string line = "X-Originator-Info: ";
    line.reserve(160);
    for (size_t i = 0; i < 8; ++i) {
        // The sender extension is a convenience pointer (last field); the rest are looked up (first).
        const std::string* v = i == 0 ? h.last(types[i]) : first(h, types[i]);
        any = any || v;
        if (i) line += "; ";
        line.append(names[i]).append("=").append(v ? view_of(v) : std::string_view("(null)"));
    }
    return any ? std::optional<std::string>(line) : std::nullopt;
}

size_t find_ascii_ci(const std::string& s, std::string_view key) {
    for (size_t i = 0; i + key.size() <= s.size(); ++i)
        if (iequals(std::string_view(s).substr(i, key.size()), key)) return i;
    return std::string::npos;
}

const char* ftn_name(uint16_t type) {
    switch (type) {
    case 0xA0: return "X-FTN-Kludge";
    case 0xA1: return "X-FTN-AREA";
    case 0xA2: return "X-FTN-SEEN-BY";
    case 0xA3: return "X-FTN-PATH";
    case 0xA4: return "X-FTN-MSGID";
    case 0xA5: return "X-FTN-REPLY";
    case 0xA6: return "X-FTN-PID";
    case 0xA7: return "X-FTN-Flags";
    case 0xA8: return "X-FTN-TID";
    default: return nullptr;
    }
}
} // namespace

std::vector<std::string> header_lines(const smb::Message& msg, const RenderContext& ctx) {
    const MessageHeader& h = msg.hdr;
    std::vector<std::string> out;
    out.reserve(16);
    if (const std::string* reverse_path = h.reverse_path()) out.push_back(field_line("Return-Path: ", view_of(reverse_path)));
    for (auto& f : h.fields)
        if (f.type == hf::SMTPRECEIVED) out.push_back(field_line("Received: ", view_of(&f.data)));
    out.push_back(field_line("Date: ", rfc822_date(h.when_written)));
    out.push_back(from_line(h, ctx));
    if (auto p = first(h, hf::RFC822ORG)) {
        out.push_back(field_line("Organization: ", view_of(p)));
    } else if (h.last(hf::SENDERORG) || net_type(h, hf::SENDERNETTYPE) == smb::net::NONE) {
        auto org = h.last(hf::SENDERORG);
        out.push_back("Organization: " + header_text(org ? text_of(org) : ctx.system_name, h, ctx));
    }
    if (auto p = first(h, hf::RFC822SUBJECT)) out.push_back(field_line("Subject: ", view_of(p)));
    else out.push_back("Subject: " + header_text(text_of(h.last(hf::SUBJECT)), h, ctx));
    out.push_back(to_line(h, ctx));
    const std::string* cc = first(h, hf::RFC822CC);
    if (!cc) cc = h.last(hf::SMB_CARBONCOPY);
    if (cc) out.push_back(field_line("Cc: ", view_of(cc)));
    if (auto r = reply_to_line(h)) out.push_back(*r);
    out.push_back(field_line("Message-ID: ", message_id(h, ctx)));
    if (auto p = h.last(hf::RFC822REPLYID)) out.push_back(field_line("In-Reply-To: ", view_of(p)));
    if (h.priority) out.push_back("X-Priority: " + std::to_string(h.priority));
    if (auto o = originator_info(h)) out.push_back(*o);
    for (auto& f : h.fields)
        if (auto name = ftn_name(f.type)) out.push_back(std::string(name) + ": " + text_of(&f.data));
    for (auto& f : h.fields)
        if (f.type == hf::RFC822HEADER) out.emplace_back(view_of(&f.data));
    return out;
}

ContentType stored_content_type(const smb::MessageHeader& hdr) {
    ContentType ct;
    for (auto& f : hdr.fields) {
        if (f.type != hf::RFC822HEADER || f.data.size() < 13) continue;
        if (!istarts_with(view_of(&f.data), "Content-Type:")) continue;   // no copy of every other line
        std::string v = text_of(&f.data);
        ct = ContentType{};
        ct.present = true;
        size_t p = v.find_first_not_of(" \t\r\n", 13);
        std::string value = p == std::string::npos ? std::string() : v.substr(p);
        if (auto end = value.find("\r\n\r\n"); end != std::string::npos) value.resize(end);
        if (!istarts_with(value, "text/")) continue;
        std::string rest = value.substr(5);
        ct.subtype = rest.substr(0, rest.find_first_of(" \t\r\n;"));
        for (const char* key : {" charset=", ";charset=", "\tcharset="}) {
            size_t k = find_ascii_ci(rest, key);
            if (k == std::string::npos) continue;
            std::string cs = rest.substr(k + 9);
            bool quoted = !cs.empty() && cs[0] == '"';
            if (quoted) cs.erase(0, 1);
            cs = cs.substr(0, cs.find_first_of(" \t\r\n"));
            cs = cs.substr(0, cs.find(quoted ? '"' : ';'));
            ct.charset = cs;
            break;
        }
    }
    return ct;
}

namespace {
// Any byte >= 0x80? 64 bytes per test, their words OR'ed without a branch
// (the compiler vectorises it): every retrieved message is scanned, and
// plain ASCII, the usual case, is scanned to the end.
bool has_8bit(std::string_view text) {
    size_t i = 0;
    for (; i + 64 <= text.size(); i += 64) {
        uint64_t any = 0;
        for (size_t k = 0; k < 64; k += 8) {
            uint64_t word;
            std::memcpy(&word, text.data() + i + k, 8);
            any |= word;
        }
        if (any & 0x8080808080808080ULL) return true;
    }
    for (; i + 8 <= text.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & 0x8080808080808080ULL) return true;
    }
    for (; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0x80) return true;
    return false;
}
} // namespace

std::string text_charset(const smb::Message& msg, std::string_view text) {
    return text_charset(msg, text, stored_content_type(msg.hdr));
}

std::string text_charset(const smb::Message& msg, std::string_view text, const ContentType& ct) {
    if (!ct.charset.empty()) return ct.charset;
    bool utf8 = msg.hdr.auxattr & smb::auxattr::HFIELDS_UTF8;
    for (auto& f : msg.hdr.fields)
        if (f.type == hf::FIDOCTRL && f.data.compare(0, 11, "CHRS: UTF-8") == 0) utf8 = true;
    if (auto cs = msg.hdr.last(hf::FIDOCHARSET); cs && cs->compare(0, 5, "UTF-8") == 0) utf8 = true;
    if (utf8) return "UTF-8";
    return has_8bit(text) ? "IBM437" : "US-ASCII";
}

} // namespace sbbs::render
