// Reading the fixture bases written by the original, message by message and
// field by field against their dumps and decoded bodies.
#include "fixture_support.h"

#include "msgbase/checksum.h"
#include "msgbase/codec.h"
#include "msgbase/lzh.h"
#include "msgbase/smb_base.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

std::unique_ptr<SmbBase> open_ro(const std::string& prefix) {
    BaseOptions o;
    o.read_only = true;
    auto b = SmbBase::open(prefix, o);
    REQUIRE(b.ok());
    return std::move(*b);
}

// Every header value the dump shows, compared with what we decoded.
void compare_with_dump(const MessageHeader& h, const DumpHeader& d) {
    auto v = [&](const char* k) { auto it = d.values.find(k); REQUIRE(it != d.values.end()); return it->second; };
    CHECK(h.type == hexval(v("type")));
    CHECK(h.version == hexval(v("version")));
    CHECK(h.attr == hexval(v("attr")));
    CHECK(h.auxattr == hexval(v("auxattr")));
    CHECK(h.netattr == hexval(v("netattr")));
    CHECK(h.header_offset == hexval(v("header_offset")));
    CHECK(h.offset == hexval(v("data_offset")));
    CHECK(h.number == std::stoul(v("number")));
    CHECK(h.thread_id == std::stoul(v("thread_id")));
    CHECK(h.fields.size() == std::stoul(v("header_fields")));
    auto len = v("header_length");
    CHECK(computed_header_length(h) == std::stoul(len.substr(len.find("calc: ") + 6)));
    auto ww = v("when_written"), wi = v("when_imported");
    CHECK(h.when_written.time == hexval(ww.substr(0, 8)));
    CHECK(uint16_t(h.when_written.zone) == hexval(ww.substr(9, 4)));
    CHECK(h.when_imported_time == hexval(wi.substr(0, 8)));
    CHECK(uint16_t(h.when_imported_zone) == hexval(wi.substr(9, 4)));
    if (d.values.count("thread_first")) CHECK(h.thread_first == std::stoul(v("thread_first")));
    if (d.values.count("thread_back")) CHECK(h.thread_back == std::stoul(v("thread_back")));
    if (d.values.count("delivery_attempts")) CHECK(h.delivery_attempts == std::stoul(v("delivery_attempts")));
    REQUIRE(h.dfields.size() == d.dfields.size());
    for (size_t i = 0; i < h.dfields.size(); ++i) {
        std::string want = std::string(h.dfields[i].type == 0 ? " TEXT_BODY" : " TEXT_TAIL") + ", offset " +
                           std::to_string(h.dfields[i].offset) + ", length " + std::to_string(h.dfields[i].length);
        CHECK(d.dfields[i].substr(d.dfields[i].find_first_not_of(' ') - 1) == want);
    }
    REQUIRE(h.fields.size() == d.fields.size());
    for (size_t i = 0; i < h.fields.size(); ++i) {             // stored order, raw bytes
        CHECK(h.fields[i].type == d.fields[i].type);
        CHECK(h.fields[i].data == d.fields[i].data);
    }
}

void read_whole_base(const std::string& dir, const std::string& name, bool email) {
    auto root = fixtures_dir() / "msgbase" / dir;
    Dump dump = parse_dump(root / (name + ".dump.txt"));
    auto b = open_ro((root / name).string());
    auto st = b->status();
    REQUIRE(st.ok());
    CHECK(st->last_msg == std::stoul(dump.status["last_msg"]));
    CHECK(st->total_msgs == std::stoul(dump.status["total_msgs"]));
    CHECK(st->header_offset == std::stoul(dump.status["header_offset"]));
    CHECK(st->max_crcs == std::stoul(dump.status["max_crcs"]));
    CHECK(st->max_msgs == std::stoul(dump.status["max_msgs"]));
    CHECK(st->max_age == std::stoul(dump.status["max_age"]));
    CHECK(st->attr == hexval(dump.status["attr"]));
    CHECK(bool(st->attr & status_attr::EMAIL) == email);
    auto idx = b->read_index(true);
    REQUIRE(idx.ok());
    REQUIRE(idx->size() == dump.index.size());
    for (size_t i = 0; i < idx->size(); ++i) {
        auto& r = (*idx)[i];
        auto& w = dump.index[i];
        INFO("index record " << w.number);
        CHECK(r.number == w.number);
        CHECK(r.from == w.from);
        CHECK(r.to == w.to);
        CHECK(r.subj == w.subj);
        CHECK(r.attr == w.attr);
        CHECK(r.offset == w.offset);
        auto m = b->read_message(r.number, true);
        REQUIRE(m.ok());
        compare_with_dump(m->hdr, dump.headers.at(r.number));
        CHECK(r.time == m->hdr.when_imported_time);
        // The index values we would compute from the header are the stored ones.
        IndexRecord mine = index_for(m->hdr, email);
        CHECK(mine.to == r.to);
        CHECK(mine.from == r.from);
        CHECK(mine.subj == r.subj);
        auto body = root / "bodies" / (std::to_string(r.number) + ".body.txt");
        auto tail = root / "bodies" / (std::to_string(r.number) + ".tail.txt");
        CHECK(m->body == (fs::exists(body) ? slurp(body) : std::string()));
        CHECK(m->tail == (fs::exists(tail) ? slurp(tail) : std::string()));
    }
}

} // namespace

TEST_CASE("FMT-11 FMT-13 FMT-14 FMT-20 FMT-22 FMT-28 FMT-31 FMT-43 FMT-45 FMT-72 FMT-73 FMT-76 FMT-98 mail fixture read field by field") {
    read_whole_base("mail", "mail", true);
}

TEST_CASE("FMT-75 FMT-74 FMT-29 FMT-47 FMT-52 FMT-53 FMT-54 FMT-55 FMT-56 FMT-57 FMT-59 FMT-60 sub-board fixture read field by field, LZH body and tails") {
    read_whole_base("sub", "general", false);
}

TEST_CASE("FMT-124 FMT-125 CRC check values") {
    CHECK(crc16("123456789") == 0x31C3);
    CHECK(crc16("sysop") == 0xA68D);
    CHECK(crc32("123456789") == 0xCBF43926u);
}

TEST_CASE("FMT-126 MD5 and SHA-1 test vectors") {
    auto m = md5("abc");
    auto s = sha1("abc");
    CHECK(m[0] == 0x90); CHECK(m[1] == 0x01); CHECK(m[15] == 0x72);
    CHECK(s[0] == 0xa9); CHECK(s[1] == 0x99); CHECK(s[19] == 0x9d);
}

TEST_CASE("FMT-74 subject CRC strips any number of Re: prefixes, case and trailing space") {
    CHECK(subject_crc("Re: First post") == crc16("first post"));
    CHECK(subject_crc("RE:re:  First Post \t\r\n") == crc16("first post"));
    CHECK(subject_crc("") == crc16(""));
    CHECK(name_crc("Sysop  ") == 0xA68D);
}

TEST_CASE("FMT-108 FMT-86 mail waiting counts from the mail fixture index") {
    auto b = open_ro((fixtures_dir() / "msgbase/mail/mail").string());
    auto idx = b->read_index(false);
    REQUIRE(idx.ok());
    auto waiting = [&](uint16_t u, bool no_spam) {
        int n = 0;
        for (auto& r : *idx)
            if (r.to == u && !(r.attr & attr::DELETE) && !(no_spam && (r.attr & attr::SPAM))) ++n;
        return n;
    };
    CHECK(waiting(2, false) == 4);
    CHECK(waiting(2, true) == 3);
    CHECK(waiting(1, false) == 1);
    auto seven = b->find(7);
    REQUIRE(seven.ok());
    CHECK(seven->offset == 0xE20);
}

TEST_CASE("FMT-49 retrieval text puts comments first and ends fields with CRLF") {
    Message m;
    m.hdr.add(hf::SMB_COMMENT, "note");
    m.body = "hi";
    m.tail = "sig";
    CHECK(retrieval_text(m, true) == "note\r\n\r\nhi\r\nsig\r\n");
    CHECK(retrieval_text(m, false) == "note\r\n\r\nhi\r\n");
}
