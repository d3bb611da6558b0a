// Counting, banning and throttling of failed logins.
#include "state/login_attempts.h"

#include "log/duration_text.h"
#include "state/password_digest.h"
#include "util/strings.h"

#include <fstream>

namespace sbbs {

namespace {

constexpr std::string_view kUnspecified = "<unspecified>";
constexpr std::string_view kColumns = "ip, protocol, user, count, dupes, first_time, last_time";

LoginAttempt read_row(const SqlStatement& q) {
    LoginAttempt a;
    a.ip = q.column_text(0);
    a.protocol = q.column_text(1);
    a.user = q.column_text(2);
    a.count = static_cast<uint32_t>(q.column_int(3));
    a.dupes = static_cast<uint32_t>(q.column_int(4));
    a.first = q.column_int(5);
    a.last = q.column_int(6);
    return a;
}

// The record and the digest of its last password, inside a transaction.
Result<std::optional<std::pair<LoginAttempt, std::string>>> load(sqlite3* db, std::string_view ip) {
    auto q = SqlStatement::prepare(db, "SELECT " + std::string(kColumns) + ", password_digest FROM login_attempts WHERE ip=?1");
    if (!q) return q.error();
    q->bind(1, ip);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::pair<LoginAttempt, std::string>>();
    return std::optional(std::make_pair(read_row(*q), q->column_blob(7)));
}

Status store(sqlite3* db, const LoginAttempt& a, std::string_view digest) {
    auto q = SqlStatement::prepare(db,
        "INSERT OR REPLACE INTO login_attempts (ip, protocol, user, count, dupes, first_time, last_time, "
        "password_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!q) return q.error();
    q->bind(1, a.ip).bind(2, a.protocol).bind(3, a.user).bind(4, int64_t{a.count}).bind(5, int64_t{a.dupes});
    q->bind(6, a.first).bind(7, a.last).bind_blob(8, digest);
    return q->run();
}

} // namespace

std::string FailureVerdict::report_text() const {
    return "!" + std::to_string(failures) + " FAILED LOGIN ATTEMPTS in " + duration_words(attempt.last - attempt.first);
}

std::string FailureVerdict::filter_reason() const {
    return std::to_string(failures) + " FAILED LOGIN ATTEMPTS in " + duration_letters(attempt.last - attempt.first);
}

std::string TempBan::log_text() const {
    return "!TEMPORARY BAN (" + std::to_string(attempt.unique()) + " login attempts, last: " + attempt.user +
           ") - remaining: " + duration_words(remaining_s);
}

Result<FailureVerdict> LoginAttempts::record_failure(const LoginAttemptSettings& settings, std::string_view ip,
                                                     std::string_view protocol, std::optional<std::string_view> user,
                                                     std::optional<std::string_view> password) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto prev = load(tx->db(), ip);
    if (!prev) return prev.error();
    const std::string name(user.value_or(kUnspecified));
    // An absent password is kept as an empty one, as the original keeps its
    // cleared buffer: only a supplied password can repeat the last one.
    const std::string digest = password_digest(db_.salt(), password.value_or(""));
    LoginAttempt a;
    if (*prev) {
        a = (*prev)->first;
        if (a.user == name && password && (*prev)->second == digest) ++a.dupes;
    } else {
        a.ip = std::string(ip);
    }
    a.protocol = std::string(protocol);
    a.user = name;
    a.last = clock_();
    if (!*prev) a.first = a.last;
    ++a.count;
    if (auto s = store(tx->db(), a, digest); !s) return s.error();
    if (auto s = tx->commit(); !s) return s.error();

    FailureVerdict v;
    v.attempt = a;
    v.failures = a.unique();
    v.report = v.failures > 1;
    v.hack = settings.hack_threshold != 0 && v.failures >= settings.hack_threshold;
    v.filter = settings.filter_threshold != 0 && v.failures >= settings.filter_threshold;
    v.filter_duration_s = settings.filter_duration_s;
    v.reply_delay = failure_reply_delay(settings);
    return v;
}

Result<std::optional<LoginAttempt>> LoginAttempts::find(std::string_view ip) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto rec = load(tx->db(), ip);
    if (!rec) return rec.error();
    if (auto s = tx->commit(); !s) return s.error();
    if (!*rec) return std::optional<LoginAttempt>();
    return std::optional<LoginAttempt>((*rec)->first);
}

Result<std::optional<TempBan>> LoginAttempts::temp_ban(const LoginAttemptSettings& settings, std::string_view ip,
                                                       const NameListed& name_listed) {
    auto rec = find(ip);
    if (!rec) return rec.error();
    if (!*rec) return std::optional<TempBan>();
    const LoginAttempt& a = **rec;
    const int64_t now = clock_();
    const int64_t until = a.last + int64_t{settings.tempban_duration_s};
    const bool over = settings.tempban_threshold != 0 && a.unique() >= settings.tempban_threshold;
    // name.can bans at once (CFG-149), but only for the ban duration too.
    if (now >= until || !(over || (name_listed && name_listed(a.name_for_filter()))))
        return std::optional<TempBan>();
    return std::optional<TempBan>(TempBan{a, until - now});
}

Result<std::chrono::milliseconds> LoginAttempts::throttle(const LoginAttemptSettings& settings, std::string_view ip) {
    if (settings.throttle_ms == 0) return std::chrono::milliseconds(0);
    auto rec = find(ip);
    if (!rec) return rec.error();
    const uint32_t n = *rec ? (*rec)->unique() : 0;
    if (n <= 1) return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(int64_t{n} * settings.throttle_ms);
}

Result<std::vector<LoginAttempt>> LoginAttempts::all() {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "SELECT " + std::string(kColumns) + " FROM login_attempts ORDER BY last_time");
    if (!q) return q.error();
    std::vector<LoginAttempt> out;
    for (;;) {
        auto row = q->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(read_row(*q));
    }
    if (auto s = tx->commit(); !s) return s.error();
    return out;
}

Status LoginAttempts::clear(std::string_view ip) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "DELETE FROM login_attempts WHERE ip=?1");
    if (!q) return q.error();
    if (auto s = q->bind(1, ip).run(); !s) return s;
    return tx->commit();
}

Status LoginAttempts::clear_all() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    if (auto s = exec_sql(tx->db(), "DELETE FROM login_attempts"); !s) return s;
    return tx->commit();
}

Status LoginAttempts::clear_by_semaphore(std::string_view first_line) {
    const std::string_view ip = trim(first_line);
    return ip.empty() ? clear_all() : clear(ip);
}

} // namespace sbbs

namespace sbbs {

Status LoginAttempts::clear_by_semaphore_file(const std::string& path) {
    std::ifstream in(path);
    std::string first;
    if (in) std::getline(in, first);
    return clear_by_semaphore(first);
}

} // namespace sbbs
