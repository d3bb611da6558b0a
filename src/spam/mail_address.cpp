// Address splitting with the original's rules (see mail_address.h).
#include "spam/mail_address.h"

#include "util/strings.h"

namespace sbbs::spam {

namespace {

constexpr size_t kMaxPart = 127;

std::string_view skip_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    return s;
}

std::string display_name(std::string_view p) {
    size_t lt = p.find('<');
    size_t quote = p.find('"');
    std::string_view name;
    if (quote != p.npos && (lt == p.npos || quote < lt)) {       // name in quotes
        name = p.substr(quote + 1);
        name = name.substr(0, name.find('"'));
    } else if (size_t paren = p.find('('); paren != p.npos) {     // name in parentheses
        name = p.substr(paren + 1);
        name = name.substr(0, name.find(')'));
    } else if (!p.empty() && p.front() == '<') {                  // address alone in brackets
        name = p.substr(1);
        name = name.substr(0, name.find('>'));
    } else {                                                      // name, then <address>
        name = p.substr(0, lt);
    }
    std::string out;
    for (char c : trim_right(name.substr(0, kMaxPart)))
        if (c != '\\') out += c;
    return out;
}

} // namespace

NamedAddress split_mail_address(std::string_view text) {
    std::string_view p = skip_blanks(text);
    size_t lt = p.find('<');
    std::string_view a = skip_blanks(lt == p.npos ? p : p.substr(lt + 1)).substr(0, kMaxPart);
    a = a.substr(0, a.find_first_of(">( "));
    return {display_name(p), std::string(a)};
}

std::optional<HeaderField> header_field(std::string_view line) {
    if (line.empty() || static_cast<unsigned char>(line.front()) <= ' ') return std::nullopt;
    size_t colon = line.find(':');
    if (colon == line.npos) return std::nullopt;
    return HeaderField{std::string(trim_right(line.substr(0, colon))),
                       std::string(skip_blanks(line.substr(colon + 1)))};
}

std::vector<HeaderField> header_fields(std::string_view header) {
    std::vector<HeaderField> fields;
    while (!header.empty()) {
        size_t nl = header.find('\n');
        std::string_view line = trim_right(header.substr(0, nl));
        header.remove_prefix(nl == header.npos ? header.size() : nl + 1);
        if (auto f = header_field(line)) fields.push_back(std::move(*f));
    }
    return fields;
}

} // namespace sbbs::spam
