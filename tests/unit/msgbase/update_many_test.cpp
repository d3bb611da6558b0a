// ISSUE14-1: SmbBase::update_many rewrites the fixed part of many headers
// under one lock with one fsync pair (SendMail's claim of a round), keeping
// every field and leaving a base chksmb finds clean.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/smb_base.h"
#include "owned_message.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

TEST_CASE("ISSUE14-1 update_many sets netattr on many headers and keeps their fields", "[msgbase]") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto b = SmbBase::open(p, o);
    REQUIRE(b);
    std::vector<uint32_t> numbers;
    for (int i = 1; i <= 5; ++i) {
        test::OwnedMessage m("text " + std::to_string(i) + "\r\n");
        m.hdr.add(hf::SENDER, "Sysop");
        m.hdr.add(hf::SUBJECT, "outbound " + std::to_string(i));
        m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(i) + "@update-many>");
        std::vector<RecipientCopy> copies(1);
        copies[0].append = {{hf::RECIPIENT, "bob@remote.example"}, {hf::RECIPIENTNETADDR, "bob@remote.example"}};
        auto n = (*b)->add(m, copies);
        REQUIRE(n);
        numbers.insert(numbers.end(), n->begin(), n->end());
    }
    std::vector<uint32_t> some{numbers[0], numbers[2], numbers[4]};
    REQUIRE((*b)->update_many(some, [&](size_t i, MessageHeader& h) {
        h.netattr |= netattr::INTRANSIT;
        h.delivery_attempts = uint16_t(i + 1);
    }));
    for (size_t k = 0; k < numbers.size(); ++k) {
        auto m = (*b)->read_message(numbers[k], false);
        REQUIRE(m);
        bool marked = k % 2 == 0;
        CHECK(bool(m->hdr.netattr & netattr::INTRANSIT) == marked);
        CHECK(m->hdr.delivery_attempts == (marked ? k / 2 + 1 : 0));
        CHECK(m->hdr.get(hf::SUBJECT) == "outbound " + std::to_string(k + 1));
        CHECK(m->hdr.get(hf::RECIPIENTNETADDR) == "bob@remote.example");
    }
    b->reset();
    // chksmb notes the in-transit flags it finds; nothing else (an index
    // record out of step with its header would show here).
    for (auto& problem : check_base(p)) CHECK(describe(problem).find("flagged in transit") != std::string::npos);
}
