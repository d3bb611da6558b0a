// Alias look-up over name.dat bytes; the folding makes "bob.forward",
// "BOB_FORWARD" and "bob-forward@host" all name "Bob Forward".
#include "userbase/name_index.h"

#include "userbase/cp437.h"

#include <cctype>

namespace sbbs {

std::string fold_user_name(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '@') break;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) out += c;
        else if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string fold_user_name_8bit(std::string_view s) {
    std::string out;
    for (char c : s) {
        unsigned char b = static_cast<unsigned char>(c);
        if (c == '@') break;
        if (b >= 0x80 || std::isdigit(b) || std::isalpha(b)) out += cp437_lower(c);
    }
    return out;
}

std::string NameIndex::alias(uint32_t number) const {
    if (number == 0 || number > count()) return {};
    std::string_view rec(bytes_.data() + (number - 1) * kNameRecordLen, kNameAliasLen);
    size_t end = rec.find_first_of(std::string_view("\x03\0", 2));
    return std::string(rec.substr(0, end));
}

uint32_t NameIndex::find(std::string_view query) const {
    if (query.empty()) return 0;
    const std::string want = fold_user_name(query);
    for (uint32_t n = 1; n <= count(); ++n) {
        std::string a = alias(n);
        if (!a.empty() && fold_user_name(a) == want) return n;
    }
    return 0;
}

uint32_t NameIndex::find_8bit(std::string_view query) const {
    const std::string want = fold_user_name_8bit(query);
    if (want.empty()) return 0;
    for (uint32_t n = 1; n <= count(); ++n) {
        std::string a = alias(n);
        if (!a.empty() && fold_user_name_8bit(a) == want) return n;
    }
    return 0;
}

} // namespace sbbs
