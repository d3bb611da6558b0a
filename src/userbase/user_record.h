// One 1000-byte user.tab record: field access, decoding into a User, and
// in-place field updates that keep every other byte (USER-7..17).
#pragma once

#include "userbase/user.h"
#include "userbase/user_fields.h"
#include "util/result.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

constexpr size_t kUserRecordLen = 1000;   // 999 data bytes + LF (USER-7)
constexpr size_t kUserDataLen = kUserRecordLen - 1;

struct FieldChange {
    userfield::Field field;
    std::string value;                     // already encoded
};

class UserRecord {
public:
    explicit UserRecord(std::string raw);

    const std::string& raw() const { return raw_; }
    // The field's bytes as stored (empty when the record has fewer fields).
    std::string_view field(userfield::Field f) const { return field_at(static_cast<size_t>(f)); }
    std::string_view field_at(size_t index) const;
    size_t field_count() const { return fields_.size(); }

    // Typed readers (USER-12..14).
    std::string text(userfield::Field f) const;    // truncated to USER-11 maximum
    uint64_t number(userfield::Field f) const;     // strtoul base 0
    uint32_t hex(userfield::Field f) const;
    uint32_t letters(userfield::Field f) const;
    time_t time(userfield::Field f) const;
    uint32_t level() const;                        // plain decimal

    // The record as a User; daily counters read as 0 when RESET is not
    // `now`'s local date (USER-17).
    User to_user(uint32_t number, time_t now) const;
    bool daily_reset_due(time_t now) const;

    // The full 1000-byte record with `changes` applied and every other byte
    // kept (USER-16); fails on TAB/CR/LF in a value or when the data would
    // not fit in 999 bytes (USER-15).
    Result<std::string> with(const std::vector<FieldChange>& changes) const;

private:
    std::string raw_;
    std::vector<std::string_view> fields_;
};

// Value encoders for FieldChange (USER-12, USER-13).
FieldChange set_text(userfield::Field f, std::string_view v);
FieldChange set_number(userfield::Field f, uint64_t v);
FieldChange set_hex(userfield::Field f, uint32_t v);
FieldChange set_letters(userfield::Field f, uint32_t bits);
FieldChange set_time(userfield::Field f, time_t t);

} // namespace sbbs
