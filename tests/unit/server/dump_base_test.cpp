// --dump-base on the original's fixture mail base: every message, decoded
// bodies byte for byte.
#include "server/dump_base.h"
#include "unit/msgbase/fixture_support.h"

#include <catch.hpp>

#include <cstdio>

using namespace sbbs;

namespace {

std::string dump_to_string(const std::string& prefix, int& rc) {
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    rc = dump_base(prefix, out, err);
    std::string text;
    std::rewind(out);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
    std::fclose(out);
    std::fclose(err);
    return text;
}

} // namespace

TEST_CASE("dump-base prints every message of the fixture mail base with its exact body") {
    test::TempDir dir;
    std::string prefix = test::copy_fixture(dir, "mail", "mail");
    int rc = -1;
    std::string json = dump_to_string(prefix, rc);
    REQUIRE(rc == 0);
    CHECK(json.front() == '[');
    for (int n = 1; n <= 9; ++n) {
        CHECK(json.find("{\"number\": " + std::to_string(n) + ",") != std::string::npos);
        auto body = test::slurp(test::fixtures_dir() / "msgbase/mail/bodies" / (std::to_string(n) + ".body.txt"));
        CHECK(json.find("\"body\": " + json_bytes(body)) != std::string::npos);
    }
    auto tail = test::slurp(test::fixtures_dir() / "msgbase/mail/bodies/7.tail.txt");
    CHECK(json.find("\"tail\": " + json_bytes(tail)) != std::string::npos);
}

TEST_CASE("dump-base escapes bytes as code points and fails on a missing base") {
    CHECK(json_bytes(std::string("a\"\\\r\xe9", 5)) == "\"a\\\"\\\\\\u000d\\u00e9\"");
    test::TempDir dir;
    int rc = -1;
    dump_to_string(dir.prefix("none"), rc);
    CHECK(rc == 1);
}
