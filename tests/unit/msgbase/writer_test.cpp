// Writing: creating bases, adding mail for several recipients, posting with
// threads and hashes, attribute changes, header rewrites; every result must
// read back and pass the checker.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/codec.h"
#include "msgbase/hash_record.h"
#include "msgbase/smb_base.h"
#include "owned_message.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

std::unique_ptr<SmbBase> open_rw(const std::string& prefix, uint16_t create_attr = status_attr::EMAIL) {
    BaseOptions o;
    o.create = true;
    o.create_status.attr = create_attr;
    o.retry_time_s = 2;
    auto b = SmbBase::open(prefix, o);
    REQUIRE(b.ok());
    return std::move(*b);
}

test::OwnedMessage local_mail(uint16_t from, const std::string& subject, const std::string& body) {
    test::OwnedMessage m(body);
    m.hdr.add(hf::SENDER, "User " + std::to_string(from));
    m.hdr.add(hf::SENDEREXT, std::to_string(from));
    m.hdr.add(hf::SUBJECT, subject);
    m.hdr.add(hf::RFC822MSGID, "<" + subject + "@test>");
    return m;
}

RecipientCopy to_user(uint16_t u) {
    RecipientCopy c;
    c.append.push_back({hf::RECIPIENT, "User " + std::to_string(u)});
    c.append.push_back({hf::RECIPIENTEXT, std::to_string(u)});
    return c;
}

std::vector<uint16_t> sda(const std::string& prefix) {
    std::string raw = slurp(prefix + ".sda");
    std::vector<uint16_t> v;
    for (size_t i = 0; i + 1 < raw.size(); i += 2) v.push_back(get16(raw.data() + i));
    return v;
}

} // namespace

TEST_CASE("FMT-10 FMT-9 FMT-12 creating a base writes a 3.10 header, empty files and the .ini") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseStatus s;
    s.attr = status_attr::EMAIL;
    s.max_age = 90;
    REQUIRE(SmbBase::create(p, s).ok());
    std::string shd = slurp(p + ".shd");
    REQUIRE(shd.size() == 32);
    auto st = decode_base_header(shd, p);
    REQUIRE(st.ok());
    CHECK(st->version == 0x0310);
    CHECK(st->last_msg == 0);
    CHECK(st->total_msgs == 0);
    CHECK(st->header_offset == 32);
    CHECK(st->max_age == 90);
    CHECK(st->attr == status_attr::EMAIL);
    CHECK(fs::file_size(p + ".sdt") == 0);
    CHECK(fs::file_size(p + ".sid") == 0);
    CHECK_FALSE(fs::exists(p + ".sha"));
    CHECK(slurp(p + ".ini").rfind("Created = 0x", 0) == 0);
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-64 FMT-68 FMT-89 FMT-91 mail for three users shares one data run") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_rw(p);
    auto m = local_mail(1, "Hello", std::string(600, 'x') + "\r\n");
    m.tail = "-- sig";
    auto nums = b->add(m, {to_user(2), to_user(3), to_user(4)});
    REQUIRE(nums.ok());
    CHECK(*nums == std::vector<uint32_t>{1, 2, 3});
    auto idx = b->read_index(true);
    REQUIRE(idx.ok());
    REQUIRE(idx->size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK((*idx)[i].to == i + 2);
        CHECK((*idx)[i].from == 1);
        CHECK((*idx)[i].subj == subject_crc("Hello"));
        auto msg = b->read_message((*idx)[i].number, true);
        REQUIRE(msg.ok());
        CHECK(msg->body == m.body);
        CHECK(msg->tail == m.tail);
        CHECK(msg->hdr.offset == 0);
        CHECK(msg->hdr.thread_id == msg->hdr.number);
        CHECK(msg->hdr.version == 0x0310);
        CHECK(msg->hdr.get(hf::RECIPIENTEXT) == std::to_string(i + 2));
    }
    // body 602 bytes = blocks 0..2, tail shares block 2: 1 + 2 per extra copy there.
    auto counts = sda(p);
    REQUIRE(counts.size() == 3);
    CHECK(counts[0] == 3);
    CHECK(counts[1] == 3);
    CHECK(counts[2] == 5);
    CHECK(fs::file_size(p + ".sdt") % 256 == 0);
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-65 FMT-70 FMT-92 FMT-95 self-packing reuses freed header blocks; delete flags header and index") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_rw(p);
    REQUIRE(b->add(local_mail(1, "one", "a\r\n"), {to_user(2)}).ok());
    REQUIRE(b->add(local_mail(1, "two", "b\r\n"), {to_user(2)}).ok());
    REQUIRE(b->change_attr(1, attr::DELETE, 0).ok());
    auto idx = b->read_index(true);
    REQUIRE(idx.ok());
    CHECK((*idx)[0].attr == attr::DELETE);
    auto h = b->read_message(1, false);
    REQUIRE(h.ok());
    CHECK(h->hdr.attr == attr::DELETE);
    CHECK(problems(p).empty());
    // Free message 1's header block by hand as a purge would; the next add takes it.
    std::fstream sha(p + ".sha", std::ios::in | std::ios::out | std::ios::binary);
    sha.put('\0');
    sha.close();
    auto three = b->add(local_mail(1, "three", "c\r\n"), {to_user(3)});
    REQUIRE(three.ok());
    auto r = b->find(3);
    REQUIRE(r.ok());
    CHECK(r->offset == 32);
}

TEST_CASE("FMT-66 fast allocation always appends") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.alloc = AllocMode::Fast;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    REQUIRE((*b)->add(local_mail(1, "one", "a\r\n"), {to_user(2)}).ok());
    std::fstream sha(p + ".sha", std::ios::in | std::ios::out | std::ios::binary);
    sha.put('\0');
    sha.close();
    REQUIRE((*b)->add(local_mail(1, "two", "b\r\n"), {to_user(2)}).ok());
    CHECK((*b)->find(2)->offset == 32 + 256);
}

TEST_CASE("FMT-67 hyper-allocated bases append without tables") {
    TempDir d;
    auto p = d.prefix("hyper");
    auto b = open_rw(p, status_attr::EMAIL | status_attr::HYPERALLOC);
    REQUIRE(b->add(local_mail(1, "one", "a\r\n"), {to_user(2)}).ok());
    REQUIRE(b->add(local_mail(1, "two", "b\r\n"), {to_user(2)}).ok());
    CHECK_FALSE(fs::exists(p + ".sha"));
    CHECK_FALSE(fs::exists(p + ".sda"));
    CHECK(b->find(2)->offset == 32 + 256);
    CHECK(b->read_message(2, true)->hdr.offset == 256);
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-30 a message without text has no data fields and offset 0") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_rw(p);
    REQUIRE(b->add(local_mail(1, "empty", ""), {to_user(2)}).ok());
    auto m = b->read_message(1, true);
    REQUIRE(m.ok());
    CHECK(m->hdr.dfields.empty());
    CHECK(m->hdr.offset == 0);
    CHECK(fs::file_size(p + ".sdt") == 0);
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-94 FMT-37 a grown header moves, a shrunk one frees its surplus, unknown fields survive") {
    TempDir d;
    auto p = d.prefix("mail");
    auto b = open_rw(p);
    auto m = local_mail(1, "grow", "x\r\n");
    m.hdr.add(0x7F, "unknown-type");
    REQUIRE(b->add(m, {to_user(2)}).ok());
    REQUIRE(b->add(local_mail(1, "after", "y\r\n"), {to_user(2)}).ok());
    REQUIRE(b->update(1, [](MessageHeader& h) { h.add(hf::SMB_COMMENT, std::string(600, 'c')); }).ok());
    auto r = b->find(1);
    REQUIRE(r.ok());
    CHECK(r->offset > 32 + 256);
    auto h = b->read_message(1, true);
    REQUIRE(h.ok());
    CHECK(h->hdr.get(0x7F) == "unknown-type");
    CHECK(h->hdr.fields.back().data.size() == 600);
    CHECK(h->body == "x\r\n");
    CHECK(problems(p).empty());
    REQUIRE(b->update(1, [](MessageHeader& h) { h.fields.pop_back(); }).ok());
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-93 FMT-121 delivery attempts and netattr are kept by a rewrite") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    auto b = open_rw(p);
    auto before = b->read_message(8, true);
    REQUIRE(before.ok());
    REQUIRE(b->update(8, [](MessageHeader& h) { h.delivery_attempts++; h.netattr &= ~netattr::INTRANSIT; }).ok());
    auto m = b->read_message(8, true);
    REQUIRE(m.ok());
    CHECK(m->hdr.delivery_attempts == before->hdr.delivery_attempts + 1);
    CHECK(m->hdr.netattr == before->hdr.netattr);
    REQUIRE(m->hdr.fields.size() == before->hdr.fields.size());
    for (size_t i = 0; i < m->hdr.fields.size(); ++i) CHECK(m->hdr.fields[i].data == before->hdr.fields[i].data);
    CHECK(m->body == before->body);
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-131 FMT-132 FMT-133 FMT-137 adding to the original's mail base keeps it clean") {
    TempDir d;
    auto p = copy_fixture(d, "mail", "mail");
    CHECK(problems(p).empty());
    auto b = open_rw(p);
    auto nums = b->add(local_mail(2, "new one", std::string(5000, 'z')), {to_user(1), to_user(3)});
    REQUIRE(nums.ok());
    CHECK(*nums == std::vector<uint32_t>{10, 11});
    CHECK(problems(p).empty());
    auto bounce = b->add_sharing_data(10, [] {
        MessageHeader h;
        h.add(hf::SENDER, "Mail Delivery Subsystem");
        h.add_u16(hf::SENDERAGENT, agent::SMTPSYSMSG);
        h.add(hf::RECIPIENT, "User 2");
        h.add(hf::RECIPIENTEXT, "2");
        h.add(hf::SUBJECT, "Delivery failure: new one");
        h.add(hf::RFC822MSGID, "<bounce@test>");
        return h;
    }());
    REQUIRE(bounce.ok());
    auto m = b->read_message(*bounce, true);
    REQUIRE(m.ok());
    CHECK(m->body == std::string(5000, 'z'));
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-89 FMT-100 FMT-101 FMT-102 FMT-103 a sub-board reply links its thread, hashes and CRCs") {
    TempDir d;
    auto p = copy_fixture(d, "sub", "general");
    CHECK(problems(p).empty());
    // Our hashes of the fixture messages equal the original's records.
    std::string hashes = slurp(p + ".hash");
    auto b = open_rw(p, 0);
    for (uint32_t n : {1u, 2u}) {
        auto m = b->read_message(n, true);
        REQUIRE(m.ok());
        auto mine = message_hashes(m->hdr, m->body, 0);
        REQUIRE(mine.size() == 2);
        for (int k = 0; k < 2; ++k) {
            HashRecord theirs = decode_hash(hashes.data() + ((n - 1) * 2 + k) * 64);
            CHECK(theirs.flags == mine[k].flags);
            CHECK(theirs.length == mine[k].length);
            CHECK(theirs.crc32 == mine[k].crc32);
            CHECK(theirs.md5 == mine[k].md5);
            CHECK(theirs.sha1 == mine[k].sha1);
        }
    }
    NewMessage r;
    r.hdr.add(hf::RECIPIENT, "Alice");
    r.hdr.add(hf::SENDER, "Sysop");
    r.hdr.add(hf::SENDEREXT, "1");
    r.hdr.add(hf::SUBJECT, "Re: Re: First post");
    r.hdr.add(hf::RFC822MSGID, "<third@test>");
    r.hdr.thread_back = 2;
    r.body = "third body\r\n";
    auto n = b->add(r, {});
    REQUIRE(n.ok());
    CHECK(n->front() == 3);
    auto m3 = b->read_message(3, true);
    REQUIRE(m3.ok());
    CHECK(m3->hdr.thread_id == 1);
    CHECK(m3->hdr.get(hf::RFC822REPLYID) == "<69564870.2.GENERAL@bbs.example.com>");
    auto m2 = b->read_message(2, false);
    CHECK(m2->hdr.thread_first == 3);
    CHECK((m2->hdr.attr & attr::REPLIED) != 0);
    auto idx = b->find(3);
    CHECK(idx->to == name_crc("alice"));
    CHECK(idx->from == 0xA68D);
    CHECK(idx->subj == 0xBCA7);
    CHECK(fs::file_size(p + ".hash") == 6 * 64);
    CHECK(fs::file_size(p + ".sch") == 12);
    CHECK(problems(p).empty());
    // The same body again is a duplicate.
    r.hdr.fields.back().data = "<fourth@test>";
    auto dup = b->add(r, {});
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().code == ErrorCode::Invalid);
    CHECK(problems(p).empty());
}

TEST_CASE("FMT-84 FMT-82 writes wait for .lock and time out with a Locked error") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.retry_time_s = 1;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    { std::ofstream(p + ".lock"); }
    auto r = (*b)->add(local_mail(1, "x", "y"), {to_user(2)});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Locked);
    fs::remove(p + ".lock");
    CHECK((*b)->add(local_mail(1, "x", "y"), {to_user(2)}).ok());
}

TEST_CASE("FMT-80 FMT-79 another description's base-header lock blocks a writer until timeout") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.retry_time_s = 1;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    auto other = File::open(p + ".shd", false);
    REQUIRE(other.ok());
    REQUIRE(other->try_lock(0, 32).value());
    auto t0 = monotonic_ms();
    auto r = (*b)->add(local_mail(1, "x", "y"), {to_user(2)});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Locked);
    CHECK(monotonic_ms() - t0 >= 1000);
    other->unlock(0, 32);
    CHECK((*b)->add(local_mail(1, "x", "y"), {to_user(2)}).ok());
}

TEST_CASE("FMT-83 .sda is locked whole-file during an add") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.retry_time_s = 1;
    auto b = SmbBase::open(p, o);
    REQUIRE(b.ok());
    auto sda = File::open(p + ".sda", true);
    REQUIRE(sda.ok());
    REQUIRE(sda->try_lock(0, 0).value());
    auto r = (*b)->add(local_mail(1, "x", "y"), {to_user(2)});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Locked);
    sda->unlock(0, 0);
    CHECK(problems(p).empty());                  // the failed add left nothing behind
    CHECK((*b)->add(local_mail(1, "x", "y"), {to_user(2)}).ok());
    CHECK(problems(p).empty());
}
