// The checker: the original's bases are clean; each kind of damage is
// reported with the file and message it concerns; garbage never crashes it.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/codec.h"

#include <catch.hpp>

#include <random>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

void poke(const std::string& path, size_t off, const std::string& bytes) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(off);
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

// The single problem expected after one piece of damage.
void expect_problem(const std::string& prefix, const std::string& ext, uint32_t msg, const std::string& words) {
    auto ps = check_base(prefix);
    std::string all;
    bool found = false;
    for (auto& p : ps) {
        all += describe(p) + "\n";
        if (p.file == prefix + "." + ext && p.message == msg && p.what.find(words) != std::string::npos) found = true;
    }
    INFO(all);
    CHECK(found);
}

} // namespace

TEST_CASE("FMT-131 FMT-134 FMT-136 FMT-137 FMT-141 the original's fixture bases are clean") {
    for (auto base : {"mail/mail", "sub/general"}) {
        auto ps = check_base((fixtures_dir() / "msgbase" / base).string());
        std::string all;
        for (auto& p : ps) all += describe(p) + "\n";
        INFO(all);
        CHECK(ps.empty());
    }
}

TEST_CASE("FMT-131 FMT-15 an index shorter than total_msgs is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    fs::resize_file(p + ".sid", 160);
    expect_problem(p, "sid", 0, "does not match status total_msgs");
}

TEST_CASE("FMT-133 FMT-73 index attributes or subject CRC that differ from the header are reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".sid", 20 * 6 + 6, std::string("\x02\x00", 2));      // message 7 attr
    expect_problem(p, "sid", 7, "attributes do not match");
    poke(p + ".sid", 20 * 6 + 6, std::string("\x00\x00", 2));
    poke(p + ".sid", 20 * 6 + 4, std::string("\x00\x00", 2));      // message 7 subj
    expect_problem(p, "sid", 7, "subject CRC");
    poke(p + ".sid", 20 * 6 + 4, std::string("\x4B\x27", 2));
    poke(p + ".sid", 20 * 6 + 0, std::string("\x05\x00", 2));      // to
    expect_problem(p, "sid", 7, "RECIPIENTEXT");
}

TEST_CASE("FMT-137 header and data blocks marked free while in use are reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".sha", 0, std::string(1, '\0'));
    expect_problem(p, "sha", 1, "not marked in use");
    poke(p + ".sha", 0, std::string(1, '\1'));
    poke(p + ".sda", 2 * 5, std::string(2, '\0'));                 // message 7's first data block
    expect_problem(p, "sda", 7, "marked free");
}

TEST_CASE("ISSUE13-3 FMT-63 a data allocation count that disagrees with its references is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".sda", 2 * 1, std::string("\x05\x00", 2));          // block 1: shared by #2 and #3, count 2
    expect_problem(p, "sda", 0, "data block 1 allocation count 5 but 2 reference(s)");
    poke(p + ".sda", 2 * 1, std::string("\x01\x00", 2));          // one too few: freeing #2 would free #3's body
    expect_problem(p, "sda", 0, "data block 1 allocation count 1 but 2 reference(s)");
}

TEST_CASE("ISSUE13-3 allocated blocks no message references are reported as leaked space") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    auto sda_blocks = fs::file_size(p + ".sda") / 2;
    std::ofstream(p + ".sdt", std::ios::app | std::ios::binary) << std::string(256, 'x');
    std::ofstream(p + ".sda", std::ios::app | std::ios::binary) << std::string("\x01\x00", 2);
    expect_problem(p, "sda", 0, "data block " + std::to_string(sda_blocks) + " allocation count 1 but 0 reference(s) (leaked space)");
    auto sha_blocks = fs::file_size(p + ".sha");
    std::ofstream(p + ".shd", std::ios::app | std::ios::binary) << std::string(256, '\0');
    std::ofstream(p + ".sha", std::ios::app | std::ios::binary) << std::string(1, '\1');
    expect_problem(p, "sha", 0, "header block " + std::to_string(sha_blocks) + " marked 1 but holds no header (leaked space)");
}

TEST_CASE("FMT-132 FMT-94 a block marked in use without a header is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".shd", 0x120 + 256 * 3, std::string(4, 'G'));          // message 2 occupies 4 blocks; garble header 3 instead
    poke(p + ".shd", 0x520, std::string(4, '\0'));
    expect_problem(p, "shd", 0, "marked in use");
}

TEST_CASE("FMT-135 FMT-23 a wrong stored length or type is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".shd", 0x20 + 4, std::string("\x02\x00", 2));         // type ballot
    expect_problem(p, "shd", 1, "does not match attributes");
}

TEST_CASE("FMT-138 FMT-122 a message left in transit is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".shd", 0x920 + 0x10, std::string("\x03\x00", 2));     // message 4 netattr LOCAL|INTRANSIT
    expect_problem(p, "shd", 4, "in transit");
}

TEST_CASE("FMT-139 control characters in the subject are reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    std::string shd = slurp(p + ".shd");
    auto at = shd.find("Welcome to the BBS");
    REQUIRE(at != std::string::npos);
    poke(p + ".shd", at + 7, "\x07");
    expect_problem(p, "shd", 1, "control characters");
}

TEST_CASE("FMT-140 FMT-109 a local message without Message-ID is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    std::string shd = slurp(p + ".shd");
    auto at = shd.find("<695645A0.1@bbs.example.com>");
    REQUIRE(at != std::string::npos);
    poke(p + ".shd", at - 4, std::string(1, '\x62'));                // retype RFC822MSGID as SMB_COMMENT
    expect_problem(p, "shd", 1, "missing Message-ID");
}

TEST_CASE("FMT-136 an undecodable body is reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".sdt", 0x500, std::string("\x07\x00", 2));
    expect_problem(p, "sdt", 7, "unsupported translation");
}

TEST_CASE("FMT-141 FMT-102 a hash record out of range or missing is reported") {
    TempDir d;
    auto p = copy_fixture(d, "sub", "general");
    poke(p + ".hash", 64, std::string("\x09\x00\x00\x00", 4));      // body hash of #1 now claims #9
    expect_problem(p, "hash", 9, "greater than last_msg");
    poke(p + ".hash", 64 + 16, std::string(4, '\0'));                // and its CRC-32 no longer matches
    expect_problem(p, "hash", 1, "missing");
}

TEST_CASE("FMT-134 misordered and duplicate index numbers are reported") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    poke(p + ".sid", 20 * 3 + 12, std::string("\x02\x00\x00\x00", 4));   // record 4 says number 2
    expect_problem(p, "sid", 2, "increasing order");
    expect_problem(p, "sid", 2, "duplicate number");
}

TEST_CASE("checker survives random damage to every file of a base") {
    TempDir d;
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        auto p = copy_fixture(d, round % 2 ? "mail" : "sub", round % 2 ? "mail" : "general");
        for (auto ext : {".shd", ".sid", ".sdt", ".sha", ".sda"}) {
            auto size = fs::file_size(p + ext);
            if (!size) continue;
            for (int k = 0; k < 4; ++k) poke(p + ext, rng() % size, std::string(1, char(rng())));
            if (rng() % 4 == 0) fs::resize_file(p + ext, rng() % size);
        }
        auto ps = check_base(p);
        CHECK(ps.size() <= 1001);
    }
}
