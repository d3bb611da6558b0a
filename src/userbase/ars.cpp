// ARS parsing into a small term tree, then the original's left-to-right,
// short-circuit evaluation over it.
#include "userbase/ars.h"

#include "util/strings.h"

#include <cctype>
#include <memory>
#include <string>
#include <vector>

namespace sbbs {
namespace {

enum class Kind { Level, Flag, Exempt, Rest, User, Group };

struct Term {
    bool or_ = false, not_ = false, equal = false;
    Kind kind = Kind::Level;
    unsigned value = 0;                  // number, or letter bit index
    int flag_set = 1;
    std::vector<Term> group;
};

bool alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool digit(char c) { return c >= '0' && c <= '9'; }

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    Result<std::vector<Term>> terms(bool nested) {
        std::vector<Term> out;
        Term pending;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == ' ' || c == '\t' || c == '&') { ++i_; continue; }
            if (c == ')') {
                ++i_;
                if (nested) return out;
                continue;
            }
            if (c == '(') {
                ++i_;
                auto g = terms(true);
                if (!g) return g.error();
                pending.kind = Kind::Group;
                pending.group = std::move(*g);
                out.push_back(std::move(pending));
                pending = Term{};
                continue;
            }
            if (c == '|') { pending.or_ = true; ++i_; continue; }
            if (c == '!') { pending.not_ = true; ++i_; continue; }
            if (c == '=') { pending.equal = true; ++i_; continue; }
            if (c == '$') {
                if (Status st = shorthand(); !st) return st.error();
                continue;
            }
            if (digit(c)) {
                unsigned n = number();
                if (kind_ == Kind::Flag || kind_ == Kind::Exempt || kind_ == Kind::Rest) {
                    if (kind_ == Kind::Flag && n >= 1 && n <= 4) flag_set_ = static_cast<int>(n);
                    continue;
                }
                pending.kind = kind_;
                pending.value = n;
                out.push_back(std::move(pending));
                pending = Term{};
                continue;
            }
            if (alpha(c)) {
                auto w = word(pending);
                if (!w) return w.error();
                if (*w) {
                    out.push_back(std::move(pending));
                    pending = Term{};
                }
                continue;
            }
            return make_error("ARS: unexpected '" + std::string(1, c) + "'", ErrorCode::Invalid);
        }
        return out;
    }

private:
    unsigned number() {
        unsigned n = 0;
        while (i_ < s_.size() && digit(s_[i_])) n = n * 10 + unsigned(s_[i_++] - '0');
        return n;
    }

    bool letter_kind() const { return kind_ == Kind::Flag || kind_ == Kind::Exempt || kind_ == Kind::Rest; }

    // A keyword, an operator word, or a one-letter flag argument. Returns
    // true when `t` became a complete term.
    Result<bool> word(Term& t) {
        size_t start = i_;
        while (i_ < s_.size() && alpha(s_[i_])) ++i_;
        std::string w = to_upper(s_.substr(start, i_ - start));
        if (w == "OR") { t.or_ = true; return false; }
        if (w == "AND" || (w == "TO" && t.equal)) return false;
        if (w == "NOT") { t.not_ = true; return false; }
        if (w == "EQUAL" || w == "EQUALS") { t.equal = true; return false; }
        if (w.size() == 1 && letter_kind()) return letter(t, w[0]);
        static const struct { const char* name; Kind kind; } keywords[] = {
            {"LEVEL", Kind::Level}, {"FLAG", Kind::Flag}, {"EXEMPT", Kind::Exempt},
            {"REST", Kind::Rest}, {"USER", Kind::User}};
        for (auto& k : keywords) {
            std::string_view name(k.name);
            if (w.compare(0, name.size(), name) != 0) continue;
            kind_ = k.kind;
            flag_set_ = 1;
            std::string rest = w.substr(name.size());
            if (rest.empty()) return false;
            if (rest.size() == 1 && letter_kind()) return letter(t, rest[0]);
            break;
        }
        if (w.size() > 1 || !letter_kind())
            return make_error("ARS: unsupported keyword '" + w + "'", ErrorCode::Invalid);
        return false;
    }

    bool letter(Term& t, char upper) {
        t.kind = kind_;
        t.flag_set = flag_set_;
        t.value = static_cast<unsigned>(upper - 'A');
        return true;
    }

    Status shorthand() {
        ++i_;
        char c = i_ < s_.size() ? static_cast<char>(std::toupper(static_cast<unsigned char>(s_[i_]))) : 0;
        ++i_;
        switch (c) {
        case 'L': kind_ = Kind::Level; break;
        case 'F': kind_ = Kind::Flag; flag_set_ = 1; break;
        case 'X': kind_ = Kind::Exempt; break;
        case 'U': kind_ = Kind::User; break;
        default:
            return make_error("ARS: unsupported shorthand '$" + std::string(1, c) + "'", ErrorCode::Invalid);
        }
        return {};
    }

    std::string_view s_;
    size_t i_ = 0;
    Kind kind_ = Kind::Level;
    int flag_set_ = 1;
};

bool test(const Term& t, const User& u) {
    const uint32_t bit = t.value < 26 ? 1u << t.value : 0;   // only letters use it
    switch (t.kind) {
    case Kind::Level: return t.equal ? u.level == t.value : u.level >= t.value;
    case Kind::User: return t.equal ? u.number == t.value : u.number >= t.value;
    case Kind::Exempt: return u.exempt & bit;
    case Kind::Rest: return u.rest & bit;
    case Kind::Flag: {
        const uint32_t sets[] = {u.flags1, u.flags2, u.flags3, u.flags4};
        return sets[t.flag_set - 1] & bit;
    }
    case Kind::Group: break;
    }
    return false;
}

bool evaluate(const std::vector<Term>& terms, const User& u) {
    bool result = true;
    for (const Term& t : terms) {
        if ((result && t.or_) || (!result && !t.or_)) break;
        bool v = t.kind == Kind::Group ? evaluate(t.group, u) : test(t, u);
        result = t.not_ ? !v : v;
    }
    return result;
}

} // namespace

Result<bool> evaluate_ars(std::string_view ars, const User& user) {
    if (trim(ars).empty()) return true;
    auto terms = Parser(ars).terms(false);
    if (!terms) return terms.error();
    return evaluate(*terms, user);
}

} // namespace sbbs
