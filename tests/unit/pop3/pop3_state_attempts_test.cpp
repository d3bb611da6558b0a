// The POP3 session on the real failed-login table of the state module.
#include "pop3_fixture.h"
#include "pop3/state_login_attempts.h"
#include "unit/state/temp_db.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("POP3-42 POP3-43 POP3-44 failures are counted in the shared table and lead to a ban", "[pop3]") {
    test::TempDb tdb;
    LoginAttempts table(*tdb.db, [&] { return tdb.now; });
    test::Pop3Fixture f;
    f.cfg->mail.login_attempt.tempban_threshold = 3;
    std::vector<std::pair<FailureVerdict, std::string>> actions;
    pop3::StateLoginAttemptLog log(table, f.cfg, {}, [&](const FailureVerdict& v, const LoginAttemptLog::FailedLogin& a) {
        actions.push_back({v, a.user});
        return std::vector<std::string>{};
    });
    for (int i = 0; i < 3; ++i) {
        f.io.input.clear();
        f.io.send("USER Alice");
        f.io.send("PASS wrong" + std::to_string(i));
        Pop3Session s(f.cfg, f.users, f.store, f.log, log, false);
        s.run(f.io);
        tdb.now += 30;
    }
    auto rec = table.find("127.0.0.2");
    REQUIRE(rec.ok());
    REQUIRE(rec->has_value());
    CHECK((*rec)->protocol == "POP3");
    CHECK((*rec)->user == "Alice");
    CHECK((*rec)->count == 3);
    CHECK(actions.size() == 3);
    CHECK(f.log.any("[127.0.0.2] !3 FAILED LOGIN ATTEMPTS in 1 minute"));
    f.io.input.clear();
    f.io.send("QUIT");
    f.io.output.clear();
    Pop3Session banned(f.cfg, f.users, f.store, f.log, log, false);
    banned.run(f.io);
    CHECK(f.io.lines() == std::vector<std::string>{"-ERR Access denied."});
    CHECK(log.attempts("127.0.0.2") == 3);
    log.record_success("127.0.0.2");
    CHECK(log.attempts("127.0.0.2") == 0);
}
