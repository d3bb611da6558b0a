#include "log/capture_logger.h"
#include "log/session_log.h"
#include "log/threshold_logger.h"

#include <catch.hpp>

#include <memory>

using namespace sbbs;

TEST_CASE("SMTP-251 session lines: 4-digit socket, 5-column protocol, client id", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 123, "SMTP", "192.0.2.7");
    log.info("Connection accepted on 192.0.2.1 port 25 from port 40000");
    log.set_protocol("SMTPS");
    log.notice("!UNSUPPORTED COMMAND: 'VRFY x'");
    log.set_client("john");
    log.info("logged-in using PLAIN authentication");
    auto lines = cap.lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].text == "0123 SMTP  [192.0.2.7] Connection accepted on 192.0.2.1 port 25 from port 40000");
    CHECK(lines[0].level == LogLevel::Info);
    CHECK(lines[1].text == "0123 SMTPS [192.0.2.7] !UNSUPPORTED COMMAND: 'VRFY x'");
    CHECK(lines[1].level == LogLevel::Notice);
    CHECK(lines[2].text == "0123 SMTPS john logged-in using PLAIN authentication");
}

TEST_CASE("POP3-12 POP3 lines switch their label to POP3S after STLS", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 7, "POP3", "127.0.0.2");
    log.log_bare(LogLevel::Debug, "session thread started");
    log.set_protocol("POP3S");
    log.info("john logged-in");
    auto lines = cap.lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == "0007 POP3  session thread started");
    CHECK(lines[1].text == "0007 POP3S [127.0.0.2] john logged-in");
}

TEST_CASE("SendMail lines: 0000 without a socket, SEND padded or plain", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 0, "SEND");
    log.info("Successfully sent message #5");
    log.set_padded(false);
    log.debug("last_msg=1, smb.status.last_msg=2, elapsed=0");
    log.set_socket(12345);
    log.set_protocol("SEND/TLS");
    log.info("TLS Session started successfully");
    auto lines = cap.lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].text == "0000 SEND  Successfully sent message #5");
    CHECK(lines[1].text == "0000 SEND last_msg=1, smb.status.last_msg=2, elapsed=0");
    CHECK(lines[2].text == "12345 SEND/TLS TLS Session started successfully");
}

TEST_CASE("SMTP-43 SMTP-253 RX and TX lines are DEBUG and keep the client id", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 3, "SMTP", "127.0.0.2");
    log.rx("EHLO client.example");
    log.tx("250 OK");
    auto lines = cap.lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].level == LogLevel::Debug);
    CHECK(lines[0].text == "0003 SMTP  [127.0.0.2] RX: EHLO client.example");
    CHECK(lines[1].text == "0003 SMTP  [127.0.0.2] TX: 250 OK");
}

TEST_CASE("SMTP-252 lines less severe than LogLevel are dropped before output", "[log]") {
    auto cap = std::make_shared<CaptureLogger>();
    ThresholdLogger filtered(cap, LogLevel::Notice);
    SessionLog log(filtered, 3, "SMTP", "127.0.0.2");
    log.debug("RX: NOOP");
    log.info("Connection accepted");
    log.notice("!CLIENT BLOCKED");
    log.error("!ERROR writing");
    CHECK_FALSE(filtered.enabled(LogLevel::Info));
    CHECK(filtered.enabled(LogLevel::Notice));
    auto lines = cap->lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text.find("!CLIENT BLOCKED") != std::string::npos);
    CHECK(lines[1].level == LogLevel::Error);
    filtered.set_threshold(LogLevel::Debug);
    log.debug("RX: NOOP");
    CHECK(cap->lines().size() == 3);
}

TEST_CASE("a registered secret never appears in any session line", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 3, "POP3", "127.0.0.2");
    log.add_secret("hunter2");
    log.notice("john !FAILED Password attempt: 'hunter2' expected 'x'");
    log.log_bare(LogLevel::Info, "hunter2hunter2");
    CHECK_FALSE(cap.contains("hunter2"));
    CHECK(cap.contains("'********' expected"));
    CHECK(cap.contains("0003 POP3  ****************"));
}

TEST_CASE("POP3-117 POP3 TX lines are DEBUG with the client id", "[log]") {
    CaptureLogger cap;
    SessionLog log(cap, 8, "POP3", "127.0.0.2");
    log.tx("+OK Capability list follows");
    auto lines = cap.lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].level == LogLevel::Debug);
    CHECK(lines[0].text == "0008 POP3  [127.0.0.2] TX: +OK Capability list follows");
}
