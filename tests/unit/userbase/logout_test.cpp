// TabUserDirectory::record_logout (the original's logoutuserdat) on a copy
// of the sample install's user base.
#include "temp_install.h"

#include "userbase/tab_user_directory.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::userfield;

namespace {

const time_t kLogoutNow = 1795587819 + 7200;

std::unique_ptr<TabUserDirectory> open_logout_dir(const test::TempInstall& inst) {
    TabUserDirectoryOptions o;
    o.data_dir = inst.data();
    o.retry.max_attempts = 3;
    o.retry.sleep = nullptr;
    o.clock = [] { return kLogoutNow; };
    auto d = TabUserDirectory::open(std::move(o));
    REQUIRE(d.ok());
    return std::move(*d);
}

UserRecord logout_record(const test::TempInstall& inst, uint32_t n) {
    return UserRecord(inst.read("data/user/user.tab").substr((n - 1) * 1000, 1000));
}

void set_fields(const test::TempInstall& inst, uint32_t n, std::vector<FieldChange> c) {
    UserTabFile tab(inst.data() + "user/user.tab", RetryPolicy{});
    REQUIRE(tab.update(n, [&](const UserRecord&) -> Result<std::vector<FieldChange>> { return c; }).ok());
}

} // namespace

TEST_CASE("POP3-112 logout sets LASTON and adds the session's minutes to TIMEON and TTODAY") {
    test::TempInstall inst;
    set_fields(inst, 6, {set_number(TIMEON, 100), set_number(TTODAY, 7), set_number(TLAST, 1),
                         set_number(LOGONS, 12), set_time(RESET, kLogoutNow)});
    const std::string before = inst.read("data/user/user.tab");
    auto dir = open_logout_dir(inst);
    REQUIRE(dir->record_logout(6, kLogoutNow - 5 * 60 - 59, kLogoutNow).ok());
    UserRecord r = logout_record(inst, 6);
    CHECK(r.time(LASTON) == kLogoutNow);
    CHECK(r.number(TLAST) == 5);                      // whole minutes
    CHECK(r.number(TIMEON) == 105);
    CHECK(r.number(TTODAY) == 12);
    CHECK(r.number(LOGONS) == 12);                    // nothing else changes
    const std::string after = inst.read("data/user/user.tab");
    CHECK(after.size() == before.size());
    CHECK(after.substr(0, 5000) == before.substr(0, 5000));   // other records untouched
    CHECK(after.substr(6000) == before.substr(6000));
}

TEST_CASE("POP3-112 a clock that went backwards adds nothing; counters saturate") {
    test::TempInstall inst;
    set_fields(inst, 6, {set_number(TIMEON, 4294967290u), set_number(TTODAY, 3), set_time(RESET, kLogoutNow)});
    auto dir = open_logout_dir(inst);
    REQUIRE(dir->record_logout(6, kLogoutNow + 600, kLogoutNow).ok());
    CHECK(logout_record(inst, 6).number(TLAST) == 0);
    CHECK(logout_record(inst, 6).number(TIMEON) == 4294967290u);
    REQUIRE(dir->record_logout(6, kLogoutNow - 3600, kLogoutNow).ok());
    UserRecord r = logout_record(inst, 6);
    CHECK(r.number(TIMEON) == 4294967295u);
    CHECK(r.number(TTODAY) == 63);
}

TEST_CASE("POP3-112 USER-17 a logout on a new day starts today's time-on from zero") {
    test::TempInstall inst;
    set_fields(inst, 6, {set_number(TTODAY, 50), set_number(ETODAY, 4), set_number(TIMEON, 9),
                         set_time(RESET, kLogoutNow - 3 * 86400)});
    auto dir = open_logout_dir(inst);
    REQUIRE(dir->record_logout(6, kLogoutNow - 120, kLogoutNow).ok());
    UserRecord r = logout_record(inst, 6);
    CHECK(r.number(TTODAY) == 2);
    CHECK(r.number(ETODAY) == 0);
    CHECK(r.number(TIMEON) == 11);
    CHECK(r.time(RESET) == kLogoutNow);
}

TEST_CASE("POP3-112 logout of a user number past the end fails") {
    test::TempInstall inst;
    auto dir = open_logout_dir(inst);
    CHECK_FALSE(dir->record_logout(dir->last_user_number() + 1, kLogoutNow - 60, kLogoutNow).ok());
}
