#include "spam/spam_log.h"

#include "spam_test_support.h"

using namespace sbbs;
using namespace sbbs::spam;

TEST_CASE("SMTP-236 spam.log entry shape", "[spam]") {
    SpamEvent e{"SMTP", "REFUSED", "Blocked subject (Buy) from: <a@b>", "mx.example", "192.0.2.7",
                std::string("bob@bbs.example"), std::string("<a@b>")};
    CHECK(spam_log_entry(e, "Fri Aug 21 2026 10:07 pm") ==
          "SUSPECTED SMTP SPAM REFUSED on Fri Aug 21 2026 10:07 pm\r\n"
          "Host: mx.example [192.0.2.7]\r\n"
          "From: <a@b> to: bob@bbs.example\r\n"
          "Reason: Blocked subject (Buy) from: <a@b>\r\n"
          "\r\n");
    // Without a reverse path the host stands in; without a recipient no " to:".
    SpamEvent s{"SMTPS", "IGNORED", "", "<no name>", "192.0.2.8", std::nullopt, std::nullopt};
    CHECK(spam_log_entry(s, "Fri Aug 21 2026 10:07 pm") ==
          "SUSPECTED SMTPS SPAM IGNORED on Fri Aug 21 2026 10:07 pm\r\n"
          "Host: <no name> [192.0.2.8]\r\n"
          "From: <no name> \r\n"
          "\r\n");
}

TEST_CASE("SMTP-236 spam.log is appended in the logs directory", "[spam]") {
    test::SpamInstall inst;
    SpamEvent e{"SMTP", "REFUSED", "r", "h", "192.0.2.7", std::nullopt, std::nullopt};
    REQUIRE(append_spam_log(inst.paths.logs, e, 0, 1'000'000'000).ok());
    REQUIRE(append_spam_log(inst.paths.logs, e, 0, 1'000'000'000).ok());
    std::string log = inst.read("data/spam.log");
    CHECK(log.find("SUSPECTED SMTP SPAM REFUSED on ") == 0);
    CHECK(log.find("SUSPECTED", 10) != std::string::npos);   // two entries
}
