// SendMail on a real SMB mail base written by the original (the shared
// fixture), with the state database: flags as the original sets them, a
// clean base afterwards, and no loss when the sender is killed mid-send.
#include "smb_fixture.h"

#include "sendmail/book_retry_schedule.h"
#include "state/database.h"

#include "skip.h"

#include <catch.hpp>
#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>

using namespace sbbs;
using namespace sbbs::test;
namespace fs = std::filesystem;

TEST_CASE("SEND-100 SEND-103 the original's queued mail is delivered and marked as the original marks it", "[sendmail]") {
    TempDir dir;
    std::string prefix = copy_mail_base(dir);
    if (prefix.empty()) SBBS_SKIP("the SMB fixture is not available");
    auto store = open_store(prefix);
    REQUIRE(store->queued_outbound(false).value() == std::vector<uint32_t>{4, 8});
    uint16_t attempts8 = store->read(8, false).value().hdr.delivery_attempts;
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.inet_addr = "bbs.example.com";
    SendMail sm(h.s, SendMailDeps{*store, h.dns, *h.connector, Harness::render, h.log});
    CHECK(sm.scan(true).sent == 2);
    auto user_mail = store->read(4, false).value().hdr;     // a user's: kept as sent mail
    CHECK((user_mail.netattr & smb::netattr::SENT));
    CHECK_FALSE((user_mail.netattr & smb::netattr::INTRANSIT));
    CHECK_FALSE((user_mail.attr & smb::attr::DELETE));
    auto relayed = store->read(8, false).value().hdr;       // KILLSENT: deleted
    CHECK((relayed.netattr & smb::netattr::SENT));
    CHECK((relayed.attr & smb::attr::DELETE));
    CHECK(relayed.delivery_attempts == attempts8);
    CHECK(store->queued_outbound(true).value().empty());
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);   // ours: both over one connection to the relay
    CHECK(contains(ss[0].commands, "RCPT TO:<someone@example.com>"));
    CHECK(ss[0].data.find("This message waits in the queue for the SendMail thread.") != std::string::npos);
    CHECK(problems(prefix).empty());
}

TEST_CASE("SEND-93 in the SMB base the failure notice shares the original's text", "[sendmail]") {
    TempDir dir;
    std::string prefix = copy_mail_base(dir);
    if (prefix.empty()) SBBS_SKIP("the SMB fixture is not available");
    auto store = open_store(prefix);
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 no such user"};
    h.start_relay(f);
    uint32_t before = store->last_msg().value();
    SendMail sm(h.s, SendMailDeps{*store, h.dns, *h.connector, Harness::render, h.log});
    CHECK(sm.scan(true).bounced == 2);
    uint32_t after = store->last_msg().value();
    REQUIRE(after >= before + 1);
    auto original = store->read(4, true).value();
    CHECK((original.hdr.attr & smb::attr::DELETE));
    bool found = false;
    for (uint32_t n = before + 1; n <= after; ++n) {
        auto m = store->read(n, true);
        if (!m || m->hdr.get(smb::hf::SUBJECT) != "Delivery failure: Outbound test") continue;
        found = true;
        CHECK(m->body.find(original.body) != std::string::npos);   // in its message/rfc822 part
        CHECK(m->hdr.get(smb::hf::SENDER) == "Mail Delivery Subsystem");
    }
    CHECK(found);
    CHECK(problems(prefix).empty());
}

TEST_CASE("SEND-98 ours: a sender killed mid-delivery loses nothing; the next start sends it again", "[sendmail]") {
    TempDir dir;
    std::string prefix = copy_mail_base(dir);
    if (prefix.empty()) SBBS_SKIP("the SMB fixture is not available");
    // Only #4 stays queued, so the kill lands in its delivery.
    {
        auto store = open_store(prefix);
        auto h8 = store->read(8, false).value().hdr;
        h8.netattr |= smb::netattr::SENT;
        REQUIRE(store->update_header(h8).ok());
    }
    std::string db_path = dir.path + "sbbsmail.db";
    FakeSmtpServer f;
    f.replies["."] = {"<hang>", "250 queued"};
    Harness h;
    h.relay_to(f);
    h.s.max_inactivity_s = 30;
    pid_t child = fork();
    if (child == 0) {
        auto store = open_store(prefix);
        auto db = Database::open(db_path);
        if (!db) _exit(2);
        DeliveryBook book(**db);
        BookRetrySchedule retry(book, 3600, 16);
        SendMailDeps d{*store, h.dns, *h.connector, Harness::render, h.log};
        d.retry = &retry;
        SendMail sm(h.s, d);
        (void)sm.scan(true);
        _exit(0);
    }
    REQUIRE(child > 0);
    f.start();
    bool hung = false;
    for (int i = 0; i < 500 && !hung; ++i) {
        auto ss = f.sessions();
        hung = !ss.empty() && ss[0].hung;
        if (!hung) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(child, SIGKILL);
    int st = 0;
    waitpid(child, &st, 0);
    REQUIRE(hung);

    auto store = open_store(prefix);
    CHECK((store->read(4, false).value().hdr.netattr & smb::netattr::INTRANSIT));
    auto db = Database::open(db_path);
    REQUIRE(db.ok());
    DeliveryBook book(**db);
    BookRetrySchedule retry(book, 3600, 16);
    SendMailDeps d{*store, h.dns, *h.connector, Harness::render, h.log};
    d.retry = &retry;
    h.s.max_inactivity_s = 5;
    SendMail sm(h.s, d);
    CHECK(sm.scan(true).sent == 1);
    auto hdr = store->read(4, false).value().hdr;
    CHECK((hdr.netattr & smb::netattr::SENT));
    CHECK_FALSE((hdr.netattr & smb::netattr::INTRANSIT));
    CHECK(f.sessions().size() == 2);
    CHECK(h.log.has(LogLevel::Notice, "was in transit when delivery was interrupted; sending it again"));
    CHECK(problems(prefix).empty());
}

TEST_CASE("SEND-90 ours: the back-off kept in the state database survives a restart", "[sendmail]") {
    TempDir dir;
    auto db = Database::open(dir.path + "sbbsmail.db");
    REQUIRE(db.ok());
    int64_t now = 1000000;
    DeliveryBook book(**db, [&] { return now; });
    BookRetrySchedule retry(book, 3600, 16, [&] { return now; });
    retry.started(7);
    retry.failed(7, 3, 0, "451 later");                 // wait 4 rescans (less half of one)
    BookRetrySchedule after_restart(book, 3600, 16, [&] { return now; });
    CHECK_FALSE(after_restart.due(7, 0));
    now += 3 * 3600 + 1800;
    CHECK(after_restart.due(7, 0));
    CHECK_FALSE(after_restart.interrupted(7));
    after_restart.started(8);
    BookRetrySchedule third(book, 3600, 16, [&] { return now; });
    CHECK(third.interrupted(8));                        // claimed by a process that is gone
    CHECK_FALSE(after_restart.interrupted(8));          // but not for the one that claimed it
}
