#include "log/capture_logger.h"
#include "log/credential_scrubber.h"
#include "log/session_log.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("SMTP-253 AUTH PLAIN with an initial response is masked", "[log]") {
    CredentialScrubber s;
    CHECK(s.scrub("AUTH PLAIN AGpvaG4Ac2VjcmV0") == "AUTH PLAIN ********");
    CHECK(s.scrub("MAIL FROM:<a@b>") == "MAIL FROM:<a@b>");
}

TEST_CASE("SMTP-253 AUTH continuation lines (DEBUG_RX_RSP) are masked", "[log]") {
    CredentialScrubber s;
    CHECK(s.scrub("AUTH LOGIN") == "AUTH LOGIN");
    CHECK(s.scrub("am9obg==") == std::string(kMasked));
    CHECK(s.scrub("c2VjcmV0") == std::string(kMasked));
    CHECK(s.scrub("MAIL FROM:<a@b>") == "MAIL FROM:<a@b>");
    CHECK(s.scrub("auth plain") == "auth plain");
    CHECK(s.scrub("AGpvaG4Ac2VjcmV0") == std::string(kMasked));
    CHECK(s.scrub("AUTH CRAM-MD5") == "AUTH CRAM-MD5");
    CHECK(s.scrub("am9obiBhYmNkZWY=") == std::string(kMasked));
    CHECK(s.scrub("QUIT") == "QUIT");
}

TEST_CASE("POP3-116 POP3 PASS and APOP digests are masked in RX lines", "[log]") {
    CredentialScrubber s;
    CHECK(s.scrub("USER john") == "USER john");
    CHECK(s.scrub("PASS secret") == "PASS ********");
    CHECK(s.scrub("pass  two words") == "pass ********");
    CHECK(s.scrub("APOP John Doe c4c9334bac560ecc979e58001b3e22fb") == "APOP John Doe ********");
    CHECK(s.scrub("PASS") == "PASS");
    CHECK(s.scrub("PASSWORD") == "PASSWORD");
}

TEST_CASE("SendMail's own AUTH LOGIN to a relay is masked in TX lines", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 9, "SEND");
    log.tx("AUTH LOGIN");
    log.tx("cmVsYXl1c2Vy");
    log.tx("cmVsYXlwYXNz");
    log.tx("MAIL FROM:<a@b>");
    CHECK_FALSE(cap.contains("cmVsYXl1c2Vy"));
    CHECK_FALSE(cap.contains("cmVsYXlwYXNz"));
    CHECK(cap.contains("TX: MAIL FROM:<a@b>"));
}

TEST_CASE("a session told no continuation follows logs the next line", "[log]") {
    CredentialScrubber s;
    CHECK(s.scrub("AUTH FOO") == "AUTH FOO");
    s.expect_credentials(0);
    CHECK(s.scrub("QUIT") == "QUIT");
}
