// Listeners (IPv4/IPv6, bind retries) and the single accept thread.
#include "net/acceptor.h"
#include "net/listener.h"
#include "net/signals.h"
#include "net_test_support.h"

#include <catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <thread>

using namespace sbbs;

TEST_CASE("listener: binds an IPv4 loopback port and reports it") {
    auto l = open_listener("127.0.0.1", 0);
    REQUIRE(l.ok());
    CHECK(l->local().ip == "127.0.0.1");
    CHECK(l->local().port != 0);
}

TEST_CASE("listener: binds IPv6 loopback when the host has it") {
    auto l = open_listener("::1", 0);
    if (!l.ok()) SUCCEED("no IPv6 on this host: " + l.error().message);
    else CHECK(l->local().ip == "::1");
    auto bracketed = open_listener("[::1]", 0);
    CHECK(bracketed.ok() == l.ok());
}

TEST_CASE("listener: a host name is not a bindable interface") {
    auto l = open_listener("localhost", 0);
    REQUIRE_FALSE(l.ok());
    CHECK(l.error().message.find("localhost") != std::string::npos);
}

TEST_CASE("CFG-44 bind retries: count extra attempts, delay between, each failure logged") {
    auto first = open_listener("127.0.0.1", 0);
    REQUIRE(first.ok());
    uint16_t port = first->local().port;
    test::CaptureLogger log;
    StopFlag stop;
    auto t0 = std::chrono::steady_clock::now();
    auto second = open_listener_retrying("127.0.0.1", port, BindRetry{2, 1}, "SMTP", log, stop);
    auto took = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(second.ok());
    CHECK(log.lines().size() == 2);
    CHECK(took >= std::chrono::milliseconds(1900));
    CHECK(second.error().message.find(std::to_string(port)) != std::string::npos);
}

TEST_CASE("CFG-44 bind retries: a port freed during the delay is bound on retry") {
    auto first = open_listener("127.0.0.1", 0);
    REQUIRE(first.ok());
    uint16_t port = first->local().port;
    test::CaptureLogger log;
    StopFlag stop;
    std::thread freer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        first->reset();
    });
    auto second = open_listener_retrying("127.0.0.1", port, BindRetry{3, 1}, "POP3", log, stop);
    freer.join();
    CHECK(second.ok());
    CHECK(log.lines().size() == 1);
}

TEST_CASE("bind retries end at once when stop is requested") {
    auto first = open_listener("127.0.0.1", 0);
    REQUIRE(first.ok());
    test::CaptureLogger log;
    StopFlag stop;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        stop.request();
    });
    auto t0 = std::chrono::steady_clock::now();
    auto r = open_listener_retrying("127.0.0.1", first->local().port, BindRetry{5, 30}, "SMTP", log, stop);
    stopper.join();
    CHECK_FALSE(r.ok());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
}

TEST_CASE("acceptor: one thread accepts on every listener and names the listener") {
    std::vector<Socket> listeners;
    std::vector<uint16_t> ports;
    for (int i = 0; i < 3; ++i) {
        auto l = open_listener("127.0.0.1", 0);
        REQUIRE(l.ok());
        ports.push_back(l->local().port);
        listeners.push_back(std::move(*l));
    }
    std::mutex m;
    std::vector<size_t> seen;
    Acceptor acceptor(std::move(listeners), [&](Socket s, size_t index) {
        CHECK(s.valid());
        std::lock_guard<std::mutex> lock(m);
        seen.push_back(index);
    });
    for (size_t i : {2u, 0u, 1u}) REQUIRE(connect_tcp("127.0.0.1", ports[i]).ok());
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard<std::mutex> lock(m);
            if (seen.size() == 3) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    acceptor.stop();
    std::sort(seen.begin(), seen.end());
    CHECK(seen == std::vector<size_t>{0, 1, 2});
    CHECK_FALSE(connect_tcp("127.0.0.1", ports[0]).ok());   // closed by stop()
}

TEST_CASE("signals: SIGHUP reads as reload, SIGTERM as stop, stop wins") {
    SignalWatch watch;
    CHECK(watch.wait(0) == ProcessSignal::None);
    std::raise(SIGHUP);
    CHECK(watch.wait(1000) == ProcessSignal::Reload);
    std::raise(SIGHUP);
    std::raise(SIGTERM);
    CHECK(watch.wait(1000) == ProcessSignal::Stop);
    std::raise(SIGINT);
    CHECK(watch.wait(1000) == ProcessSignal::Stop);
}
