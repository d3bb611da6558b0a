// name.dat, the alias index: one 27-byte record per user (USER-18, USER-19).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sbbs {

constexpr size_t kNameRecordLen = 27;   // 25 alias bytes + CR LF
constexpr size_t kNameAliasLen = 25;

// USER-19 folding: ASCII letters and digits only, lower case, up to the first '@'.
std::string fold_user_name(std::string_view s);

// USER-10: the same, but 8-bit (CP437) bytes count, lower-cased by CP437's
// pairs: "Jörg" and "Jürg" both fold to "jrg" above, here they differ.
std::string fold_user_name_8bit(std::string_view s);

class NameIndex {
public:
    explicit NameIndex(std::string bytes) : bytes_(std::move(bytes)) {}

    uint32_t count() const { return static_cast<uint32_t>(bytes_.size() / kNameRecordLen); }
    // The alias in slot `number` (1-based); empty for a deleted user or a
    // number beyond the end.
    std::string alias(uint32_t number) const;
    bool has_slot(uint32_t number) const { return !alias(number).empty(); }
    // First non-empty slot whose alias matches `query` (USER-19); 0 = none.
    uint32_t find(std::string_view query) const;
    // First non-empty slot whose alias matches `query` by fold_user_name_8bit; 0 = none.
    uint32_t find_8bit(std::string_view query) const;

private:
    std::string bytes_;
};

} // namespace sbbs
