#include "state/login_attempts.h"
#include "temp_db.h"

#include <catch.hpp>

#include <fstream>
#include <iterator>
#include <thread>

using namespace sbbs;
using namespace std::chrono_literals;
using sbbs::test::TempDb;

namespace {

const LoginAttemptSettings kDefaults{};
const auto kNoNames = [](std::string_view) { return false; };

FailureVerdict fail(LoginAttempts& la, const char* ip, const char* user, const char* pass,
                    const LoginAttemptSettings& s = kDefaults, const char* prot = "SMTP") {
    auto v = la.record_failure(s, ip, prot, std::string_view(user), std::string_view(pass));
    REQUIRE(v.ok());
    return *v;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("SMTP-77 consecutive repeats of the same name and password are duplicates", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    CHECK(fail(la, "192.0.2.7", "john", "a").failures == 1);
    CHECK(fail(la, "192.0.2.7", "john", "a").failures == 1);
    CHECK(fail(la, "192.0.2.7", "john", "b").failures == 2);
    CHECK(fail(la, "192.0.2.7", "mary", "b").failures == 3);
    // Not consecutive any more: counts again.
    auto v = fail(la, "192.0.2.7", "john", "a");
    CHECK(v.failures == 4);
    CHECK(v.attempt.count == 5);
    CHECK(v.attempt.dupes == 1);
    // Another IP has its own record.
    CHECK(fail(la, "192.0.2.8", "john", "a").failures == 1);
}

TEST_CASE("SMTP-77 a failure without a password or name is never a duplicate", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    auto a = la.record_failure(kDefaults, "192.0.2.7", "SMTP", std::nullopt, std::nullopt);
    auto b = la.record_failure(kDefaults, "192.0.2.7", "SMTP", std::nullopt, std::nullopt);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(b->failures == 2);
    CHECK(b->attempt.user == "<unspecified>");
    // An absent password is kept as empty, so an empty one repeats it.
    auto c = la.record_failure(kDefaults, "192.0.2.7", "SMTP", std::string_view("<unspecified>"), std::string_view(""));
    REQUIRE(c.ok());
    CHECK(c->failures == 2);
}

TEST_CASE("SMTP-77 POP3-43 a second failure is reported with the time since the first", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    auto first = fail(la, "192.0.2.7", "john", "a");
    CHECK_FALSE(first.report);
    t.now += 90;
    auto second = fail(la, "192.0.2.7", "john", "b");
    CHECK(second.report);
    CHECK(second.report_text() == "!2 FAILED LOGIN ATTEMPTS in 1.5 minutes");
}

TEST_CASE("SMTP-77 POP3-43 the hack threshold marks a hack.log entry", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    LoginAttemptSettings s;
    s.hack_threshold = 3;
    CHECK_FALSE(fail(la, "192.0.2.7", "john", "1", s).hack);
    CHECK_FALSE(fail(la, "192.0.2.7", "john", "2", s).hack);
    auto v = fail(la, "192.0.2.7", "john", "3", s, "POP3");
    CHECK(v.hack);
    CHECK(v.hack_reason() == "POP3 LOGIN");
    CHECK(fail(la, "192.0.2.7", "john", "4", s).hack);
    s.hack_threshold = 0;
    CHECK_FALSE(fail(la, "192.0.2.7", "john", "5", s).hack);
}

TEST_CASE("SMTP-77 CFG-143 the filter threshold asks for an ip.can line with reason and expiry", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    LoginAttemptSettings s;  // filter_threshold 0: off
    for (int i = 0; i < 30; ++i) CHECK_FALSE(fail(la, "192.0.2.7", "john", std::to_string(i).c_str(), s).filter);
    s.filter_threshold = 32;
    s.filter_duration_s = 3600;
    CHECK_FALSE(fail(la, "192.0.2.7", "john", "x", s).filter);
    t.now += 120;
    auto v = fail(la, "192.0.2.7", "john", "y", s);
    CHECK(v.filter);
    CHECK(v.filter_duration_s == 3600);
    CHECK(v.filter_reason() == "32 FAILED LOGIN ATTEMPTS in 2m");
}

TEST_CASE("POP3-45 SMTP-77 the failure reply waits LoginAttemptDelay", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    LoginAttemptSettings s;
    CHECK(fail(la, "192.0.2.7", "john", "a", s).reply_delay == 5000ms);
    s.delay_ms = 250;
    CHECK(fail(la, "192.0.2.7", "john", "b", s).reply_delay == 250ms);
    CHECK(failure_reply_delay(s) == 250ms);
}

TEST_CASE("POP3-42 each failure keeps protocol and name; the password only as a digest", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    fail(la, "192.0.2.7", "john@bbs.example", "Tr0ub4dor&3-unique", kDefaults, "POP3S");
    auto rec = la.find("192.0.2.7");
    REQUIRE(rec.ok());
    REQUIRE(rec->has_value());
    CHECK((*rec)->protocol == "POP3S");
    CHECK((*rec)->user == "john@bbs.example");
    CHECK((*rec)->name_for_filter() == "john");
    const std::string files = slurp(t.path()) + slurp(t.path() + "-wal");
    CHECK(files.find("john@bbs.example") != std::string::npos);  // the search below is meaningful
    CHECK(files.find("Tr0ub4dor&3-unique") == std::string::npos);
}

TEST_CASE("SMTP-26 POP3-16 POP3-44 a temp ban after TempBanThreshold unique failures, for TempBanDuration", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    LoginAttemptSettings s;  // threshold 20, 10 minutes
    for (int i = 0; i < 19; ++i) fail(la, "192.0.2.7", "john", std::to_string(i).c_str(), s);
    for (int i = 0; i < 5; ++i) fail(la, "192.0.2.7", "john", "18", s);  // duplicates do not count
    auto none = la.temp_ban(s, "192.0.2.7", kNoNames);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    fail(la, "192.0.2.7", "john", "last", s);
    t.now += 60;
    auto ban = la.temp_ban(s, "192.0.2.7", kNoNames);
    REQUIRE(ban.ok());
    REQUIRE(ban->has_value());
    CHECK((*ban)->remaining_s == 540);
    CHECK((*ban)->log_text() == "!TEMPORARY BAN (20 login attempts, last: john) - remaining: 9 minutes");
    t.now += 540;  // the duration counts from the last failure
    auto over = la.temp_ban(s, "192.0.2.7", kNoNames);
    REQUIRE(over.ok());
    CHECK_FALSE(over->has_value());
    auto other = la.temp_ban(s, "192.0.2.99", kNoNames);
    REQUIRE(other.ok());
    CHECK_FALSE(other->has_value());
}

TEST_CASE("SMTP-26 POP3-44 CFG-149 a name listed in name.can bans at once", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    LoginAttemptSettings s;
    s.tempban_threshold = 0;  // count bans off; name.can still applies
    std::string asked;
    auto name_can = [&asked](std::string_view n) { asked = std::string(n); return n == "sysop"; };
    fail(la, "192.0.2.7", "sysop@bbs.example", "x", s);
    auto ban = la.temp_ban(s, "192.0.2.7", name_can);
    REQUIRE(ban.ok());
    REQUIRE(ban->has_value());
    CHECK(asked == "sysop");
    CHECK((*ban)->log_text() == "!TEMPORARY BAN (1 login attempts, last: sysop@bbs.example) - remaining: 10 minutes");
    fail(la, "192.0.2.7", "john", "y", s);  // the LAST name decides
    auto gone = la.temp_ban(s, "192.0.2.7", name_can);
    REQUIRE(gone.ok());
    CHECK_FALSE(gone->has_value());
    fail(la, "192.0.2.7", "sysop", "z", s);
    t.now += 600;
    auto expired = la.temp_ban(s, "192.0.2.7", name_can);
    REQUIRE(expired.ok());
    CHECK_FALSE(expired->has_value());
}

TEST_CASE("SMTP-33 POP3-17 the greeting waits failures x LoginAttemptThrottle once over one", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    LoginAttemptSettings s;  // 1000 ms
    auto none = la.throttle(s, "192.0.2.7");
    REQUIRE(none.ok());
    CHECK(*none == 0ms);
    fail(la, "192.0.2.7", "john", "a", s);
    CHECK(*la.throttle(s, "192.0.2.7") == 0ms);
    fail(la, "192.0.2.7", "john", "a", s);  // duplicate: still one
    CHECK(*la.throttle(s, "192.0.2.7") == 0ms);
    fail(la, "192.0.2.7", "john", "b", s);
    fail(la, "192.0.2.7", "john", "c", s);
    CHECK(*la.throttle(s, "192.0.2.7") == 3000ms);
    s.throttle_ms = 0;
    CHECK(*la.throttle(s, "192.0.2.7") == 0ms);
}

TEST_CASE("SMTP-76 POP3-41 a successful login forgets the IP's failures", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    fail(la, "192.0.2.7", "john", "a");
    fail(la, "192.0.2.8", "john", "a");
    REQUIRE(la.succeeded("192.0.2.7").ok());
    CHECK_FALSE(la.find("192.0.2.7")->has_value());
    CHECK(la.find("192.0.2.8")->has_value());
    CHECK(fail(la, "192.0.2.7", "john", "b").failures == 1);
}

TEST_CASE("SMTP-78 POP3-46 the clear semaphore forgets one IP or everyone", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    fail(la, "192.0.2.7", "john", "a");
    fail(la, "192.0.2.8", "john", "a");
    fail(la, "2001:db8::1", "john", "a");
    REQUIRE(la.clear_by_semaphore(" 192.0.2.8\r\n").ok());
    auto left = la.all();
    REQUIRE(left.ok());
    CHECK(left->size() == 2);
    CHECK_FALSE(la.find("192.0.2.8")->has_value());
    REQUIRE(la.clear_by_semaphore("").ok());
    CHECK(la.all()->empty());
}

TEST_CASE("SMTP-78 POP3-46 the semaphore file's first line names the IP", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    fail(la, "192.0.2.7", "john", "a");
    fail(la, "192.0.2.8", "john", "a");
    const std::string sem = (t.dir / "clear.mail").string();
    std::ofstream(sem) << "192.0.2.7\nignored second line\n";
    REQUIRE(la.clear_by_semaphore_file(sem).ok());
    CHECK_FALSE(la.find("192.0.2.7")->has_value());
    CHECK(la.find("192.0.2.8")->has_value());
    std::ofstream(sem, std::ios::trunc).flush();
    REQUIRE(la.clear_by_semaphore_file(sem).ok());
    CHECK(la.all()->empty());
}

TEST_CASE("SMTP-78 POP3-42 one table for every protocol, surviving a restart", "[state]") {
    TempDb t;
    {
        LoginAttempts pop3(*t.db, t.clock());
        fail(pop3, "192.0.2.7", "john", "a", kDefaults, "POP3");
    }
    t.reopen();
    LoginAttempts smtp(*t.db, t.clock());
    auto v = fail(smtp, "192.0.2.7", "john", "b", kDefaults, "SMTP");
    CHECK(v.failures == 2);
    CHECK(v.attempt.protocol == "SMTP");
}

TEST_CASE("SMTP-4 with default settings: hack.log at 10, temp ban at 20", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    FailureVerdict v;
    for (int i = 1; i <= 10; ++i) v = fail(la, "192.0.2.7", "john", std::to_string(i).c_str());
    CHECK(v.hack);
    CHECK_FALSE(v.filter);
    CHECK_FALSE(la.temp_ban(kDefaults, "192.0.2.7", kNoNames)->has_value());
    for (int i = 11; i <= 20; ++i) v = fail(la, "192.0.2.7", "john", std::to_string(i).c_str());
    auto ban = la.temp_ban(kDefaults, "192.0.2.7", kNoNames);
    REQUIRE(ban->has_value());
    CHECK((*ban)->remaining_s == 600);
}

TEST_CASE("failures from concurrent sessions are all counted", "[state]") {
    TempDb t;
    LoginAttempts la(*t.db, t.clock());
    std::vector<std::thread> threads;
    for (int th = 0; th < 4; ++th)
        threads.emplace_back([&la, th] {
            for (int i = 0; i < 25; ++i) {
                const std::string pw = std::to_string(th) + "-" + std::to_string(i);
                auto r = la.record_failure(kDefaults, "192.0.2.7", "SMTP", std::string_view("u" + std::to_string(th)),
                                           std::string_view(pw));
                if (!r) FAIL(r.error().message);
            }
        });
    for (auto& th : threads) th.join();
    auto rec = la.find("192.0.2.7");
    REQUIRE(rec.ok());
    REQUIRE(rec->has_value());
    CHECK((*rec)->count == 100);
    CHECK((*rec)->unique() == 100);
}
