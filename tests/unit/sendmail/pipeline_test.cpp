// Issue #14: SendMail's pipeline: claims conditional on the header as it is
// under the base's lock, a round left queued when the base stays locked, the
// sent marks made durable together, no round barrier, and a per-destination
// limit on sessions.
#include "fake_connector.h"
#include "smb_fixture.h"

#include "sendmail/auto_exempt.h"

#include <catch.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

namespace {
// A MailStore passing every call to `inner`, with hooks for the tests.
class HookedStore : public MailStore {
public:
    explicit HookedStore(MailStore& inner) : in_(inner) {}
    std::function<void(uint32_t)> after_header_read;   // called once per number read without text
    std::optional<ErrorCode> fail_updates;   // update_headers(_if) answer this error
    unsigned unsynced_writes = 0, durable_writes = 0, syncs = 0;

    Result<std::vector<uint32_t>> add_mail(const NewMessage& m, const std::vector<RecipientCopy>& c) override {
        return in_.add_mail(m, c);
    }
    Result<uint32_t> post_to_sub(const std::string& code, const NewMessage& m) override {
        return in_.post_to_sub(code, m);
    }
    Result<std::vector<MailSummary>> list_mailbox(uint32_t u) override { return in_.list_mailbox(u); }
    Result<uint32_t> count_waiting(uint32_t u) override { return in_.count_waiting(u); }
    Result<smb::Message> read(uint32_t n, bool with_text) override {
        auto r = in_.read(n, with_text);
        if (!with_text && after_header_read) after_header_read(n);
        return r;
    }
    Status change_attr(uint32_t n, uint16_t set, uint16_t clear) override { return in_.change_attr(n, set, clear); }
    Status update_header(const smb::MessageHeader& h) override {
        ++durable_writes;
        return in_.update_header(h);
    }
    Status update_headers(const std::vector<smb::MessageHeader>& hdrs) override {
        if (fail_updates) return make_error("base locked by another process", *fail_updates);
        ++durable_writes;
        return in_.update_headers(hdrs);
    }
    Status update_headers_if(const std::vector<uint32_t>& numbers,
                             const std::function<bool(size_t, smb::MessageHeader&)>& change, bool durable,
                             std::vector<bool>& written) override {
        if (fail_updates) return make_error("base locked by another process", *fail_updates);
        ++(durable ? durable_writes : unsynced_writes);
        return in_.update_headers_if(numbers, change, durable, written);
    }
    Status sync_updates() override {
        ++syncs;
        return in_.sync_updates();
    }
    Result<std::vector<uint32_t>> queued_outbound(bool intransit) override { return in_.queued_outbound(intransit); }
    Result<uint32_t> add_sharing_data(uint32_t o, const smb::MessageHeader& h) override {
        return in_.add_sharing_data(o, h);
    }
    Result<uint32_t> last_msg() override { return in_.last_msg(); }

private:
    MailStore& in_;
};

uint32_t queue_in(MailStore& store, const std::string& to) {
    NewMessage m;
    m.hdr.netattr = smb::netattr::LOCAL;
    m.hdr.add(hf::SENDER, "John Doe");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "queued");
    m.hdr.add(hf::RFC822MSGID, "<6565A1B2.9@bbs.test>");
    m.body = "text\r\n";
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, to},
                {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                {hf::RECIPIENTNETADDR, to}};
    return store.add_mail(m, {c}).value().front();
}
} // namespace

TEST_CASE("ISSUE14-6 SEND-16 a DELETE made between the queue read and the claim is kept: the message is not sent",
          "[sendmail]") {
    TempDir dir;
    auto store = open_store(dir.path + "mail");
    Harness h;
    FakeConnector& fake = use_fake(h);
    mx(h, "a.example", "192.0.2.1");
    uint32_t n = queue_in(*store, "ann@a.example");
    HookedStore hooked(*store);
    bool deleted = false;
    hooked.after_header_read = [&](uint32_t number) {
        if (deleted || number != n) return;
        deleted = true;   // the BBS user deletes it, through its own handle, just after SendMail read it
        REQUIRE(open_store(dir.path + "mail")->change_attr(n, smb::attr::DELETE, 0).ok());
    };
    SendMail sm(h.s, SendMailDeps{hooked, h.dns, *h.connector, Harness::render, h.log});
    auto st = sm.scan(true);
    CHECK(deleted);
    CHECK(st.sent == 0);
    CHECK(fake.events().empty());   // no connection at all
    auto hdr = store->read(n, false).value().hdr;
    CHECK((hdr.attr & smb::attr::DELETE));
    CHECK_FALSE((hdr.netattr & smb::netattr::INTRANSIT));
    INFO(problems(dir.path + "mail"));
    CHECK(problems(dir.path + "mail").empty());
}

TEST_CASE("ISSUE14-6 SEND-19 a base still locked at the claim leaves the round queued, nothing in transit",
          "[sendmail]") {
    Harness h;
    FakeConnector& fake = use_fake(h);
    mx(h, "a.example", "192.0.2.1");
    auto n1 = h.queue("ann@a.example", "one\r\n");
    auto n2 = h.queue("amy@a.example", "two\r\n");
    HookedStore hooked(h.store);
    hooked.fail_updates = ErrorCode::Locked;
    SendMail sm(h.s, SendMailDeps{hooked, h.dns, *h.connector, Harness::render, h.log});
    auto st = sm.scan(true);
    CHECK(st.sent == 0);
    CHECK(st.skipped == 2);
    CHECK(fake.events().empty());
    for (auto n : {n1, n2}) {
        auto hdr = h.hdr(n);
        CHECK_FALSE((hdr.netattr & (smb::netattr::INTRANSIT | smb::netattr::SENT)));
        CHECK(hdr.delivery_attempts == 0);
    }
    CHECK(h.log.has(LogLevel::Warning, "marking 2 message(s) in transit: left queued"));
    hooked.fail_updates.reset();   // the lock is gone: the next scan sends both
    CHECK(sm.scan(true).sent == 2);
}

TEST_CASE("ISSUE14-4 SEND-19 sent marks are written without their own fsync and made durable together",
          "[sendmail]") {
    TempDir dir;
    auto store = open_store(dir.path + "mail");
    Harness h;
    FakeConnector& fake = use_fake(h);
    mx(h, "a.example", "192.0.2.1");
    std::vector<uint32_t> nums;
    for (int i = 0; i < 5; ++i) nums.push_back(queue_in(*store, "u" + std::to_string(i) + "@a.example"));
    HookedStore hooked(*store);
    unsigned syncs_at_ehlo = 0;
    fake.on_command = [&](const std::string& line) {
        if (line.rfind("EHLO", 0) == 0) syncs_at_ehlo = hooked.syncs;
    };
    SendMail sm(h.s, SendMailDeps{hooked, h.dns, *h.connector, Harness::render, h.log});
    CHECK(sm.scan(true).sent == 5);
    CHECK(syncs_at_ehlo == 1);            // the claim was durable before any network activity
    CHECK(hooked.durable_writes == 0);    // no write with an fsync of its own:
    CHECK(hooked.unsynced_writes == 6);   // the claim of the round and one mark each
    CHECK(hooked.syncs >= 2);             // the claim's fsync pair, then the marks together: at the
    CHECK(hooked.syncs < 6);              // end, or every 50 ms on a slow machine, never one each
    for (auto n : nums) {
        auto hdr = store->read(n, false).value().hdr;
        CHECK((hdr.netattr & smb::netattr::SENT));
        CHECK_FALSE((hdr.netattr & smb::netattr::INTRANSIT));
    }
    INFO(problems(dir.path + "mail"));
    CHECK(problems(dir.path + "mail").empty());
}

TEST_CASE("ISSUE14-1 no round barrier: a slow destination does not hold back the next rounds of another",
          "[sendmail]") {
    Harness h;
    FakeConnector& fake = use_fake(h);
    h.s.claim_round = 1;
    mx(h, "a.example", "192.0.2.1");
    mx(h, "b.example", "192.0.2.2");
    h.queue("ann@a.example", "slow\r\n");
    h.queue("bo1@b.example", "first\r\n");
    h.queue("bo2@b.example", "second\r\n");
    std::mutex mu;
    std::condition_variable cv;
    bool second_seen = false, waited_for_it = false;
    fake.on_command = [&](const std::string& line) {
        std::unique_lock lk(mu);
        if (line == "RCPT TO:<bo2@b.example>") {
            second_seen = true;
            cv.notify_all();
        } else if (line == "RCPT TO:<ann@a.example>") {   // a.example answers only once b.example had both
            waited_for_it = cv.wait_for(lk, std::chrono::seconds(5), [&] { return second_seen; });
        }
    };
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 3);
    CHECK(waited_for_it);
}

TEST_CASE("ISSUE14-5 SEND-6 one destination gets several sessions, at most per_destination_workers", "[sendmail]") {
    for (unsigned limit : {2u, 4u}) {
        Harness h;
        FakeConnector& fake = use_fake(h);
        h.s.claim_round = 1;   // a take per message: each may go to another worker
        h.s.delivery_workers = 4;
        h.s.per_destination_workers = limit;
        fake.gate = 3;   // each greeting waits until three links are open (or 200 ms)
        fake.gate_limit = std::chrono::milliseconds(200);
        mx(h, "a.example", "192.0.2.1");
        for (int i = 0; i < 6; ++i) h.queue("u" + std::to_string(i) + "@a.example", "text " + std::to_string(i) + "\r\n");
        auto sm = h.make();
        CHECK(sm.scan(true).sent == 6);
        INFO("limit " << limit);
        CHECK(fake.peak() <= limit);
        CHECK(fake.peak() >= std::min(limit, 3u));   // more than one session to the one destination
    }
}

TEST_CASE("ISSUE14-2 SEND-86 the remembered exemption list is read again once the sysop edits the file",
          "[sendmail]") {
    TempDir dir;
    std::string path = dir.path + "dnsbl_exempt.cfg";
    CaptureLogger log;
    ExemptCache cache;
    CHECK(auto_exempt(path, "<ann@remote.example>", "'a' #1", nullptr, log, 0, &cache));
    CHECK_FALSE(auto_exempt(path, "<ann@remote.example>", "'a' #1", nullptr, log, 0, &cache));   // ours, remembered
    std::ofstream(path, std::ios::app) << "<bob@remote.example>\n";   // the sysop adds one
    CHECK_FALSE(auto_exempt(path, "<bob@remote.example>", "'a' #1", nullptr, log, 0, &cache));
    CHECK_FALSE(auto_exempt(path, "<ann@remote.example>", "'a' #1", nullptr, log, 0, &cache));
    std::ofstream(path, std::ios::trunc) << "; emptied by the sysop\n";
    CHECK(auto_exempt(path, "<ann@remote.example>", "'a' #1", nullptr, log, 0, &cache));
    size_t lines = 0;
    for (char c : dir.read("dnsbl_exempt.cfg")) lines += c == '\n';
    CHECK(lines == 4);   // the comment, then a blank, its note and the address
}

TEST_CASE("ISSUE14-8 SEND-86 an edit made between our append and its stat is read, not taken for ours",
          "[sendmail]") {
    TempDir dir;
    std::string path = dir.path + "dnsbl_exempt.cfg";
    std::ofstream(path) << "; the sysop's list\n";
    CaptureLogger log;
    ExemptCache cache;
    cache.settle_ns = -1'000'000'000;   // every stamp settled: the cache is used (no 2 s wait in a test)
    CHECK(auto_exempt(path, "<sysop@remote.example>", "'a' #1", nullptr, log, 0, &cache));
    // The list is now cached. The sysop
    // adds a line right after our next append, before we stat the file.
    cache.after_append = [&] { std::ofstream(path, std::ios::app) << "<bob@remote.example>\n"; };
    CHECK(auto_exempt(path, "<ann@remote.example>", "'a' #1", nullptr, log, 0, &cache));
    cache.after_append = nullptr;
    CHECK_FALSE(auto_exempt(path, "<bob@remote.example>", "'a' #1", nullptr, log, 0, &cache));   // his, read
    CHECK_FALSE(auto_exempt(path, "<ann@remote.example>", "'a' #1", nullptr, log, 0, &cache));   // ours, kept
}
