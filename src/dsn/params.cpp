// DSN/REQUIRETLS parameter rules (RFC 3461 4.1-4.4, RFC 8689 4.1) and their
// stored form in a message header.
#include "dsn/params.h"

#include "dsn/utf8_addr.h"

#include "util/strings.h"

#include <cctype>

namespace sbbs::dsn {

namespace {

constexpr size_t MAX_ENVID = 100;   // RFC 3461 4.4: at most 100 characters (encoded)
constexpr size_t MAX_ORCPT = 500;   // RFC 3461 4.2: at most 500 characters (encoded)

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;                      // RFC 3461 4: hexchar is upper case only
}

bool is_atom(std::string_view s) {  // addr-type: an RFC 5322 atom, kept simple
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

std::optional<uint8_t> notify_bits(std::string_view v) {
    uint8_t bits = 0;
    for (auto& item : split(v, ',')) {
        uint8_t b = iequals(item, "NEVER") ? notify::NEVER : iequals(item, "SUCCESS") ? notify::SUCCESS
                  : iequals(item, "FAILURE") ? notify::FAILURE : iequals(item, "DELAY") ? notify::DELAY : 0;
        if (!b || (bits & b)) return std::nullopt;
        bits |= b;
    }
    if ((bits & notify::NEVER) && bits != notify::NEVER) return std::nullopt;   // NEVER stands alone
    return bits;
}

// RFC 3461 4.4: an ENVID is printable US-ASCII (graphic and space) once
// decoded; a "+0D+0A" would otherwise reach a report's header as a line end.
bool printable_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

// RFC 3461 4.2: the decoded ORCPT of any addr-type but utf-8 (RFC 6533) as
// the sender gave it, but never a control character (it goes into a
// report's Original-Recipient field). 8-bit bytes are taken: Postfix sends
// a UTF-8 recipient as "ORCPT=rfc822;j+C3+BCrgen@..." in SMTPUTF8 mail.
bool no_controls(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return false;
    return true;
}

std::optional<std::string> orcpt_address(std::string_view type, std::string_view v, bool utf8) {
    if (iequals(type, "utf-8")) {   // 4.2's limit on the form stored and relayed (raw UTF-8 grows in it)
        auto addr = utf8_addr_decode(v, utf8);
        if (!addr || type.size() + 1 + utf8_addr_encode(*addr).size() > MAX_ORCPT) return std::nullopt;
        return addr;
    }
    auto addr = xtext_decode(v);
    if (!addr || addr->empty() || !no_controls(*addr)) return std::nullopt;
    return addr;
}

std::string_view keyword(std::string_view param) { return param.substr(0, param.find('=')); }
std::string_view value(std::string_view param) {
    auto eq = param.find('=');
    return eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
}

} // namespace

bool is_xtext(std::string_view s) { return xtext_decode(s).has_value(); }

std::optional<std::string> xtext_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if (c == '+') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += char(hi * 16 + lo);
            i += 2;
        } else if (c < '!' || c > '~' || c == '=') {
            return std::nullopt;
        } else {
            out += char(c);
        }
    }
    return out;
}

std::string xtext_encode(std::string_view s) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c >= '!' && c <= '~' && c != '+' && c != '=') out += char(c);
        else { out += '+'; out += digits[c >> 4]; out += digits[c & 15]; }
    }
    return out;
}

Result<bool> take_mail_param(std::string_view param, EnvelopeParams& into) {
    auto key = keyword(param);
    auto v = value(param);
    if (iequals(key, "RET")) {
        if (into.ret != Ret::Unset) return make_error("Duplicate RET parameter");
        if (iequals(v, "FULL")) into.ret = Ret::Full;
        else if (iequals(v, "HDRS")) into.ret = Ret::Hdrs;
        else return make_error("Syntax error in RET parameter");
        return true;
    }
    if (iequals(key, "ENVID")) {
        if (!into.envid.empty()) return make_error("Duplicate ENVID parameter");
        auto d = xtext_decode(v);
        if (v.empty() || v.size() > MAX_ENVID || !d || d->empty() || !printable_ascii(*d)) return make_error("Syntax error in ENVID parameter");
        into.envid = *d;
        return true;
    }
    if (iequals(param, "REQUIRETLS")) {
        if (into.requiretls) return make_error("Duplicate REQUIRETLS parameter");
        into.requiretls = true;
        return true;
    }
    return false;
}

Result<bool> take_rcpt_param(std::string_view param, RecipientParams& into, bool utf8) {
    auto key = keyword(param);
    auto v = value(param);
    if (iequals(key, "NOTIFY")) {
        if (into.notify) return make_error("Duplicate NOTIFY parameter");
        auto bits = notify_bits(v);
        if (!bits) return make_error("Syntax error in NOTIFY parameter");
        into.notify = *bits;
        return true;
    }
    if (iequals(key, "ORCPT")) {
        if (!into.orcpt_type.empty()) return make_error("Duplicate ORCPT parameter");
        auto semi = v.find(';');
        if (semi == std::string_view::npos || v.size() > MAX_ORCPT) return make_error("Syntax error in ORCPT parameter");
        auto type = v.substr(0, semi);
        auto addr = is_atom(type) ? orcpt_address(type, v.substr(semi + 1), utf8) : std::nullopt;
        if (!addr) return make_error("Syntax error in ORCPT parameter");
        into.orcpt_type = std::string(type);
        into.orcpt = *addr;
        return true;
    }
    return false;
}

std::string format(const EnvelopeParams& p) {
    std::string out;
    auto add = [&out](std::string s) { if (!out.empty()) out += ' '; out += s; };
    if (p.ret != Ret::Unset) add(p.ret == Ret::Full ? "RET=FULL" : "RET=HDRS");
    if (!p.envid.empty()) add("ENVID=" + xtext_encode(p.envid));
    if (p.requiretls) add("REQUIRETLS");
    return out;
}

std::string format(const RecipientParams& p) {
    std::string out;
    if (p.notify) {
        out = "NOTIFY=";
        if (p.notify & notify::NEVER) out += "NEVER";
        std::string list;
        for (auto [bit, name] : {std::pair{notify::SUCCESS, "SUCCESS"}, {notify::FAILURE, "FAILURE"}, {notify::DELAY, "DELAY"}})
            if (p.notify & bit) list += (list.empty() ? "" : ",") + std::string(name);
        out += list;
    }
    if (!p.orcpt_type.empty())
        out += (out.empty() ? "" : " ") + std::string("ORCPT=") + p.orcpt_type + ";" +
               (iequals(p.orcpt_type, "utf-8") ? utf8_addr_encode(p.orcpt) : xtext_encode(p.orcpt));
    return out;
}

EnvelopeParams envelope_params(const smb::MessageHeader& h) {
    EnvelopeParams p;
    if (auto f = h.last(smb::hf::DSN_ENVELOPE))
        for (auto& item : split(*f, ' '))
            if (!take_mail_param(item, p).ok()) return {};
    return p;
}

RecipientParams recipient_params(const smb::MessageHeader& h) {
    RecipientParams p;
    if (auto f = h.last(smb::hf::DSN_RECIPIENT))
        for (auto& item : split(*f, ' '))
            if (!take_rcpt_param(item, p).ok()) return {};
    return p;
}

void store(smb::MessageHeader& h, const EnvelopeParams& e, const RecipientParams& r) {
    if (!e.empty()) h.add(smb::hf::DSN_ENVELOPE, format(e));
    if (!r.empty()) h.add(smb::hf::DSN_RECIPIENT, format(r));
}

} // namespace sbbs::dsn
