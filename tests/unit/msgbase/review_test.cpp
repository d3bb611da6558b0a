// Issue #13 review findings on the message-base code: a base replaced while
// a write waits, the writer handle's life across threads, the update journal
// on a full disk, and one gate per base for the whole process.
#include "fixture_support.h"

#include "msgbase/gate_registry.h"
#include "msgbase/smb_base.h"
#include "msgbase/smb_mail_store.h"
#include "owned_message.h"

#include <catch.hpp>

#include <chrono>
#include <thread>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

test::OwnedMessage review_message(const std::string& subject) {
    test::OwnedMessage m("text of " + subject + "\r\n");
    m.hdr.add(hf::SENDER, "Writer");
    m.hdr.add(hf::SUBJECT, subject);
    m.hdr.add(hf::RFC822MSGID, "<" + subject + "@test>");
    return m;
}

std::vector<RecipientCopy> to_user(const std::string& ext) {
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, ext}};
    return {c};
}

BaseOptions review_options() {
    BaseOptions o;
    o.retry_time_s = 20;                         // the waits below end long before this
    o.create_status.attr = status_attr::EMAIL;
    return o;
}

std::vector<std::string> subjects(const std::string& prefix) {
    auto b = SmbBase::open(prefix, BaseOptions{});
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(true);
    REQUIRE(idx.ok());
    std::vector<std::string> out;
    for (auto& r : *idx) {
        auto m = (*b)->read_message(r.number, false);
        REQUIRE(m.ok());
        out.push_back(m->hdr.get(hf::SUBJECT));
    }
    return out;
}

// The BBS's pack: a new base built aside and renamed over the old files.
void replace_base(const std::string& prefix, const std::string& aside) {
    {
        BaseOptions o = review_options();
        o.create = true;
        auto b = SmbBase::open(aside, o);
        REQUIRE(b.ok());
        REQUIRE((*b)->add(review_message("packed"), to_user("3")).ok());
    }
    for (const char* ext : {"shd", "sdt", "sid", "sha", "sda"})
        if (fs::exists(aside + "." + ext)) fs::rename(aside + "." + ext, prefix + "." + ext);
}

// Long enough for a thread started just before to reach its wait on
// <base>.lock (it polls every retry_delay_ms); the outcome never depends on it
// being longer, only the fault goes unprovoked when it is too short.
void let_it_wait() { std::this_thread::sleep_for(std::chrono::milliseconds(400)); }

} // namespace

TEST_CASE("ISSUE13-review FMT-84 FMT-80 mail that waited out a pack goes into the new base, not the replaced files") {
    TempDir d;
    auto p = d.prefix("mail");
    SmbMailStore store(p, review_options(), nullptr);
    REQUIRE(store.add_mail(review_message("before"), to_user("2")).ok());   // the writer handle is open
    { std::ofstream(p + ".lock") << "pack"; }
    auto m = review_message("during the pack");
    Result<std::vector<uint32_t>> got = make_error("not run");
    std::thread writer([&] { got = store.add_mail(m, to_user("2")); });
    let_it_wait();
    replace_base(p, d.prefix("packed"));
    fs::remove(p + ".lock");
    writer.join();
    REQUIRE(got.ok());
    CHECK(subjects(p) == std::vector<std::string>{"packed", "during the pack"});
    CHECK(problems(p) == "");
}

TEST_CASE("ISSUE13-review FMT-84 a direct write on a handle whose base was replaced while it waited is Stale and writes nothing") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o = review_options();
    o.create = true;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    { std::ofstream(p + ".lock") << "pack"; }
    Result<std::vector<uint32_t>> got = make_error("not run");
    auto m = review_message("lost");
    std::thread writer([&] { got = (*b)->add(m, to_user("2")); });
    let_it_wait();
    replace_base(p, d.prefix("packed"));
    fs::remove(p + ".lock");
    writer.join();
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().code == ErrorCode::Stale);
    CHECK(subjects(p) == std::vector<std::string>{"packed"});
}

TEST_CASE("ISSUE13-review FMT-86 a count that reopens the base never frees the handle a batch is writing with") {
    // The batch waits on <base>.lock inside add_batch; the base's files go;
    // an unlocked count (no gate turn) finds no base to lease and reopens the
    // writer handle. The batch must go on with a live handle (ASan saw a
    // use-after-free here) and store its mail in the recreated base.
    TempDir d;
    auto p = d.prefix("mail");
    SmbMailStore store(p, review_options(), nullptr);
    REQUIRE(store.add_mail(review_message("before"), to_user("2")).ok());
    { std::ofstream(p + ".lock") << "maintenance"; }
    auto m = review_message("during");
    Result<std::vector<uint32_t>> stored = make_error("not run");
    std::thread writer([&] { stored = store.add_mail(m, to_user("2")); });
    let_it_wait();
    for (const char* ext : {"shd", "sdt", "sid", "sha", "sda", "pending", "updating"}) fs::remove(p + "." + ext);
    Result<uint32_t> counted = make_error("not run");
    std::thread counter([&] { counted = store.count_waiting(2); });
    let_it_wait();
    fs::remove(p + ".lock");
    counter.join();
    writer.join();
    REQUIRE(stored.ok());
    CHECK(counted.ok());
    CHECK(subjects(p) == std::vector<std::string>{"during"});
    CHECK(store.count_waiting(2).value() == 1);
}

TEST_CASE("ISSUE13-review FMT-92 the update journal keeps its blocks: cleared in place, never truncated") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o = review_options();
    o.create = true;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    auto n = (*b)->add(review_message("one"), to_user("2"));
    REQUIRE(n.ok());
    REQUIRE((*b)->change_attr(n->front(), attr::READ, 0).ok());
    auto size = fs::file_size(p + ".updating");
    CHECK(size >= 4096);                                   // room for the next update without allocating
    CHECK(slurp(p + ".updating").substr(0, 4) == "UPD0");  // nothing pending
    REQUIRE((*b)->change_attr_many({n->front()}, attr::DELETE, 0).ok());
    CHECK(fs::file_size(p + ".updating") == size);
    CHECK(slurp(p + ".updating").substr(0, 4) == "UPD0");
    CHECK(problems(p) == "");
}

TEST_CASE("ISSUE13-review FMT-92 change_attr_many keeps the journal entry when a rewrite failed") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o = review_options();
    o.create = true;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    auto n = (*b)->add(review_message("one"), to_user("2"));
    REQUIRE(n.ok());
    auto st = (*b)->change_attr_many({n->front(), 999}, attr::DELETE, 0);   // 999 does not exist
    CHECK_FALSE(st.ok());
    CHECK(slurp(p + ".updating").substr(0, 4) == "UPD2");  // left for recovery to match up
    auto again = SmbBase::open(p, o);                        // recovery matches and clears it
    REQUIRE(again.ok());
    CHECK(slurp(p + ".updating").substr(0, 4) == "UPD0");
    CHECK(problems(p) == "");
}

TEST_CASE("ISSUE13-review ISSUE13-1 every store of one base shares one gate, another base has its own") {
    TempDir d;
    auto p = d.prefix("mail");
    auto same = gate_for_base(p);
    CHECK(gate_for_base(d.path.string() + "/./mail") == same);
    CHECK(gate_for_base(d.prefix("other")) != same);
    // A reader of one store queues behind a writer of another store of the base.
    SmbMailStore first(p, review_options(), nullptr), second(p, review_options(), nullptr);
    REQUIRE(first.add_mail(review_message("one"), to_user("2")).ok());
    auto writer = same->enter_exclusive();
    std::thread reader([&] { (void)second.read(1, false); });
    for (int i = 0; i < 200 && same->queued() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(same->queued() == 1);
    { auto done = std::move(writer); }
    reader.join();
}
