#include "config/ini_file.h"
#include "config/ini_get.h"
#include "config/value_parse.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("CFG-23 integers: true/yes/on are 1, strtol base 0 (010 is octal), diagnostics for junk", "[config]") {
    CHECK(parse_integer("true").value == 1);
    CHECK(parse_integer("Yes; because").value == 1);
    CHECK(parse_integer("ON\tx").value == 1);
    CHECK(parse_integer("010").value == 8);
    CHECK(parse_integer("0x1F").value == 31);
    CHECK(parse_integer("-12").value == -12);
    CHECK(parse_integer("25").clean());
    CHECK(parse_integer("25 ; comment").clean());
    auto junk = parse_integer("12abc");
    CHECK(junk.value == 12);
    CHECK_FALSE(junk.clean());
    auto none = parse_integer("abc");
    CHECK(none.value == 0);
    CHECK_FALSE(none.clean());
    CHECK(parse_integer("truex").value == 0);
}

TEST_CASE("CFG-24 booleans: true/yes/on, else a non-zero integer; unknown words diagnosed", "[config]") {
    CHECK(parse_bool("TRUE").value);
    CHECK(parse_bool("on").value);
    CHECK_FALSE(parse_bool("false").value);
    CHECK(parse_bool("false").clean());
    CHECK_FALSE(parse_bool("Off").value);
    CHECK(parse_bool("2").value);
    CHECK_FALSE(parse_bool("0").value);
    auto odd = parse_bool("enabled");
    CHECK_FALSE(odd.value);
    CHECK_FALSE(odd.clean());
}

TEST_CASE("CFG-25 unsigned values wrap when negative, with a diagnostic", "[config]") {
    auto neg = parse_unsigned("-1");
    CHECK(neg.value == 0xFFFFFFFFu);
    CHECK_FALSE(neg.clean());
    CHECK(parse_unsigned("0x10").value == 16);
    CHECK(parse_unsigned("yes").value == 1);
}

TEST_CASE("CFG-26 16-bit keys: a value outside 0..65535 is a start-up error naming the line", "[config]") {
    Diagnostics d;
    auto ini = IniFile::parse("[Mail]\nSMTPPort = 70000\nPOP3Port = 110\n", "sbbs.ini", {}, d);
    IniGetter g(ini.section("Mail"), d);
    CHECK(g.get_u16("POP3Port", 1) == 110);
    CHECK(d.empty());
    CHECK(g.get_u16("SMTPPort", 25) == 4464);
    REQUIRE(d.size() == 1);
    CHECK(d[0].fatal());
    CHECK(d[0].text().rfind("sbbs.ini:2: SMTPPort", 0) == 0);
}

TEST_CASE("CFG-27 durations: Y W D H M(inutes), anything else seconds; first letter counts", "[config]") {
    CHECK(parse_duration("60M").value == 3600);
    CHECK(parse_duration("1h").value == 3600);
    CHECK(parse_duration("30s").value == 30);
    CHECK(parse_duration("1.5m").value == 90);
    CHECK(parse_duration("2min").value == 120);
    CHECK(parse_duration("1hour").value == 3600);
    CHECK(parse_duration("2 d").value == 2 * 86400);
    CHECK(parse_duration("1w").value == 7 * 86400);
    CHECK(parse_duration("1Y").value == 365 * 86400);
    CHECK(parse_duration("45").value == 45);
    CHECK_FALSE(parse_duration("soon").clean());
    CHECK_FALSE(parse_duration("5x").clean());
    CHECK(parse_duration("5x").value == 5);
}

TEST_CASE("CFG-28 byte counts: 1024-based K M G T P E; overflow and negatives saturate", "[config]") {
    CHECK(parse_bytes("20MB").value == 20971520);
    CHECK(parse_bytes("20M").value == 20971520);
    CHECK(parse_bytes("1.5K").value == 1536);
    CHECK(parse_bytes("1 g").value == 1073741824LL);
    CHECK(parse_bytes("2T").value == 2LL << 40);
    CHECK(parse_bytes("1000").value == 1000);
    CHECK(parse_bytes("-1").value == INT64_MAX);
    CHECK(parse_bytes("99999E").value == INT64_MAX);
    CHECK_FALSE(parse_bytes("lots").clean());
}

TEST_CASE("CFG-29 log levels: exact name, then prefix either way, numbers clamped to 7", "[config]") {
    CHECK(parse_log_level("Warning").value == LogLevel::Warning);
    CHECK(parse_log_level("err").value == LogLevel::Error);
    CHECK(parse_log_level("Informational").value == LogLevel::Info);
    CHECK(parse_log_level("Debugging").value == LogLevel::Debug);
    CHECK(parse_log_level("E").value == LogLevel::Emergency);
    CHECK(parse_log_level("Emerg").value == LogLevel::Emergency);
    CHECK(parse_log_level("notice extra words").value == LogLevel::Notice);
    CHECK(parse_log_level("3").value == LogLevel::Error);
    CHECK(parse_log_level("12").value == LogLevel::Debug);
    auto bad = parse_log_level("verbose");
    CHECK_FALSE(bad.value.has_value());
    CHECK_FALSE(bad.clean());
    Diagnostics d;
    auto ini = IniFile::parse("[S]\nLogLevel = verbose\n", "x.ini", {}, d);
    CHECK(IniGetter(ini.section("S"), d).get_log_level("LogLevel", LogLevel::Notice) == LogLevel::Notice);
    CHECK(d.size() == 1);
}

TEST_CASE("CFG-30 bit fields: names ignoring case or numbers, OR-ed; unknown names diagnosed", "[config]") {
    using namespace mail_opt;
    auto v = parse_bit_field("allow_pop3 | USE_SUBMISSION_PORT|0x20000000", mail_option_names());
    CHECK(v.value == (ALLOW_POP3 | USE_SUBMISSION_PORT | TLS_SUBMISSION));
    CHECK(v.clean());
    auto bad = parse_bit_field("ALLOW_POP3 | NO_SUCH_FLAG", mail_option_names());
    CHECK(bad.value == ALLOW_POP3);
    CHECK(bad.problem.find("NO_SUCH_FLAG") != std::string::npos);
    CHECK(parse_bit_field("010", mail_option_names()).value == 8);
}

TEST_CASE("CFG-31 string lists: commas, trimmed, empty items dropped, blank items kept", "[config]") {
    CHECK(parse_string_list("a, b ,c") == std::vector<std::string>{"a", "b", "c"});
    CHECK(parse_string_list(",a,,b,") == std::vector<std::string>{"a", "b"});
    CHECK(parse_string_list("a, ,b") == std::vector<std::string>{"a", "", "b"});
    Diagnostics d;
    auto ini = IniFile::parse("[S]\nTo : \"listserver,\\x41\"\n", "m.ini", {}, d);
    CHECK(IniGetter(ini.section("S"), d).get_list("To", {}) == std::vector<std::string>{"listserver", "A"});
}

TEST_CASE("CFG-32 IPv4/IPv6 values: dot-less numbers, bad values, untrimmed text", "[config]") {
    CHECK(parse_ipv4_value("127.0.0.1").value == "127.0.0.1");
    CHECK(parse_ipv4_value("127.0.0.1").clean());
    CHECK(parse_ipv4_value("0.0.0.0").value.empty());
    CHECK(parse_ipv4_value("0").value.empty());
    CHECK(parse_ipv4_value("16777343").value == "127.0.0.1");
    auto bad = parse_ipv4_value("1.2.3");
    CHECK(bad.value == "255.255.255.255");
    CHECK_FALSE(bad.clean());
    CHECK(parse_ipv4_value("1.2.3.4 ").value == "255.255.255.255");
    CHECK(parse_ipv6_value("2001:db8::1").value == "2001:db8::1");
    CHECK(parse_ipv6_value("::").value.empty());
    CHECK(parse_ipv6_value("::").clean());
    auto bad6 = parse_ipv6_value("2001:db8::zz");
    CHECK(bad6.value.empty());
    CHECK_FALSE(bad6.clean());
    Diagnostics d;
    auto ini = IniFile::parse("[G]\nOutboundInterface = 10.0.0.1  \n", "s.ini", {}, d);
    CHECK(IniGetter(ini.section("G"), d).get_ipv4("OutboundInterface", "") == "255.255.255.255");
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 2);
}
