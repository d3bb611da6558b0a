// Reading and rewriting MIME entity header fields (see entity_header.h).
#include "mime/entity_header.h"

#include "util/strings.h"

#include <vector>

namespace sbbs::mime {

namespace {

// One field: its first line through its last folded line, with the CR LF.
struct Field {
    std::string_view name;   // before the colon, as written
    std::string_view text;   // the whole field
};

std::vector<Field> fields(std::string_view header) {
    std::vector<Field> out;
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find("\r\n", pos);
        end = end == std::string_view::npos ? header.size() : end + 2;
        std::string_view line = header.substr(pos, end - pos);
        bool folded = (line[0] == ' ' || line[0] == '\t') && !out.empty();
        if (folded) {
            out.back().text = header.substr(out.back().text.data() - header.data(),
                                            end - size_t(out.back().text.data() - header.data()));
        } else {
            size_t colon = line.find(':');
            out.push_back({colon == std::string_view::npos ? std::string_view() : trim(line.substr(0, colon)), line});
        }
        pos = end;
    }
    return out;
}

std::string with_crlf(std::string_view text) {
    std::string s(text);
    if (s.size() < 2 || s.compare(s.size() - 2, 2, "\r\n") != 0) s += "\r\n";
    return s;
}

// RFC 822 comments, nested, dropped; quoted strings kept whole.
std::string without_comments(std::string_view v) {
    std::string out;
    int depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (quoted) {
            out += c;
            if (c == '\\' && i + 1 < v.size()) out += v[++i];
            else if (c == '"') quoted = false;
        } else if (depth) {
            if (c == '\\') ++i;
            else if (c == '(') ++depth;
            else if (c == ')') --depth;
        } else if (c == '(') {
            depth = 1;
            out += ' ';
        } else {
            if (c == '"') quoted = true;
            out += c;
        }
    }
    return out;
}

// A parameter value: a token, or a quoted string with its escapes undone.
std::string param_value(std::string_view v) {
    v = trim(v);
    if (v.empty() || v[0] != '"') {
        size_t end = v.find_first_of(" \t;");
        return std::string(v.substr(0, end));
    }
    std::string out;
    for (size_t i = 1; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        out += v[i];
    }
    return out;
}

// Splits at semicolons outside quoted strings.
std::vector<std::string_view> params(std::string_view v) {
    std::vector<std::string_view> out;
    bool quoted = false;
    size_t start = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        if (quoted && v[i] == '\\') ++i;
        else if (v[i] == '"') quoted = !quoted;
        else if (v[i] == ';' && !quoted) {
            out.push_back(v.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(v.substr(start));
    return out;
}

} // namespace

std::string field_value(std::string_view header, std::string_view name) {
    for (auto& f : fields(header)) {
        if (!iequals(f.name, name)) continue;
        std::string_view v = f.text.substr(f.text.find(':') + 1);
        std::string out;
        for (char c : v)
            if (c != '\r' && c != '\n') out += c;                  // unfolded (RFC 5322 2.2.3)
        return std::string(trim(out));
    }
    return {};
}

EntityType read_entity_type(std::string_view header, bool digest_child) {
    EntityType t;
    if (digest_child) t.type = "message", t.subtype = "rfc822";
    t.encoding = to_lower(trim(without_comments(field_value(header, "Content-Transfer-Encoding"))));
    std::string ct = without_comments(field_value(header, "Content-Type"));
    auto ps = params(ct);
    std::string_view type = trim(ps[0]);
    size_t slash = type.find('/');
    // RFC 2045 5.2: a Content-Type that cannot be read counts as the default.
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return t;
    t.type = to_lower(trim(type.substr(0, slash)));
    t.subtype = to_lower(trim(type.substr(slash + 1)));
    for (size_t i = 1; i < ps.size(); ++i) {
        std::string_view p = trim(ps[i]);
        size_t eq = p.find('=');
        if (eq != std::string_view::npos && iequals(trim(p.substr(0, eq)), "boundary"))
            t.boundary = param_value(p.substr(eq + 1));
    }
    return t;
}

std::string replace_field(std::string_view header, std::string_view name, std::string_view replacement) {
    std::string out;
    bool placed = false;
    for (auto& f : fields(header)) {
        if (!iequals(f.name, name)) {
            out += with_crlf(f.text);
        } else if (!placed) {
            out += replacement;
            placed = true;
        }
    }
    if (!placed) out += replacement;
    return out;
}

std::string rename_field(std::string_view header, std::string_view name, std::string_view new_name) {
    std::string out;
    for (auto& f : fields(header)) {
        if (iequals(f.name, name)) out += std::string(new_name) + with_crlf(f.text.substr(f.text.find(':')));
        else out += with_crlf(f.text);
    }
    return out;
}

} // namespace sbbs::mime
