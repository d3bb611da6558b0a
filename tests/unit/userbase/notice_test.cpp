// Notice and telegram bytes and the .msg append (USER-55..57, USER-59).
#include "temp_install.h"

#include "userbase/cp437.h"
#include "userbase/user_notice.h"

#include <catch.hpp>

#include <filesystem>

using namespace sbbs;

namespace {

RetryPolicy fast(unsigned attempts) {
    RetryPolicy p;
    p.max_attempts = attempts;
    p.sleep = nullptr;
    return p;
}

} // namespace

TEST_CASE("USER-56 new-mail notice: exact bytes of the built-in text") {
    NewMailNotice n;
    n.sender_name = "Alice Example";
    n.sender_addr = "alice@remote.example";
    CHECK(new_mail_notice_text(n) ==
          "\x01n\x01mNew e-mail from \x01h" "Alice Example\x01\\ \x01n<\x01h" "alice@remote.example\x01n>\r\n");
    // name equal to the address: only the domain is shown
    n.sender_name = "ALICE@remote.example";
    CHECK(new_mail_notice_text(n) ==
          "\x01n\x01mNew e-mail from \x01h" "ALICE@remote.example\x01\\ \x01n<\x01h" "remote.example\x01n>\r\n");
}

TEST_CASE("USER-56 forwarded suffix, custom texts and CP437 conversion") {
    NewMailNotice n;
    n.sender_name = "Al";
    n.sender_addr = "al@x.example";
    n.forwarded_to = "bob@remote.example";
    CHECK(new_mail_notice_text(n) ==
          "\x01n\x01mNew e-mail from \x01h" "Al\x01\\ \x01n<\x01h" "al@x.example\x01n>\r\n"
          "\x01n\x01m" "and it was automatically forwarded to\x01\\: \x01h" "bob@remote.example\x01n\r\n");
    n.received_text = "%.0sMail from %s (%s) 100%%\r\n";
    n.forwarded_text = "-> %s\r\n";
    CHECK(new_mail_notice_text(n) == "Mail from Al (al@x.example) 100%\r\n-> bob@remote.example\r\n");
    NewMailNotice u;
    u.sender_name = "Jos\xc3\xa9";
    u.sender_addr = "jose@x.example";
    u.utf8 = true;
    CHECK(new_mail_notice_text(u).find("Jos\x82\x01\\") != std::string::npos);
    CHECK(utf8_to_cp437("\xe2\x96\x91\xe2\x82\xac") == "\xb0?");
}

TEST_CASE("USER-57 telegram bytes, with and without the client's address") {
    Telegram t;
    t.sender_addr = "al@x.example";
    t.client_ip = "127.0.0.2";
    t.client_host = "client.example";
    t.text = "hello\r\n";
    CHECK(telegram_text(t) ==
          "\x01n\x01h\x01" "cInstant Message\x01n from \x01h\x01y" "al@x.example"
          "\r\n\x01w[\x01n" "127.0.0.2\x01h] (\x01n" "client.example\x01h)"
          "\x01n:\r\n\x01h" "hello\r\n");
    t.sender_domain_matches_client = true;
    CHECK(telegram_text(t) ==
          "\x01n\x01h\x01" "cInstant Message\x01n from \x01h\x01y" "al@x.example\x01n:\r\n\x01h" "hello\r\n");
}

TEST_CASE("USER-55 notices append to data/msgs/NNNN.msg under an exclusive whole-file lock") {
    test::TempInstall inst;
    NoticeWriter w(inst.data(), std::nullopt, fast(3));
    CHECK(w.path(5) == inst.data() + "msgs/0005.msg");
    REQUIRE(w.append(5, "one\r\n").ok());
    REQUIRE(w.append(5, "two\r\n").ok());
    CHECK(inst.read("data/msgs/0005.msg") == "one\r\ntwo\r\n");

    auto reader = platform::File::open(w.path(5), platform::OpenMode::Read);
    REQUIRE(reader.ok());
    REQUIRE(reader->try_lock(0, 0, platform::LockKind::Shared) == platform::LockAttempt::Acquired);
    Status s = w.append(5, "three\r\n");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::Locked);
    reader->unlock(0, 0);
    CHECK(w.append(5, "three\r\n").ok());
    CHECK(inst.read("data/msgs/0005.msg") == "one\r\ntwo\r\nthree\r\n");

    // the msgs directory is never created
    std::filesystem::remove_all(inst.path("data/msgs"));
    CHECK_FALSE(w.append(5, "x").ok());
    CHECK_FALSE(std::filesystem::exists(inst.path("data/msgs")));
}

TEST_CASE("USER-59 an appended notice flags message waiting on the user's nodes") {
    test::TempInstall inst;
    NodeRecord a, b;
    a.status = NodeRecord::INUSE;
    a.useron = 4;
    b.status = NodeRecord::WFC;
    inst.write("ctrl/node.dab", a.encode() + b.encode());
    NoticeWriter w(inst.data(), NodeFile(inst.ctrl() + "node.dab", 2, fast(3)), fast(3));
    REQUIRE(w.append(4, "hi\r\n").ok());
    std::string dab = inst.read("ctrl/node.dab");
    CHECK(NodeRecord::decode(dab.data()).misc == NodeRecord::MISC_MSGW);
    CHECK(NodeRecord::decode(dab.data() + 15).misc == 0);
}
