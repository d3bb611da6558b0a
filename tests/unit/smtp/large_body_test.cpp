// A body past one spool chunk (SEC-11): stored whole from its pieces, and
// judged for its charset and archived over all of them.
#include "harness.h"

#include "util/text_pieces.h"

#include <catch.hpp>

using namespace smtptest;

namespace {

// A message whose body spans three spool chunks; `last` ends it.
std::vector<std::string> long_message(const std::string& last, std::string& body) {
    std::vector<std::string> m{"From: Alice <alice@remote.org>", "Subject: long", ""};
    std::string line(96, 'a');
    while (body.size() < 2 * sbbs::ChunkedText::CHUNK + 1000) {
        m.push_back(line);
        body += line + "\r\n";
    }
    m.push_back(last);
    body += last + "\r\n";
    m.push_back(".");
    return m;
}

} // namespace

TEST_CASE("SEC-11 SMTP-195 FMT-113 a body in several spool pieces is stored whole, UTF-8 seen in its last piece",
          "[smtp][data]") {
    Harness h;
    h.cfg->mail.max_msg_size = 4 * 1024 * 1024;
    std::string body;
    auto r = h.run(mail_script("<alice@remote.org>", {"<mary@example.com>"}, long_message("caf\xc3\xa9", body)));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    REQUIRE(h.store.mail.size() == 1);
    auto& m = h.store.mail.begin()->second;
    CHECK((m.body == body));
    CHECK(m.hdr.get(smb::hf::FIDOCHARSET) == "UTF-8 4");
}

TEST_CASE("SEC-11 FMT-113 a body with an 8-bit byte only in its last piece is not taken for ASCII",
          "[smtp][data]") {
    Harness h;
    h.cfg->mail.max_msg_size = 4 * 1024 * 1024;
    h.extras.default_charset = "IBM437";
    std::string body;
    h.run(mail_script("<alice@remote.org>", {"<mary@example.com>"}, long_message("caf\x82", body)));
    REQUIRE(h.store.mail.size() == 1);
    CHECK(h.store.mail.begin()->second.hdr.get(smb::hf::FIDOCHARSET) == "CP437 2");
}
