// REQUIRETLS on receive (RFC 8689 2 and 4.1): offered and taken only inside
// TLS, and stored with every copy of the message for SendMail.
#include "harness.h"

#include "dsn/params.h"

#include <catch.hpp>

using namespace smtptest;

namespace {

bool offers_requiretls(const std::vector<std::string>& replies) {
    for (auto& l : replies)
        if (l == "250-REQUIRETLS") return true;
    return false;
}

// EHLO, STARTTLS and EHLO again: the rest of `lines` runs inside TLS.
std::vector<std::string> under_tls(std::vector<std::string> lines) {
    std::vector<std::string> s{"EHLO client.example.net", "STARTTLS"};
    s.insert(s.end(), lines.begin(), lines.end());
    return s;
}

std::vector<std::string> message_to(const std::vector<std::string>& rcpts, const std::string& params,
                                    std::vector<std::string> message = default_message()) {
    std::vector<std::string> s{"EHLO client.example.net", "MAIL FROM:<alice@remote.org>" + params};
    for (auto& r : rcpts) s.push_back("RCPT TO:" + r);
    s.push_back("DATA");
    s.insert(s.end(), message.begin(), message.end());
    s.push_back("QUIT");
    return s;
}

} // namespace

TEST_CASE("RFC8689-2 EHLO offers REQUIRETLS only inside TLS: after STARTTLS and on the TLS port", "[smtp][requiretls]") {
    Harness plain;
    plain.extras.tls_available = true;
    CHECK_FALSE(offers_requiretls(plain.run({"EHLO client.example.net"})));

    Harness starttls;
    starttls.extras.tls_available = true;
    auto r = starttls.run(under_tls({"EHLO client.example.net"}));
    CHECK(r[r.size() - 2] == "250-REQUIRETLS");   // the last keyword before "250 OK"
    CHECK(r.back() == "250 OK");

    Harness implicit;
    implicit.listener = Listener::TlsSubmission;
    CHECK(offers_requiretls(implicit.run({"EHLO client.example.net"})));
}

TEST_CASE("RFC8689-4.1 MAIL FROM ... REQUIRETLS outside TLS gets 530 5.7.10 and nothing is stored",
          "[smtp][requiretls]") {
    Harness h;
    h.extras.tls_available = true;
    auto r = h.run(message_to({"<mary@example.com>"}, " REQUIRETLS"));
    CHECK(has_line(r, "530 5.7.10 REQUIRETLS needs a TLS session: issue STARTTLS first"));
    CHECK(h.store.mail.empty());
}

TEST_CASE("RFC8689-4.1 MAIL FROM ... REQUIRETLS inside TLS: every copy is stored marked REQUIRETLS",
          "[smtp][requiretls]") {
    Harness h;
    h.extras.tls_available = true;
    h.run(under_tls(message_to({"<mary@example.com>", "<sysop@example.com>"}, " BODY=8BITMIME REQUIRETLS")));
    REQUIRE(h.store.mail.size() == 2);
    for (auto& [n, m] : h.store.mail) {
        INFO(n);
        CHECK(dsn::envelope_params(m.hdr).requiretls);
        CHECK(m.hdr.get(smb::hf::DSN_ENVELOPE) == "REQUIRETLS");
    }
}

TEST_CASE("RFC8689-4.1 without REQUIRETLS nothing is added to the stored copy, under TLS or not", "[smtp][requiretls]") {
    for (bool tls : {false, true}) {
        INFO(tls);
        Harness h;
        h.extras.tls_available = true;
        auto script = message_to({"<mary@example.com>"}, "");
        h.run(tls ? under_tls(script) : script);
        REQUIRE(h.store.mail.size() == 1);
        CHECK_FALSE(h.store.mail.begin()->second.hdr.last(smb::hf::DSN_ENVELOPE));
    }
}

TEST_CASE("RFC8689-2 REQUIRETLS takes no value and is given once", "[smtp][requiretls]") {
    Harness h;
    h.extras.tls_available = true;
    auto r = h.run(under_tls({"EHLO x", "MAIL FROM:<a@remote.org> REQUIRETLS=YES",
                              "MAIL FROM:<a@remote.org> REQUIRETLS REQUIRETLS", "MAIL FROM:<a@remote.org> requiretls"}));
    auto n = r.size();
    CHECK(r[n - 3] == "501 5.5.4 Syntax error in REQUIRETLS parameter");
    CHECK(r[n - 2] == "501 5.5.4 Duplicate REQUIRETLS parameter");
    CHECK(r[n - 1] == "250 2.1.0 OK");   // keywords are case-insensitive (RFC 5321 2.4)
}
