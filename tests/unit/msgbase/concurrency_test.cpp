// Several threads and several processes, each with its own handle (own open
// file descriptions, so the OFD locks separate them), append and delete on
// one base for a bounded time; every message must then be there exactly once.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/smb_base.h"
#include "msgbase/smb_mail_store.h"
#include "owned_message.h"

#include <catch.hpp>

#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

struct Event { uint32_t number; uint32_t writer; uint32_t seq; uint32_t deleted; };

test::OwnedMessage message_of(uint32_t writer, uint32_t seq) {
    test::OwnedMessage m("from writer " + std::to_string(writer) + " seq " + std::to_string(seq) + "\r\n" +
                         std::string((seq * 97 + writer * 31) % 900, 'x'));
    m.hdr.add(hf::SENDER, "W" + std::to_string(writer));
    m.hdr.add(hf::SENDEREXT, std::to_string(writer + 1));
    m.hdr.add(hf::SUBJECT, std::to_string(writer) + "/" + std::to_string(seq));
    m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(writer) + "." + std::to_string(seq) + "@c>");
    return m;
}

// Appends (and sometimes deletes one of its own) until `ms` have passed.
std::vector<Event> run_writer_on(SmbBase* base, uint32_t writer, unsigned ms) {
    std::vector<Event> out;
    auto* b = &base;
    std::mt19937 rng(writer);
    uint64_t end = monotonic_ms() + ms;
    std::vector<uint32_t> mine;
    for (uint32_t seq = 0; monotonic_ms() < end; ++seq) {
        RecipientCopy c;
        c.append = {{hf::RECIPIENT, "R"}, {hf::RECIPIENTEXT, std::to_string(1 + seq % 5)}};
        auto n = (*b)->add(message_of(writer, seq), {c});
        if (!n) { out.push_back({0, writer, seq, 0}); continue; }
        out.push_back({n->front(), writer, seq, 0});
        mine.push_back(n->front());
        if (rng() % 4 == 0) {
            uint32_t victim = mine[rng() % mine.size()];
            if ((*b)->change_attr(victim, attr::DELETE, 0).ok()) out.push_back({victim, writer, 0, 1});
            else out.push_back({0, writer, 0, 1});
        }
    }
    return out;
}

std::unique_ptr<SmbBase> open_handle(const std::string& prefix) {
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.durable = false;
    auto b = SmbBase::open(prefix, o);
    return b ? std::move(*b) : nullptr;
}

std::vector<Event> run_writer(const std::string& prefix, uint32_t writer, unsigned ms) {
    auto b = open_handle(prefix);
    return b ? run_writer_on(b.get(), writer, ms) : std::vector<Event>{};
}

} // namespace

TEST_CASE("FMT-16 FMT-79 FMT-80 FMT-81 FMT-85 FMT-87 FMT-88 threads and processes appending and deleting at once") {
    TempDir d;
    auto p = d.prefix("mail");
    REQUIRE(SmbBase::create(p, [] { BaseStatus s; s.attr = status_attr::EMAIL; return s; }()).ok());
    const unsigned ms = 2500;
    std::vector<std::pair<pid_t, int>> children;
    for (uint32_t w = 0; w < 3; ++w) {                       // processes first, then threads
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            auto ev = run_writer(p, w, ms);
            size_t bytes = ev.size() * sizeof(Event);
            _exit(write(fds[1], ev.data(), bytes) == ssize_t(bytes) ? 0 : 1);
        }
        close(fds[1]);
        children.push_back({pid, fds[0]});
    }
    std::vector<std::vector<Event>> results(5);
    std::vector<std::thread> threads;
    for (uint32_t w = 0; w < 3; ++w)
        threads.emplace_back([&, w] { results[w] = run_writer(p, 10 + w, ms); });
    auto shared = open_handle(p);                            // two threads on one handle (FMT-88)
    REQUIRE(shared);
    for (uint32_t w = 3; w < 5; ++w)
        threads.emplace_back([&, w] { results[w] = run_writer_on(shared.get(), 10 + w, ms); });
    std::vector<Event> all;
    for (auto& [pid, fd] : children) {
        Event e;
        while (read(fd, &e, sizeof e) == sizeof e) all.push_back(e);
        close(fd);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    for (auto& t : threads) t.join();
    for (auto& r : results) all.insert(all.end(), r.begin(), r.end());

    std::map<uint32_t, Event> added;
    std::set<uint32_t> deleted;
    size_t failures = 0;
    for (auto& e : all) {
        if (e.number == 0) { ++failures; continue; }
        if (e.deleted) { deleted.insert(e.number); continue; }
        CHECK(added.count(e.number) == 0);                   // no number handed out twice
        added[e.number] = e;
    }
    CHECK(failures == 0);
    CHECK(added.size() > 20);
    std::string problems;
    for (auto& pr : check_base(p)) problems += describe(pr) + "\n";
    INFO(problems);
    CHECK(problems.empty());
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(p, ro);
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(true);
    REQUIRE(idx.ok());
    CHECK(idx->size() == added.size());                      // every message exactly once
    for (auto& r : *idx) {
        auto it = added.find(r.number);
        REQUIRE(it != added.end());
        CHECK(bool(r.attr & attr::DELETE) == bool(deleted.count(r.number)));
        auto m = (*b)->read_message(r.number, true);
        REQUIRE(m.ok());
        CHECK(m->body == message_of(it->second.writer, it->second.seq).body);
    }
}

namespace {

// Threads delivering through one SmbMailStore (so through its group commit)
// until `ms` have passed; one Event per stored copy.
std::vector<Event> run_store(const std::string& prefix, uint32_t first_writer, uint32_t threads, unsigned ms) {
    BaseOptions o;
    o.durable = true;
    o.retry_time_s = 10;
    SmbMailStore store(prefix, o, nullptr);
    std::vector<std::vector<Event>> per(threads);
    std::vector<std::thread> ts;
    uint64_t end = monotonic_ms() + ms;
    for (uint32_t t = 0; t < threads; ++t)
        ts.emplace_back([&, t] {
            uint32_t writer = first_writer + t;
            for (uint32_t seq = 0; monotonic_ms() < end; ++seq) {
                std::vector<RecipientCopy> copies(1 + seq % 3);
                for (size_t k = 0; k < copies.size(); ++k)
                    copies[k].append = {{hf::RECIPIENT, "R"}, {hf::RECIPIENTEXT, std::to_string(1 + k)}};
                auto n = store.add_mail(message_of(writer, seq), copies);
                if (!n || n->size() != copies.size()) { per[t].push_back({0, writer, seq, 0}); continue; }
                for (auto x : *n) per[t].push_back({x, writer, seq, 0});
            }
        });
    for (auto& t : ts) t.join();
    std::vector<Event> all;
    for (auto& v : per) all.insert(all.end(), v.begin(), v.end());
    return all;
}

} // namespace

TEST_CASE("FMT-79 FMT-80 FMT-88 group commit: processes with several delivering threads each store every message once") {
    TempDir d;
    auto p = d.prefix("mail");
    REQUIRE(SmbBase::create(p, [] { BaseStatus s; s.attr = status_attr::EMAIL; return s; }()).ok());
    const unsigned ms = 2000;
    std::vector<std::pair<pid_t, int>> children;
    for (uint32_t w = 0; w < 2; ++w) {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            auto ev = run_store(p, 100 * (w + 1), 4, ms);
            size_t bytes = ev.size() * sizeof(Event);
            _exit(write(fds[1], ev.data(), bytes) == ssize_t(bytes) ? 0 : 1);
        }
        close(fds[1]);
        children.push_back({pid, fds[0]});
    }
    std::vector<Event> all = run_store(p, 0, 6, ms);
    for (auto& [pid, fd] : children) {
        Event e;
        while (read(fd, &e, sizeof e) == sizeof e) all.push_back(e);
        close(fd);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    std::map<uint32_t, Event> added;
    size_t failures = 0;
    for (auto& e : all) {
        if (e.number == 0) { ++failures; continue; }
        CHECK(added.count(e.number) == 0);                   // no number handed out twice
        added[e.number] = e;
    }
    CHECK(failures == 0);
    CHECK(added.size() > 20);
    std::string problems;
    for (auto& pr : check_base(p)) problems += describe(pr) + "\n";
    INFO(problems);
    CHECK(problems.empty());
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(p, ro);
    REQUIRE(b.ok());
    auto idx = b->get()->read_index(true);
    REQUIRE(idx.ok());
    CHECK(idx->size() == added.size());                      // every copy exactly once, nothing else
    for (auto& r : *idx) {
        auto it = added.find(r.number);
        REQUIRE(it != added.end());
        auto m = (*b)->read_message(r.number, true);
        REQUIRE(m.ok());
        CHECK(m->body == message_of(it->second.writer, it->second.seq).body);
    }
}
