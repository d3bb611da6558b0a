// The open-relay battery: address tricks that must never get mail relayed
// to a foreign host without authentication, nor with authentication on the
// transfer port unless ALLOW_RELAY is set.
#include "harness.h"

#include "smtp/sasl.h"

#include <catch.hpp>

using namespace smtptest;

static const std::vector<std::string> kTricks = {
    "<user%other.org@example.com>",
    "<mary%other.org@example.com>",
    "<@example.com:user@other.org>",
    "<@other.org:mary@other.org>",
    "<\"user@other.org\">",
    "<\"user@other.org\"@example.com>",
    "<\"mary@other.org\"@other.org>",
    "<other.org!user@example.com>",
    "<other.org!user>",
    "<user@[192.0.2.1]>",
    "<user@[127.0.0.1]>",
    "<user@[IPv6:::1]>",
    "<user@OTHER.ORG>",
    "<user@other.org.>",
    "<user@example.com.>",
    "<user@example.com.other.org>",
    "<user@other.org@example.com>",
    "<user@example.com@other.org>",
    "<user@other.org:25>",
    "<user@example.com:2525>",
    "<forward:user@other.org>",
    "<local:user@other.org>",
    "<forward:local:user@other.org>",
    "< user@other.org >",
    "<sub:general@other.org>",
    "<user@localhost>",
    "user@other.org",
    "<user@other.org> SIZE=10",
    "<\"user\"@other.org>",
    "<MARY@EXAMPLE.COM@Other.Org>",
};

struct Attempt {
    std::string reply;
    size_t outbound = 0;
    size_t stored = 0;
};

static Attempt attempt(const std::string& rcpt, bool auth, bool allow_relay) {
    Harness h;
    if (allow_relay) h.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    std::vector<std::string> prelude;
    if (auth) prelude.push_back("AUTH PLAIN " + base64_encode(std::string("\0Mary\0maryPW", 12)));
    std::vector<std::string> msg{"From: Mary <mary@example.com>", "Subject: relay?", "", "test", "."};
    auto script = mail_script("<mary@example.com>", {rcpt}, msg, prelude);
    auto lines = h.run(script);
    Attempt a;
    // the RCPT reply is the one after MAIL's 250
    size_t idx = auth ? 4 : 3;
    for (size_t i = 0, k = 0; i < lines.size(); ++i) {
        if (lines[i].size() > 3 && lines[i][3] == '-') continue;
        if (k++ == idx) { a.reply = lines[i]; break; }
    }
    auto q = h.store.queued_outbound(true);
    a.outbound = q.ok() ? q->size() : 0;
    a.stored = h.store.mail.size();
    return a;
}

TEST_CASE("SMTP-121 SMTP-122 open-relay battery: no trick relays without AUTH", "[smtp][relay]") {
    REQUIRE(kTricks.size() >= 20);
    for (auto& t : kTricks) {
        INFO("RCPT TO:" << t);
        Attempt a = attempt(t, false, false);
        CHECK(a.reply.substr(0, 1) == "5");
        CHECK(a.outbound == 0);
        CHECK(a.stored == 0);
    }
}

TEST_CASE("SMTP-121 open-relay battery: ALLOW_RELAY alone does not open the relay", "[smtp][relay]") {
    for (auto& t : kTricks) {
        INFO("RCPT TO:" << t);
        Attempt a = attempt(t, false, true);
        CHECK(a.reply.substr(0, 1) == "5");
        CHECK(a.outbound == 0);
    }
}

TEST_CASE("SMTP-121 open-relay battery: AUTH on port 25 without ALLOW_RELAY relays nothing", "[smtp][relay]") {
    for (auto& t : kTricks) {
        INFO("RCPT TO:" << t);
        Attempt a = attempt(t, true, false);
        CHECK(a.reply.substr(0, 1) == "5");
        CHECK(a.outbound == 0);
    }
}

TEST_CASE("SMTP-121 SMTP-124 with AUTH and ALLOW_RELAY a foreign address is queued for SendMail", "[smtp][relay]") {
    Attempt a = attempt("<user@other.org>", true, true);
    CHECK(a.reply == "250 2.1.5 OK");
    CHECK(a.outbound == 1);
    Attempt b = attempt("<user@[192.0.2.1]>", true, true);
    CHECK(b.reply == "250 2.1.5 OK");
    CHECK(b.outbound == 1);
}
