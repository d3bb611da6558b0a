// Recycle and shutdown semaphore files.
#include "server/semaphore_watch.h"
#include "server_test_support.h"

#include <catch.hpp>

#include <fstream>

using namespace sbbs;

namespace {

void touch(const std::string& path) { std::ofstream(path) << "x"; }

} // namespace

TEST_CASE("CFG-8 SMTP-9 a recycle file or a changed sbbs.ini newer than the start asks for a recycle") {
    test::TempDir dir;
    auto cfg = test::loopback_config(dir.path());
    cfg->paths.sbbs_ini = dir.path() + "sbbs.ini";
    touch(cfg->paths.sbbs_ini);
    touch(dir.path() + "recycle.mail");   // older than the watch: ignored
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    SemaphoreWatch watch(*cfg, "host.example");
    CHECK(watch.check() == SemaphoreEvent::None);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    touch(dir.path() + "recycle.host");
    CHECK(watch.check() == SemaphoreEvent::Recycle);
    watch.rearm(*cfg);
    CHECK(watch.check() == SemaphoreEvent::None);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    touch(cfg->paths.sbbs_ini);
    CHECK(watch.check() == SemaphoreEvent::Recycle);
}

TEST_CASE("CFG-94 NO_RECYCLE ignores recycle triggers but not shutdown") {
    test::TempDir dir;
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.options |= mail_opt::NO_RECYCLE;
    SemaphoreWatch watch(*cfg, "");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    touch(dir.path() + "recycle");
    CHECK(watch.check() == SemaphoreEvent::None);
    touch(dir.path() + "shutdown.mail");
    CHECK(watch.check() == SemaphoreEvent::Shutdown);
}
