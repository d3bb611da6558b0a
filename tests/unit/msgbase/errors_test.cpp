// Damaged, truncated, foreign and missing bases give errors naming the file.
#include "fixture_support.h"

#include "msgbase/codec.h"
#include "msgbase/lzh.h"
#include "msgbase/smb_base.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {
void write_at(const std::string& path, size_t off, const std::string& bytes) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(off);
    f.write(bytes.data(), std::streamsize(bytes.size()));
}
BaseOptions ro() { BaseOptions o; o.read_only = true; o.retry_time_s = 1; return o; }
} // namespace

TEST_CASE("FMT-7 a missing base is an error naming the file, not created") {
    TempDir d;
    auto b = SmbBase::open(d.prefix("nothere"), ro());
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().message.find("nothere.shd") != std::string::npos);
    CHECK(b.error().code == ErrorCode::NotFound);
    CHECK_FALSE(fs::exists(d.path / "nothere.shd"));
}

TEST_CASE("FMT-11 a foreign file is rejected with the file named") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    write_at(p + ".shd", 0, "XMB\x1a");
    auto b = SmbBase::open(p, ro());
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().message.find("mail.shd") != std::string::npos);
    CHECK(b.error().message.find("not an SMB") != std::string::npos);
}

TEST_CASE("FMT-12 FMT-130 base versions below 1.10 are rejected, 1.21 and 3.00 accepted") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    write_at(p + ".shd", 4, std::string("\x00\x01", 2));
    CHECK_FALSE(SmbBase::open(p, ro()).ok());
    for (auto v : {std::string("\x21\x01", 2), std::string("\x00\x03", 2)}) {
        write_at(p + ".shd", 4, v);
        auto b = SmbBase::open(p, ro());
        REQUIRE(b.ok());
        CHECK((*b)->read_message(7, true).ok());
    }
}

TEST_CASE("FMT-22 FMT-99 a corrupt header id or version is reported for that message") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    write_at(p + ".shd", 0xE20, "SHX\x1a");
    auto b = SmbBase::open(p, ro());
    REQUIRE(b.ok());
    auto m = (*b)->read_message(7, true);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message.find("mail.shd") != std::string::npos);
    CHECK(m.error().message.find("bad message header id") != std::string::npos);
    write_at(p + ".shd", 0xE20, "SHD\x1a");
    write_at(p + ".shd", 0xE20 + 6, std::string("\x00\x01", 2));
    CHECK_FALSE((*b)->read_message(7, false).ok());
    CHECK((*b)->read_message(1, false).ok());
}

TEST_CASE("FMT-99 truncated files give errors, never out-of-bounds reads") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    fs::resize_file(p + ".sdt", 0x600);                 // cuts message 7's body
    auto b = SmbBase::open(p, ro());
    REQUIRE(b.ok());
    auto m = (*b)->read_message(7, true);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message.find("mail.sdt") != std::string::npos);
    fs::resize_file(p + ".shd", 20);
    auto b2 = SmbBase::open(p, ro());
    REQUIRE_FALSE(b2.ok());
    CHECK(b2.error().message.find("truncated base header") != std::string::npos);
}

TEST_CASE("FMT-21 FMT-99 header fields running past the stated length are rejected") {
    MessageHeader h;
    h.add(hf::SENDER, "x");
    auto bytes = encode_header(h);
    REQUIRE(bytes.ok());
    CHECK(decode_header(*bytes).ok());
    std::string bad = *bytes;
    set16(bad.data() + 8, uint16_t(get16(bad.data() + 8) - 1));  // field now overruns
    CHECK_FALSE(decode_header(bad).ok());
    std::string trailing = *bytes;
    set16(trailing.data() + 8, uint16_t(get16(trailing.data() + 8) + 2));  // 2 stray bytes
    CHECK_FALSE(decode_header(trailing).ok());
}

TEST_CASE("FMT-44 FMT-46 unsupported translations are errors, short fields empty") {
    CHECK_FALSE(decode_data_field(std::string("\x05\x00text", 6)).ok());
    CHECK_FALSE(decode_data_field(std::string("\x09\x00\x01\x00", 4)).ok());
    CHECK(decode_data_field(std::string("\x00\x00hi\0\0", 6)).value() == "hi");
    CHECK(decode_data_field(std::string("\x00", 1)).value().empty());
}

TEST_CASE("FMT-47 FMT-52 LZH streams that run out early or claim absurd sizes fail") {
    auto root = fixtures_dir() / "msgbase/mail";
    std::string sdt = slurp(root / "mail.sdt");
    std::string field = sdt.substr(0x3700, 227);
    REQUIRE(get16(field.data()) == 9);
    auto ok = lzh_decode(field.substr(4));
    REQUIRE(ok.ok());
    CHECK(ok->size() == 2640);
    CHECK_FALSE(lzh_decode(field.substr(4, 100)).ok());
    std::string huge = field.substr(4);
    set32(huge.data(), 0xFFFFFFF0u);
    CHECK_FALSE(lzh_decode(huge).ok());
}
