// A large body is written to .sdt from where its holder keeps it, never
// copied into a data-run buffer, and once for all its copies (SEC-11).
#include "fixture_support.h"
#include "peak_rss.h"

#include "msgbase/checker.h"
#include "msgbase/checksum.h"
#include "msgbase/codec.h"
#include "msgbase/hash_record.h"
#include "msgbase/smb_base.h"

#include <catch.hpp>

#include <fstream>
#include <malloc.h>
#include <openssl/evp.h>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

std::unique_ptr<SmbBase> open_mail(const std::string& prefix, uint32_t max_crcs = 0, uint16_t attr = status_attr::EMAIL) {
    BaseOptions o;
    o.create = true;
    o.create_status.attr = attr;
    o.create_status.max_crcs = max_crcs;
    o.retry_time_s = 2;
    auto b = SmbBase::open(prefix, o);
    REQUIRE(b.ok());
    return std::move(*b);
}

RecipientCopy to_user(const char* ext) {
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, std::string("User ") + ext}, {hf::RECIPIENTEXT, ext}};
    return c;
}

std::string big_text() {
    std::string text;
    for (size_t i = 0; text.size() < 20u * 1024 * 1024; ++i) text += "line " + std::to_string(i) + std::string(70, '.') + "\r\n";
    return text;
}

NewMessage big_message(const std::string& text) {
    NewMessage m;
    m.hdr.add(hf::SENDER, "Big");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::RFC822MSGID, "<big@test>");
    m.body = text;
    return m;
}

} // namespace

TEST_CASE("SEC-11 FMT-45 FMT-91: a 20 MiB body is written without a copy, once for three recipients") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_mail(p);
    std::string text = big_text();
    NewMessage m = big_message(text);
    if (!reset_peak_rss() || peak_rss() == 0) {
        WARN("skipped: peak memory cannot be measured here (no clear_refs/VmHWM, or a sanitizer build)");
        return;
    }
    uint64_t before = peak_rss();
    auto nums = b->add(m, {to_user("2"), to_user("3"), to_user("4")});
    uint64_t growth = peak_rss() - before;
    REQUIRE(nums.ok());
    CHECK(growth < text.size() / 8);                             // the old data-run copy cost 2x the body
    auto sdt = fs::file_size(p + ".sdt");
    CHECK(sdt == uint64_t(blocks_for(text.size() + 2)) * BLOCK_LEN);   // one shared run (FMT-91)
    for (uint32_t n : *nums) {
        auto got = b->read_message(n, true);
        REQUIRE(got.ok());
        CHECK(got->hdr.offset == 0);
        CHECK((got->body == text));
    }
    CHECK(problems(p).empty());
}

TEST_CASE("SEC-11 FMT-100 FMT-103: a 20 MiB post on a hashed sub-board costs one pre-processed copy") {
    TempDir d;
    auto p = d.prefix("sub");
    auto b = open_mail(p, 10, 0);                                // .hash and .sch both in use
    std::string text = big_text();
    NewMessage m = big_message(text);
    m.hdr.add(hf::RECIPIENT, "All");
    if (!reset_peak_rss() || peak_rss() == 0) {
        WARN("skipped: peak memory cannot be measured here (no clear_refs/VmHWM, or a sanitizer build)");
        return;
    }
    uint64_t before = peak_rss();
    REQUIRE(b->add(m, {}).ok());
    uint64_t growth = peak_rss() - before;
    CHECK(growth < text.size() * 5 / 4);                         // was the body copied twice per hash step
    CHECK(problems(p).empty());
}

TEST_CASE("SEC-11 FMT-49: reading a 20 MiB body back holds it once") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_mail(p);
    {
        std::string text = big_text();
        REQUIRE(b->add(big_message(text), {to_user("2")}).ok());
    }
    if (!reset_peak_rss() || peak_rss() == 0) {
        WARN("skipped: peak memory cannot be measured here (no clear_refs/VmHWM, or a sanitizer build)");
        return;
    }
    uint64_t before = peak_rss();
    auto got = b->read_message(1, true);
    uint64_t growth = peak_rss() - before;
    REQUIRE(got.ok());
    CHECK(growth < got->body.size() * 5 / 4);                    // was three copies: raw, decoded, appended
    CHECK((got->body == big_text()));
}

TEST_CASE("SEC-11 FMT-103: the .sch CRC of a body in pieces is that of its whole text, trailing blanks trimmed") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_mail(p, 10);
    std::string one = "hello\r\n", two = "world \r\n  ", three = "\t\r\n";   // the blanks span two pieces
    NewMessage m;
    m.hdr.add(hf::SENDER, "A");
    m.hdr.add(hf::RFC822MSGID, "<pieces@test>");
    m.body = TextPieces(std::vector<std::string_view>{one, two, three});
    REQUIRE(b->add(m, {to_user("2")}).ok());
    auto sch = slurp(p + ".sch");
    REQUIRE(sch.size() == 4);
    CHECK(get32(sch.data()) == crc32("hello\r\nworld"));
    auto got = b->read_message(1, true);
    REQUIRE(got.ok());
    CHECK(got->body == "hello\r\nworld \r\n  \t\r\n");
    NewMessage same;                                             // the same text in one piece
    same.hdr.add(hf::SENDER, "A");
    same.hdr.add(hf::RFC822MSGID, "<single@test>");
    same.body = "hello\r\nworld\r\n";
    auto dup = b->add(same, {to_user("2")});
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().message.find("duplicate message body") != std::string::npos);
}

TEST_CASE("SEC-11 FMT-126 MD5 and SHA-1, padded without copying the data, match OpenSSL at every length near a block") {
    std::string data;
    for (size_t n = 0; n <= 200; ++n, data += char('a' + n % 26)) {
        unsigned char want[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        REQUIRE(EVP_Digest(data.data(), data.size(), want, &len, EVP_md5(), nullptr));
        auto m = md5(data);
        CHECK(std::equal(m.begin(), m.end(), want));
        REQUIRE(EVP_Digest(data.data(), data.size(), want, &len, EVP_sha1(), nullptr));
        auto h = sha1(data);
        CHECK(std::equal(h.begin(), h.end(), want));
    }
}

TEST_CASE("SEC-11 FMT-100 FMT-101 a body hashed over its pieces hashes as its whole text") {
    std::string a = "Hello \x01", b = "Xworld\r\n", c = "  again\r\n";   // the Ctrl-A pair spans two pieces
    MessageHeader h;
    h.number = 7;
    auto pieces = message_hashes(h, TextPieces(std::vector<std::string_view>{a, b, c}), 5);
    std::string joined = a + b + c;
    auto whole = message_hashes(h, joined, 5);
    REQUIRE(pieces.size() == 1);
    REQUIRE(whole.size() == 1);
    CHECK(pieces[0].length == std::string("Helloworldagain").size());
    CHECK(same_hash(pieces[0], whole[0]));
    CHECK(pieces[0].md5 == md5("Helloworldagain"));
    std::string nul("cut\0here", 8);                                    // sources end at a NUL
    CHECK(message_hashes(h, TextPieces(std::vector<std::string_view>{"a", nul}), 5)[0].length == 4);
}
