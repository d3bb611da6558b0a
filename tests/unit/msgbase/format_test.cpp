// Byte-level format rules: encoding of header records, constants, dates,
// repeated fields, old header versions, index record sizes.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/codec.h"
#include "msgbase/smb_base.h"

#include <catch.hpp>

#include <cstdlib>
#include <ctime>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

TEST_CASE("FMT-1 FMT-2 FMT-3 FMT-4 FMT-5 FMT-18 FMT-20 FMT-21 an encoded header is packed, little-endian, block-padded") {
    MessageHeader h;
    h.attr = 0x0102;
    h.auxattr = 0x03040506;
    h.number = 0x0A0B0C0D;
    h.offset = 0x1100;
    h.dfields.push_back({dfield::TEXT_BODY, 0, 0x30});
    h.add(hf::SENDER, "Al");
    h.add(hf::SUBJECT, "");
    auto b = encode_header(h);
    REQUIRE(b.ok());
    const std::string& s = *b;
    REQUIRE(s.size() == 256);
    uint32_t len = 70 + 10 + (4 + 2) + (4 + 0);
    CHECK(get16(s.data() + 8) == len);
    CHECK(uint8_t(s[0x0A]) == 0x02);
    CHECK(uint8_t(s[0x0B]) == 0x01);
    CHECK(uint8_t(s[0x0C]) == 0x06);
    CHECK(uint8_t(s[0x0F]) == 0x03);
    CHECK(uint8_t(s[0x20]) == 0x0D);
    CHECK(get32(s.data() + 0x40) == 0x1100);
    CHECK(get16(s.data() + 0x44) == 1);
    CHECK(get16(s.data() + 70) == dfield::TEXT_BODY);
    CHECK(get32(s.data() + 76) == 0x30);
    CHECK(get16(s.data() + 80) == hf::SENDER);
    CHECK(get16(s.data() + 82) == 2);
    CHECK(s.substr(84, 2) == "Al");                           // no NUL terminator
    CHECK(get16(s.data() + 86) == hf::SUBJECT);
    CHECK(get16(s.data() + 88) == 0);                         // empty field allowed
    CHECK(s.find_first_not_of('\0', len) == std::string::npos);
    auto back = decode_header(s);
    REQUIRE(back.ok());
    CHECK(back->fields.size() == 2);
    CHECK(back->fields[1].data.empty());
    MessageHeader big;
    big.add(hf::SMB_COMMENT, std::string(65000, 'x'));
    big.add(hf::SMB_COMMENT, std::string(1000, 'x'));
    CHECK_FALSE(encode_header(big).ok());
}

TEST_CASE("ISSUE13-8 SMTP-184 a header over the SMB 64 KiB is refused as too large, not as invalid") {
    MessageHeader big;
    for (int i = 0; i < 5000; ++i) big.add(hf::RFC822HEADER, "X-F: 123456");   // 11 bytes + 4 per field
    auto encoded = encode_header(big);
    REQUIRE_FALSE(encoded.ok());
    CHECK(encoded.error().code == ErrorCode::TooLarge);
}

TEST_CASE("FMT-38 FMT-39 FMT-40 FMT-41 FMT-42 FMT-14 FMT-35 attribute, net and agent values") {
    CHECK(attr::DELETE == 0x0010);
    CHECK(attr::KILLREAD == 0x0040);
    CHECK(attr::SPAM == 0x4000);
    CHECK(attr::NOREPLY == 0x0400);
    CHECK(auxattr::MIMEATTACH == 0x04);
    CHECK(auxattr::HFIELDS_UTF8 == 0x2000);
    CHECK(netattr::INTRANSIT == 0x0002);
    CHECK(netattr::KILLSENT == 0x0008);
    CHECK(net::INTERNET == 5);
    CHECK(agent::SMTPSYSMSG == 3);
    CHECK(status_attr::HYPERALLOC == 0x0002);
    CHECK(hf::SENDERNETTYPE == hf::SENDERNETADDR - 1);
    CHECK(hf::RECIPIENTNETTYPE == hf::RECIPIENTNETADDR - 1);
    CHECK(hf::REPLYTONETTYPE == hf::REPLYTONETADDR - 1);
}

TEST_CASE("FMT-23 message type follows the attributes") {
    CHECK(type_for_attr(0) == 0);
    CHECK(type_for_attr(attr::POLL) == 1);
    CHECK(type_for_attr(attr::UPVOTE) == 2);
    CHECK(type_for_attr(attr::POLL | attr::UPVOTE | attr::DOWNVOTE) == 3);
    CHECK(type_for_attr(attr::FILE | attr::POLL) == 4);
}

TEST_CASE("FMT-24 FMT-25 FMT-26 FMT-27 writers pack when_written as local wall clock with a minutes zone") {
    const char* old = getenv("TZ");
    std::string saved = old ? old : "";
    setenv("TZ", "America/New_York", 1);
    tzset();
    When w = when_from_unix(0x695645A0);                    // fixture mail #1: Jan 1 2026 05:00 EST
    CHECK(w.year == 2026);
    CHECK(w.time == 0x00425000);
    CHECK(w.zone == -300);
    CHECK((w.time >> 26) == 0);                              // not a legacy Unix time
    if (old) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
    tzset();
}

TEST_CASE("FMT-32 FMT-76 the last of repeated single-valued fields counts") {
    MessageHeader h;
    h.add(hf::RECIPIENTEXT, "2");
    h.add(hf::SUBJECT, "first");
    h.add(hf::RECIPIENTEXT, "7");
    h.add(hf::SUBJECT, "second");
    IndexRecord r = index_for(h, true);
    CHECK(r.to == 7);
    CHECK(r.from == 0);
    CHECK(r.subj == subject_crc("second"));
    CHECK(user_number("70000") == uint16_t(70000));
}

TEST_CASE("FMT-34 binary header fields are little-endian u16 values") {
    MessageHeader h;
    h.add_u16(hf::SENDERNETTYPE, net::INTERNET);
    CHECK(h.get(hf::SENDERNETTYPE) == std::string("\x05\x00", 2));
    CHECK(h.get_u16(hf::SENDERNETTYPE) == net::INTERNET);
    h.add(hf::RECIPIENTNETTYPE, "\x05");
    CHECK_FALSE(h.get_u16(hf::RECIPIENTNETTYPE).has_value());
}

TEST_CASE("FMT-77 FMT-78 index record size by base kind; zero-numbered records are skipped") {
    BaseStatus s;
    CHECK(index_record_len(s) == 20);
    s.attr = status_attr::FILE_DIRECTORY;
    CHECK(index_record_len(s) == 128);
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    {
        std::fstream f(p + ".sid", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(20 * 4 + 12);
        f.write("\0\0\0\0", 4);                               // message 5's record now number 0
    }
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(p, ro);
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(false);
    REQUIRE(idx.ok());
    CHECK(idx->size() == 8);
    for (auto& r : *idx) CHECK(r.number != 0);
}

TEST_CASE("FMT-127 FMT-128 FMT-129 old headers read and keep their version and legacy times on rewrite") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    {
        std::fstream f(p + ".shd", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(0x20 + 6);
        f.write("\x00\x03", 2);                                // version 3.00
        f.seekp(0x20 + 0x12);
        f.write("\x00\x00\xA0\x45\x56\x69", 6);               // year 0, time = Unix time (bits 26+ set)
        f.seekp(0x20 + 0x34);
        f.write("\0\0\0\0", 4);                               // thread_id unknown
    }
    BaseOptions o;
    o.retry_time_s = 2;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    auto m = (*b)->read_message(1, true);
    REQUIRE(m.ok());
    CHECK(m->hdr.version == 0x0300);
    CHECK(m->hdr.when_written.time == 0x695645A0u);
    CHECK((m->hdr.when_written.time >> 26) != 0);
    CHECK(m->hdr.thread_id == 0);
    REQUIRE((*b)->change_attr(1, 0, attr::READ).ok());
    auto again = (*b)->read_message(1, true);
    REQUIRE(again.ok());
    CHECK(again->hdr.version == 0x0300);
    CHECK(again->hdr.when_written.time == 0x695645A0u);
    CHECK(again->hdr.attr == 0);
    CHECK(again->body == m->body);
}

TEST_CASE("FMT-90 FMT-71 an add failing after its data was stored releases the data") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.retry_time_s = 1;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    NewMessage m;
    m.hdr.add(hf::SENDER, "A");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::RFC822MSGID, "<a@b>");
    std::string text(1000, 'q');
    m.body = text;
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "B"}, {hf::RECIPIENTEXT, "2"}};
    REQUIRE((*b)->add(m, {c}).ok());
    auto sda_before = slurp(p + ".sda");
    auto sdt_size = fs::file_size(p + ".sdt");
    auto sha = File::open(p + ".sha", true);                  // held by "someone else"
    REQUIRE(sha.ok());
    REQUIRE(sha->try_lock(0, 0).value());
    auto r = (*b)->add(m, {c});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Locked);
    CHECK(slurp(p + ".sda") == sda_before);
    CHECK(fs::file_size(p + ".sdt") == sdt_size);
    sha->unlock(0, 0);
    CHECK(check_base(p).empty());
}

TEST_CASE("FMT-6 FMT-8 FMT-17 FMT-19 FMT-50 FMT-51 FMT-62 FMT-63 files, block alignment and table lengths after adds") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    for (int i = 0; i < 5; ++i) {
        NewMessage m;
        m.hdr.add(hf::SENDER, "A");
        m.hdr.add(hf::SENDEREXT, "1");
        m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(i) + "@b>");
        m.hdr.add(hf::SMB_COMMENT, std::string(size_t(i) * 200, 'c'));
        std::string text(size_t(i) * 333 + 1, 'q');
        m.body = text;
        RecipientCopy c;
        c.append = {{hf::RECIPIENT, "B"}, {hf::RECIPIENTEXT, "2"}};
        REQUIRE((*b)->add(m, {c}).ok());
    }
    for (auto ext : {"shd", "sdt", "sid", "sha", "sda", "ini"}) CHECK(fs::exists(p + "." + ext));
    CHECK_FALSE(fs::exists(p + ".hash"));                      // never for the mail base
    CHECK_FALSE(fs::exists(p + ".sch"));
    auto shd = fs::file_size(p + ".shd"), sdt = fs::file_size(p + ".sdt");
    CHECK((shd - 32) % 256 == 0);
    CHECK(sdt % 256 == 0);
    CHECK(fs::file_size(p + ".sha") == (shd - 32) / 256);
    CHECK(fs::file_size(p + ".sda") == sdt / 256 * 2);
    auto idx = (*b)->read_index(true);
    REQUIRE(idx.ok());
    std::string data = slurp(p + ".sdt");
    for (auto& r : *idx) {
        CHECK((r.offset - 32) % 256 == 0);
        auto m = (*b)->read_message(r.number, false);
        REQUIRE(m.ok());
        CHECK(get16(data.data() + m->hdr.offset) == xlat::NONE);   // stored uncompressed
    }
}
