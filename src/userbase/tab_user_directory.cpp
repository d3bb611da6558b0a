// TabUserDirectory: look-ups over name.dat and user.tab, and the few
// single-field updates the mail server makes (USER-31, USER-42..44, the
// POP3 logout of POP3-112).
#include "userbase/tab_user_directory.h"

#include "config/settings.h"
#include "userbase/field_values.h"
#include "userbase/name_index.h"
#include "util/strings.h"

#include <algorithm>
#include <ctime>

namespace sbbs {

using namespace userfield;

TabUserDirectory::TabUserDirectory(TabUserDirectoryOptions options)
    : opt_(std::move(options)), user_dir_(opt_.data_dir + "user/"),
      tab_(user_dir_ + "user.tab", opt_.retry) {
    if (!opt_.node_dab.empty()) nodes_.emplace(opt_.node_dab, opt_.nodes, opt_.retry);
}

Result<std::unique_ptr<TabUserDirectory>> TabUserDirectory::open(TabUserDirectoryOptions options) {
    const std::string dir = options.data_dir + "user/";
    if (!platform::file_exists(dir + "user.tab")) {
        if (platform::file_exists(dir + "user.dat"))
            return make_error(dir + "user.tab is missing but " + dir +
                                  "user.dat exists: run the Synchronet v3.20 upgrade "
                                  "(upgrade_to_v320) to convert the user base",
                              ErrorCode::NotFound);
        return make_error(dir + "user.tab: user base not found", ErrorCode::NotFound);
    }
    auto probe = platform::File::open(dir + "user.tab", platform::OpenMode::Read);
    if (!probe) return probe.error();
    return std::unique_ptr<TabUserDirectory>(new TabUserDirectory(std::move(options)));
}

Result<std::unique_ptr<TabUserDirectory>> TabUserDirectory::open(const Config& cfg) {
    TabUserDirectoryOptions o;
    o.data_dir = cfg.paths.data;
    o.node_dab = cfg.paths.ctrl + "node.dab";
    o.nodes = static_cast<unsigned>(cfg.sys.node_dirs.size());
    return open(std::move(o));
}

time_t TabUserDirectory::now() const { return opt_.clock ? opt_.clock() : std::time(nullptr); }

Result<std::string> TabUserDirectory::read_name_dat() const {
    // USER-51: whole-file shared lock, up to 100 attempts.
    auto f = open_locked(user_dir_ + "name.dat", platform::OpenMode::Read,
                         platform::LockKind::Shared, 100, opt_.retry);
    if (!f) return f.error();
    return f->read_all();
}

uint32_t TabUserDirectory::last_user_number() {
    auto n = tab_.last_user();
    return n ? *n : 0;
}

Result<User> TabUserDirectory::get(uint32_t number) {
    auto rec = tab_.read(number);
    if (!rec) return rec.error();
    return rec->to_user(number, now());
}

uint32_t TabUserDirectory::find_by_alias(std::string_view name) {
    auto bytes = read_name_dat();
    if (!bytes) return 0;
    return NameIndex(std::move(*bytes)).find(name);
}

uint32_t TabUserDirectory::find_by_alias_8bit(std::string_view name) {
    auto bytes = read_name_dat();
    if (!bytes) return 0;
    return NameIndex(std::move(*bytes)).find_8bit(name);
}

bool TabUserDirectory::available() {
    return platform::file_exists(user_dir_ + "user.tab") && platform::file_exists(user_dir_ + "name.dat");
}

bool TabUserDirectory::has_name_slot(uint32_t number) {
    auto bytes = read_name_dat();
    if (!bytes) return false;
    return NameIndex(std::move(*bytes)).has_slot(number);
}

uint32_t TabUserDirectory::scan_usable(Field f, std::string_view value) {
    if (value.empty()) return 0;
    auto all = tab_.read_all();
    if (!all) return 0;
    for (size_t i = 0; i < all->size(); ++i) {
        const UserRecord& r = (*all)[i];
        uint32_t misc = r.hex(MISC);
        if (misc & (User::MISC_DELETED | User::MISC_INACTIVE)) continue;
        if (iequals(r.text(f), value)) return static_cast<uint32_t>(i + 1);
    }
    return 0;
}

uint32_t TabUserDirectory::find_by_real_name(std::string_view name) { return scan_usable(NAME, name); }
uint32_t TabUserDirectory::find_by_netmail(std::string_view a) { return scan_usable(NETMAIL, a); }
uint32_t TabUserDirectory::find_by_ip(std::string_view ip) { return scan_usable(IPADDR, ip); }

void TabUserDirectory::after_write(uint32_t number) {
    // USER-45: best effort; the BBS re-reads the record on its next load anyway.
    if (nodes_) (void)nodes_->notify_user_updated(number);
}

Status TabUserDirectory::record_login(uint32_t number, const LoginRecord& login) {
    Status s = tab_.update(number, [&](const UserRecord&) -> Result<std::vector<FieldChange>> {
        std::vector<FieldChange> c{set_text(IPADDR, login.ip),
                                   set_text(HOST, login.host.empty() ? "<no name>" : login.host),
                                   set_time(LOGONTIME, login.when ? login.when : now())};
        if (!login.protocol.empty()) c.push_back(set_text(CONNECTION, login.protocol));
        return c;
    });
    if (s) after_write(number);
    return s;
}

namespace {

// A new day: today's counters back to 0 and the reset time noted (USER-17).
bool reset_daily(const UserRecord& r, time_t t, std::vector<FieldChange>& c) {
    if (!r.daily_reset_due(t)) return false;
    for (Field f : {LTODAY, ETODAY, PTODAY, TTODAY, TEXTRA, DTODAY, BTODAY}) c.push_back(set_number(f, 0));
    c.push_back(set_time(RESET, t));
    return true;
}

// `before` + `add`, stopping at the field's maximum as the original does.
uint64_t counter_plus(Field f, uint64_t before, uint64_t add) {
    const uint64_t max = counter_max(f);
    before = std::min(before, max);
    return add > max - before ? max : before + add;
}

} // namespace

Status TabUserDirectory::bump(uint32_t number, std::vector<Field> counters) {
    const time_t t = now();
    Status s = tab_.update(number, [&](const UserRecord& r) -> Result<std::vector<FieldChange>> {
        std::vector<FieldChange> c;
        const bool reset = reset_daily(r, t, c);
        for (Field f : counters)
            c.push_back(set_number(f, counter_plus(f, (reset && is_daily(f)) ? 0 : parse_decimal(r.field(f)), 1)));
        return c;
    });
    if (s) after_write(number);
    return s;
}

Status TabUserDirectory::count_email_sent(uint32_t number, bool to_sysop) {
    return bump(number, {to_sysop ? FBACKS : EMAILS, ETODAY});
}

Status TabUserDirectory::count_post(uint32_t number) { return bump(number, {POSTS, PTODAY}); }

Status TabUserDirectory::record_logout(uint32_t number, time_t login, time_t logout) {
    const uint64_t minutes = logout > login ? uint64_t(logout - login) / 60 : 0;
    Status s = tab_.update(number, [&](const UserRecord& r) -> Result<std::vector<FieldChange>> {
        std::vector<FieldChange> c;
        const bool reset = reset_daily(r, logout, c);      // USER-17: today's counters start at 0
        c.push_back(set_time(LASTON, logout));
        c.push_back(set_number(TLAST, counter_plus(TLAST, 0, minutes)));
        c.push_back(set_number(TIMEON, counter_plus(TIMEON, parse_decimal(r.field(TIMEON)), minutes)));
        c.push_back(set_number(TTODAY, counter_plus(TTODAY, reset ? 0 : parse_decimal(r.field(TTODAY)), minutes)));
        return c;
    });
    if (s) after_write(number);
    return s;
}

std::vector<std::string> TabUserDirectory::consistency_warnings() {
    std::vector<std::string> w;
    auto all = tab_.read_all();
    auto bytes = read_name_dat();
    if (!all || !bytes) {
        w.push_back((all ? bytes.error() : all.error()).message);
        return w;
    }
    NameIndex names(std::move(*bytes));
    if (names.count() != all->size())
        w.push_back(user_dir_ + "name.dat has " + std::to_string(names.count()) +
                    " records but user.tab has " + std::to_string(all->size()));
    for (size_t i = 0; i < all->size(); ++i) {
        const UserRecord& r = (*all)[i];
        if (r.hex(MISC) & User::MISC_DELETED) continue;
        const uint32_t n = static_cast<uint32_t>(i + 1);
        if (r.text(ALIAS) != names.alias(n))
            w.push_back("user #" + std::to_string(n) + " alias \"" + r.text(ALIAS) +
                        "\" differs from name.dat \"" + names.alias(n) + "\"");
    }
    return w;
}

} // namespace sbbs
