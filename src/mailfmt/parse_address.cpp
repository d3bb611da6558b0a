// RFC 5322 section 3.4 mailbox lists (see parse.h): every mailbox of a From:
// field, so the submission check sees each address a reader would (SEC-3).
// One pass to cut the value into tokens, one over the tokens: linear.
#include "mailfmt/parse.h"

#include "util/strings.h"

namespace sbbs {

namespace {

enum class Tok { Word, Quoted, Comment, Special };

struct Token {
    Tok kind;
    size_t begin, end;   // the raw text in the value, quotes and parentheses included
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_special(char c) { return c == '<' || c == '>' || c == '@' || c == ',' || c == ':' || c == ';' || c == '.'; }
bool ends_word(char c) { return is_space(c) || is_special(c) || c == '(' || c == ')' || c == '"' || c == '[' || c == ']' || c == '\\'; }

// The end of a delimited run starting at `i` (a quote, comment or domain
// literal): npos when it never closes. Comments nest; a backslash quotes.
size_t delimited_end(std::string_view v, size_t i, char open, char close, bool nests) {
    int depth = 0;
    for (size_t k = i; k < v.size(); ++k) {
        char c = v[k];
        if (c == '\\') { ++k; continue; }
        if (k > i && c == close && --depth == 0) return k + 1;
        if (c == open && (k == i || nests)) ++depth;
    }
    return std::string_view::npos;
}

// Control characters (other than white space) belong nowhere in an address
// field: a NUL would end the value early for every C-string reader of it.
bool is_control(char c) { return ((unsigned char)c < 0x20 && !is_space(c)) || c == 0x7f; }

bool tokenize(std::string_view v, std::vector<Token>& out) {
    for (char c : v)
        if (is_control(c)) return false;
    for (size_t i = 0; i < v.size();) {
        char c = v[i];
        if (is_space(c)) { ++i; continue; }
        size_t end;
        Tok kind = Tok::Word;
        if (c == '(') { end = delimited_end(v, i, '(', ')', true); kind = Tok::Comment; }
        else if (c == '"') { end = delimited_end(v, i, '"', '"', false); kind = Tok::Quoted; }
        else if (c == '[') end = delimited_end(v, i, '[', ']', false);   // domain literal
        else if (is_special(c)) { end = i + 1; kind = Tok::Special; }
        else if (ends_word(c)) return false;                              // ')' ']' '\' out of place
        else for (end = i; end < v.size() && !ends_word(v[end]); ++end) {}
        if (end == std::string_view::npos) return false;
        out.push_back({kind, i, end});
        i = end;
    }
    return true;
}

class ListParser {
public:
    ListParser(std::string_view v, MailboxList& out) : v_(v), out_(out) {}

    void run() {
        if (!tokenize(v_, t_)) { out_.malformed = true; return; }
        bool in_group = false;
        size_t start = 0;
        for (size_t i = 0; i <= t_.size() && !out_.malformed; ++i) {
            if (i < t_.size() && is(i, '<')) {             // an angle-addr may hold ',' and ':' (obs-route)
                while (i < t_.size() && !is(i, '>')) ++i;
                if (i == t_.size()) { out_.malformed = true; return; }
                continue;
            }
            bool last = i == t_.size();
            if (!last && !is(i, ',') && !is(i, ';') && !is(i, ':')) continue;
            if (!last && is(i, ':')) {                      // group: display-name ":" ... ";"
                if (in_group || !display_name(start, i, false)) out_.malformed = true;
                in_group = true;
            } else {
                element(start, i);
                if (!last && is(i, ';')) {
                    if (!in_group) out_.malformed = true;
                    in_group = false;
                }
            }
            start = i + 1;
        }
    }

private:
    bool is(size_t i, char c) const { return t_[i].kind == Tok::Special && v_[t_[i].begin] == c; }
    std::string_view raw(size_t i) const { return v_.substr(t_[i].begin, t_[i].end - t_[i].begin); }

    // Tokens [a, b) form a display name: words, quoted strings, comments and
    // dots (obs-phrase), nothing else. "victim@bank.com <me@bbs>" or
    // "victim@bank.com: me@bbs;" name a second address a reader may show.
    bool phrase(size_t a, size_t b, bool may_be_empty) const {
        bool words = false;
        for (size_t i = a; i < b; ++i) {
            if (t_[i].kind == Tok::Special && !is(i, '.')) return false;
            if (t_[i].kind == Tok::Word || t_[i].kind == Tok::Quoted) words = true;
            if (t_[i].kind == Tok::Word && v_[t_[i].begin] == '[') return false;   // a domain literal
        }
        return words || may_be_empty;
    }

    // A display name that is an address itself ("me@bbs <me@bbs>", as some
    // mailers write) is one more mailbox a reader may show: it is listed, so
    // the check sees it. Anything else that is not a phrase is malformed.
    bool display_name(size_t a, size_t b, bool may_be_empty) {
        if (phrase(a, b, may_be_empty)) return true;
        Mailbox shown;
        if (!addr_spec(a, b, shown.address)) return false;
        shown.name = shown.address;
        out_.mailboxes.push_back(std::move(shown));
        return true;
    }

    // One mailbox of tokens [a, b): name-addr or addr-spec; nothing but
    // comments is an empty element (obs-mbox-list), skipped.
    void element(size_t a, size_t b) {
        size_t lt = b, first_comment = b;
        bool content = false;
        for (size_t i = a; i < b; ++i) {
            if (t_[i].kind == Tok::Comment) { if (first_comment == b) first_comment = i; continue; }
            content = true;
            if (lt == b && is(i, '<')) lt = i;
        }
        if (!content) return;
        Mailbox m;
        if (lt < b) {
            if (!display_name(a, lt, true)) { out_.malformed = true; return; }
            size_t gt = lt + 1;
            while (gt < b && !is(gt, '>')) ++gt;
            for (size_t i = gt + 1; i < b; ++i)
                if (t_[i].kind != Tok::Comment) { out_.malformed = true; return; }
            size_t from = lt + 1;
            for (size_t i = lt + 1; i < gt; ++i)             // obs-route "@a,@b:" is dropped
                if (is(i, ':')) from = i + 1;
            if (!addr_spec(from, gt, m.address)) { out_.malformed = true; return; }
            std::string name(trim(v_.substr(t_[a].begin, t_[lt].begin - t_[a].begin)));
            if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
            m.name = std::move(name);
        } else {
            if (!addr_spec(a, b, m.address)) { out_.malformed = true; return; }
            if (first_comment < b) {
                std::string_view c = raw(first_comment);
                m.name = std::string(trim(c.substr(1, c.size() - 2)));
            }
        }
        if (m.name.empty()) m.name = m.address;
        out_.mailboxes.push_back(std::move(m));
    }

    // local-part "@" domain from tokens [a, b), comments and blanks dropped.
    // Words must be joined by dots (dot-atom, obs-local-part, obs-domain).
    bool addr_spec(size_t a, size_t b, std::string& address) const {
        bool at = false, local = false, domain = false, after_word = false;
        for (size_t i = a; i < b; ++i) {
            const Token& k = t_[i];
            if (k.kind == Tok::Comment) continue;
            if (k.kind == Tok::Special) {
                char c = v_[k.begin];
                if (c == '@') {
                    if (at || !local) return false;
                    at = true;
                } else if (c != '.') {
                    return false;
                }
                after_word = false;
            } else {
                if (after_word || (at && k.kind == Tok::Quoted)) return false;
                (at ? domain : local) = true;
                after_word = true;
            }
            address += raw(i);
        }
        return at && local && domain;
    }

    std::string_view v_;
    MailboxList& out_;
    std::vector<Token> t_;
};

} // namespace

MailboxList parse_mailbox_list(std::string_view value) {
    MailboxList out;
    ListParser(value, out).run();
    return out;
}

} // namespace sbbs
