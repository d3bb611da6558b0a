// MaxClients accounting and the over-limit replies.
#include "server/client_limit.h"

#include <catch.hpp>

#include <thread>
#include <vector>

using namespace sbbs;

TEST_CASE("CFG-58 MaxClients: slots up to the limit, then refusal; a freed slot is reusable") {
    SessionCounters counters;
    ClientLimit limit(counters);
    auto a = limit.try_acquire(2);
    auto b = limit.try_acquire(2);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(counters.active == 2);
    CHECK_FALSE(limit.try_acquire(2));
    CHECK(limit.refused() == 1);
    a.reset();
    CHECK(counters.active == 1);
    CHECK(limit.try_acquire(2) != nullptr);
    CHECK(counters.served == 3);
}

TEST_CASE("SMTP-14 MaxClients counts SMTP and POP3 sessions together, even under contention") {
    SessionCounters counters;
    ClientLimit limit(counters);
    std::vector<std::unique_ptr<ClientLimit::Slot>> held(64);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = t; i < 64; i += 4) held[static_cast<size_t>(i)] = limit.try_acquire(10);
        });
    for (auto& th : threads) th.join();
    size_t granted = 0;
    for (auto& h : held) granted += h != nullptr;
    CHECK(granted == 10);
    CHECK(counters.active == 10);
    CHECK(limit.refused() == 54);
}

TEST_CASE("SMTP-8 POP3-4 MaxClients 0 means the node count, but at least 10") {
    Config c;
    c.mail.max_clients = 0;
    c.sys.node_dirs = {"/a/", "/b/"};
    CHECK(effective_max_clients(c) == 10);
    c.sys.node_dirs.assign(12, "/n/");
    CHECK(effective_max_clients(c) == 12);
    c.mail.max_clients = 3;
    CHECK(effective_max_clients(c) == 3);
}

TEST_CASE("SMTP-18 POP3-9 over-limit reply and log line") {
    CHECK(over_limit_reply(ListenerKind::Smtp) == "421 System Error: Maximum active clients reached, try again later\r\n");
    CHECK(over_limit_reply(ListenerKind::SubmissionTls) == over_limit_reply(ListenerKind::Submission));
    CHECK(over_limit_reply(ListenerKind::Pop3) == "-ERR System Error: Maximum active clients reached, try again later\r\n");
    CHECK(over_limit_reply(ListenerKind::Pop3Tls) == over_limit_reply(ListenerKind::Pop3));
    CHECK(over_limit_log(20, 3) == "!MAXIMUM CLIENTS (20) reached, access denied (3 total)");
}
