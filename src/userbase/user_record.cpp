// user.tab record codec. Fields are views into the raw bytes, so an update
// can rebuild the record from the original bytes of every unchanged field.
#include "userbase/user_record.h"

#include "userbase/field_values.h"
#include "userbase/tab_time.h"

#include <algorithm>

namespace sbbs {

using namespace userfield;

UserRecord::UserRecord(std::string raw) : raw_(std::move(raw)) {
    std::string_view data(raw_);
    data = data.substr(0, std::min(data.size(), kUserDataLen));
    // A NUL ends the data, as it ends the original's C string.
    data = data.substr(0, std::min(data.size(), data.find('\0')));
    size_t start = 0;
    for (;;) {
        size_t tab = data.find('\t', start);
        if (tab == std::string_view::npos) {
            fields_.push_back(data.substr(start));
            break;
        }
        fields_.push_back(data.substr(start, tab - start));
        start = tab + 1;
    }
}

std::string_view UserRecord::field_at(size_t index) const {
    return index < fields_.size() ? fields_[index] : std::string_view{};
}

std::string UserRecord::text(Field f) const {
    std::string_view v = field(f);
    size_t max = max_length(f);
    if (max && v.size() > max) v = v.substr(0, max);
    return std::string(v);
}

uint64_t UserRecord::number(Field f) const { return parse_number(field(f)); }
uint32_t UserRecord::hex(Field f) const { return parse_hex32(field(f)); }
uint32_t UserRecord::letters(Field f) const { return parse_letters(field(f)); }
time_t UserRecord::time(Field f) const { return parse_time(field(f)); }

uint32_t UserRecord::level() const {
    std::string_view v = field(LEVEL);
    size_t i = 0;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i < v.size() && v[i] == '-') return 0;   // a negative level is no level
    return static_cast<uint32_t>(std::min<uint64_t>(parse_decimal(v.substr(i)), 255));
}

bool UserRecord::daily_reset_due(time_t now) const {
    bool any = false;
    for (int f = 0; f < COUNT; ++f)
        if (is_daily(static_cast<Field>(f)) && number(static_cast<Field>(f)) != 0) any = true;
    return any && !same_local_date(now, time(RESET));
}

User UserRecord::to_user(uint32_t num, time_t now) const {
    User u;
    u.number = num;
    u.alias = text(ALIAS);
    u.name = text(NAME);
    u.handle = text(HANDLE);
    u.note = text(NOTE);
    u.ipaddr = text(IPADDR);
    u.host = text(HOST);
    u.netmail = text(NETMAIL);
    u.comment = text(COMMENT);
    u.connection = text(CONNECTION);
    u.password = text(PASS);
    u.misc = hex(MISC);
    u.qwk = hex(QWK);
    u.chat = hex(CHAT);
    u.mail = hex(MAIL);
    u.level = level();
    u.flags1 = letters(FLAGS1);
    u.flags2 = letters(FLAGS2);
    u.flags3 = letters(FLAGS3);
    u.flags4 = letters(FLAGS4);
    u.exempt = letters(EXEMPT);
    u.rest = letters(REST);
    u.logons = static_cast<uint32_t>(number(LOGONS));
    u.posts = static_cast<uint32_t>(number(POSTS));
    u.emails = static_cast<uint32_t>(number(EMAILS));
    u.fbacks = static_cast<uint32_t>(number(FBACKS));
    bool reset = daily_reset_due(now);
    u.etoday = reset ? 0 : static_cast<uint32_t>(number(ETODAY));
    u.ptoday = reset ? 0 : static_cast<uint32_t>(number(PTODAY));
    u.logontime = time(LOGONTIME);
    u.laston = time(LASTON);
    u.firston = time(FIRSTON);
    u.pwmod = time(PWMOD);
    u.expire = time(EXPIRE);
    u.deldate = time(DELDATE);
    return u;
}

Result<std::string> UserRecord::with(const std::vector<FieldChange>& changes) const {
    std::vector<std::string_view> out = fields_;
    for (const FieldChange& c : changes) {
        if (c.value.find_first_of("\t\r\n") != std::string::npos)
            return make_error("user.tab field " + std::to_string(int(c.field)) +
                                  ": value contains TAB, CR or LF", ErrorCode::Invalid);
        size_t i = static_cast<size_t>(c.field);
        if (out.size() <= i) out.resize(i + 1);
        out[i] = c.value;
    }
    std::string data;
    for (size_t i = 0; i < out.size(); ++i) {
        if (i) data += '\t';
        data.append(out[i]);
    }
    while (!data.empty() && data.back() == '\t') data.pop_back();
    if (data.size() + 1 > kUserDataLen)
        return make_error("user.tab record would exceed " + std::to_string(kUserDataLen) +
                              " bytes", ErrorCode::Invalid);
    data.resize(kUserDataLen, '\t');
    data += '\n';
    return data;
}

FieldChange set_text(Field f, std::string_view v) { return {f, std::string(v)}; }
FieldChange set_number(Field f, uint64_t v) { return {f, std::to_string(v)}; }
FieldChange set_hex(Field f, uint32_t v) { return {f, format_hex32(v)}; }
FieldChange set_letters(Field f, uint32_t bits) { return {f, format_letters(bits)}; }
FieldChange set_time(Field f, time_t t) { return {f, format_time(t)}; }

} // namespace sbbs
