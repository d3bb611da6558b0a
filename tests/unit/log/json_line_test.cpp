// ISSUE17-5: the JSON-lines log's rendering of one event.
#include "log/json_line.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("ISSUE17-5a a session line becomes time, level, session, protocol, client and text", "[log]") {
    const std::string line = json_log_line(LogLevel::Notice, "0004 SMTP  [127.0.0.2] !CLIENT BLOCKED in ip.can", 0);
    CHECK(line == "{\"time\":\"1970-01-01T00:00:00Z\",\"level\":\"notice\",\"session\":4,\"protocol\":\"SMTP\","
                  "\"client\":\"127.0.0.2\",\"text\":\"!CLIENT BLOCKED in ip.can\"}\n");
}

TEST_CASE("ISSUE17-5a a line of another shape keeps only time, level and text", "[log]") {
    CHECK(json_log_line(LogLevel::Error, "Stopping  ", 1765155723) ==
          "{\"time\":\"2025-12-08T01:02:03Z\",\"level\":\"error\",\"text\":\"Stopping\"}\n");
    CHECK(json_log_line(LogLevel::Debug, "0000 SEND text", 0).find("\"session\":0,\"protocol\":\"SEND\",\"text\":\"text\"") !=
          std::string::npos);
    CHECK(json_log_line(LogLevel::Info, "12 SMTP x", 0).find("session") == std::string::npos);
}

TEST_CASE("ISSUE17-5a what a client sent can never break the line or the JSON", "[log]") {
    const std::string line =
        json_log_line(LogLevel::Debug, "0004 SMTP  [::1] RX: a\"b\\c\x01\n\x7f caf\xc3\xa9 \xff\xc3 \xed\xa0\x80", 0);
    CHECK(line.find("\"client\":\"::1\"") != std::string::npos);
    CHECK(line.find("RX: a\\\"b\\\\c\\u0001\\u000a\\u007f caf\xc3\xa9 \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\"}") !=
          std::string::npos);
    CHECK(line.find('\n') == line.size() - 1);
}
