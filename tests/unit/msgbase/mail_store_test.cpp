// SmbMailStore over a copy of the fixture mail base and a sub-board base.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/smb_mail_store.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

struct Fixture {
    TempDir dir;
    std::string mail = copy_fixture(dir, "mail", "mail");
    std::string sub = copy_fixture(dir, "sub", "general");
    SmbMailStore store{mail, BaseOptions{}, [this](const std::string& code) -> std::optional<SubBase> {
                           if (code != "general" && code != "GENERAL") return std::nullopt;
                           return SubBase{sub, {}};
                       }};
};

std::vector<uint32_t> numbers(const std::vector<MailSummary>& v) {
    std::vector<uint32_t> n;
    for (auto& s : v) n.push_back(s.number);
    return n;
}

} // namespace

TEST_CASE("FMT-108 FMT-123 mailbox listing and waiting counts come from the index") {
    Fixture f;
    auto l = f.store.list_mailbox(2);
    REQUIRE(l.ok());
    CHECK(numbers(*l) == std::vector<uint32_t>{1, 2, 6, 7});
    CHECK((*l)[2].attr == attr::SPAM);
    CHECK((*l)[0].from_user == 1);
    CHECK(f.store.count_waiting(2).value() == 4);
    CHECK(f.store.count_waiting(1).value() == 1);
    // Listing never touches message text or headers: destroy both, it still works.
    fs::resize_file(f.mail + ".sdt", 0);
    { std::ofstream(f.mail + ".shd", std::ios::in | std::ios::out | std::ios::binary).seekp(64).write("garbage!", 8); }
    CHECK(numbers(f.store.list_mailbox(2).value()) == std::vector<uint32_t>{1, 2, 6, 7});
    CHECK(f.store.count_waiting(2).value() == 4);
}

TEST_CASE("FMT-76 FMT-86 mail a user sent that is still in the base counts by the index's from") {
    Fixture f;
    auto all = f.store.list_mailbox(2);                        // any listing opens the base
    REQUIRE(all.ok());
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(f.mail, ro);
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(false);
    REQUIRE(idx.ok());
    uint32_t from1 = 0, first = 0;
    for (auto& r : *idx)
        if (r.from == 1 && !(r.attr & attr::DELETE)) {
            ++from1;
            if (!first) first = r.number;
        }
    REQUIRE(from1 > 0);
    CHECK(f.store.count_sent(1).value() == from1);
    CHECK(f.store.count_sent(0).value() == 0);                 // 0 = not a local sender
    REQUIRE(f.store.change_attr(first, attr::DELETE, 0).ok());
    CHECK(f.store.count_sent(1).value() == from1 - 1);
    NewMessage m;
    m.hdr.add(hf::SENDER, "Sysop");
    m.hdr.add(hf::SENDEREXT, "1");
    m.body = "two copies\r\n";
    std::vector<RecipientCopy> copies(2);
    copies[0].append = {{hf::RECIPIENT, "A"}, {hf::RECIPIENTEXT, "2"}};
    copies[1].append = {{hf::RECIPIENT, "B"}, {hf::RECIPIENTEXT, "3"}};
    REQUIRE(f.store.add_mail(m, copies).ok());
    CHECK(f.store.count_sent(1).value() == from1 + 1);
}

TEST_CASE("FMT-118 FMT-117 the outbound queue holds Internet mail not sent, deleted or in transit") {
    Fixture f;
    CHECK(f.store.queued_outbound(false).value() == std::vector<uint32_t>{4, 8});
    auto m = f.store.read(4, false);
    REQUIRE(m.ok());
    m->hdr.netattr |= netattr::INTRANSIT;
    REQUIRE(f.store.update_header(m->hdr).ok());
    CHECK(f.store.queued_outbound(false).value() == std::vector<uint32_t>{8});
    CHECK(f.store.queued_outbound(true).value() == std::vector<uint32_t>{4, 8});
    m->hdr.netattr = uint16_t((m->hdr.netattr & ~netattr::INTRANSIT) | netattr::SENT);
    REQUIRE(f.store.update_header(m->hdr).ok());
    CHECK(f.store.queued_outbound(true).value() == std::vector<uint32_t>{8});
    CHECK(problems(f.mail).empty());
}

TEST_CASE("FMT-120 FMT-121 recording attempts and marking mail keeps header fields and the index in step") {
    Fixture f;
    auto m = f.store.read(8, true);
    REQUIRE(m.ok());
    auto fields = m->hdr.fields;
    m->hdr.delivery_attempts = 3;
    m->hdr.attr |= attr::DELETE;
    REQUIRE(f.store.update_header(m->hdr).ok());
    auto again = f.store.read(8, true);
    REQUIRE(again.ok());
    CHECK(again->hdr.delivery_attempts == 3);
    CHECK(again->hdr.fields.size() == fields.size());
    CHECK(again->body == m->body);
    REQUIRE(f.store.change_attr(1, attr::READ | attr::KILLREAD, 0).ok());
    CHECK(f.store.read(1, false)->hdr.attr == (attr::READ | attr::KILLREAD));
    CHECK(problems(f.mail).empty());
}

TEST_CASE("FMT-115 FMT-64 delivering to several users and bouncing share the stored text") {
    Fixture f;
    NewMessage msg;
    msg.hdr.add(hf::SENDER, "Bob");
    msg.hdr.add_u16(hf::SENDERNETTYPE, net::INTERNET);
    msg.hdr.add(hf::SENDERNETADDR, "bob@remote.example");
    msg.hdr.add(hf::SUBJECT, "hello");
    msg.hdr.add(hf::RFC822MSGID, "<x@remote>");
    msg.body = "text\r\n";
    RecipientCopy a, c;
    a.prepend = {{hf::SMTPRECEIVED, "from a"}};
    a.append = {{hf::RECIPIENT, "Alice"}, {hf::RECIPIENTEXT, "2"}};
    c.prepend = {{hf::SMTPRECEIVED, "from c"}};
    c.append = {{hf::RECIPIENT, "Carol"}, {hf::RECIPIENTEXT, "3"}};
    auto n = f.store.add_mail(msg, {a, c});
    REQUIRE(n.ok());
    CHECK(*n == std::vector<uint32_t>{10, 11});
    CHECK(f.store.last_msg().value() == 11);
    auto m = f.store.read(11, true);
    REQUIRE(m.ok());
    CHECK(m->hdr.fields.front().data == "from c");
    CHECK(m->hdr.fields.back().data == "3");
    CHECK(m->body == "text\r\n");
    MessageHeader bounce;
    bounce.add(hf::SENDER, "Mail Delivery Subsystem");
    bounce.add_u16(hf::SENDERAGENT, agent::SMTPSYSMSG);
    bounce.add(hf::RECIPIENT, "Alice");
    bounce.add(hf::RECIPIENTEXT, "2");
    bounce.add(hf::SUBJECT, "Delivery failure: hello");
    bounce.add(hf::RFC822MSGID, "<bounce.10@bbs>");
    auto b = f.store.add_sharing_data(10, bounce);
    REQUIRE(b.ok());
    CHECK(f.store.read(*b, true)->body == "text\r\n");
    CHECK(f.store.count_waiting(2).value() == 6);
    CHECK(problems(f.mail).empty());
}

TEST_CASE("FMT-75 FMT-74 posting to a sub-board by code, any case") {
    Fixture f;
    NewMessage post;
    post.hdr.add(hf::SENDER, "Alice");
    post.hdr.add(hf::SENDEREXT, "2");
    post.hdr.add(hf::SUBJECT, "Hello all");
    post.hdr.add(hf::RFC822MSGID, "<post@test>");
    post.body = "a post\r\n";
    auto n = f.store.post_to_sub("GENERAL", post);
    REQUIRE(n.ok());
    CHECK(*n == 3);
    CHECK_FALSE(f.store.post_to_sub("nosuch", post).ok());
    CHECK(problems(f.sub).empty());
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(f.sub, ro);
    REQUIRE(b.ok());
    auto idx = (*b)->find(3);
    REQUIRE(idx.ok());
    CHECK(idx->to == name_crc("All"));
    CHECK(idx->from == name_crc("alice"));
    CHECK(idx->subj == subject_crc("hello all"));
}

TEST_CASE("FMT-105 a missing mail base is created as an e-mail base") {
    TempDir d;
    BaseOptions o;
    o.create_status.max_age = 90;
    SmbMailStore store(d.prefix("mail"), o, nullptr);
    CHECK(store.count_waiting(1).value() == 0);
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(d.prefix("mail"), ro);
    REQUIRE(b.ok());
    auto s = (*b)->status();
    CHECK(s->attr == status_attr::EMAIL);
    CHECK(s->max_age == 90);
}
