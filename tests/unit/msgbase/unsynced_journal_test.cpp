// Issue #14 review, finding 4: an update written without its fsync stays
// in the update journal until sync_updates() has synced header and index,
// so a power loss keeping only one of them leaves recovery something to
// match up; a later update's entry keeps listing it.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/smb_base.h"
#include "owned_message.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {
std::vector<uint32_t> add_three(SmbBase& b) {
    std::vector<uint32_t> numbers;
    for (int i = 1; i <= 3; ++i) {
        test::OwnedMessage m("text " + std::to_string(i) + "\r\n");
        m.hdr.add(hf::SENDER, "Sysop");
        m.hdr.add(hf::SUBJECT, "outbound " + std::to_string(i));
        m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(i) + "@unsynced-journal>");
        std::vector<RecipientCopy> copies(1);
        copies[0].append = {{hf::RECIPIENT, "bob@remote.example"}, {hf::RECIPIENTNETADDR, "bob@remote.example"}};
        auto n = b.add(m, copies);
        REQUIRE(n);
        numbers.insert(numbers.end(), n->begin(), n->end());
    }
    return numbers;
}

// The numbers the journal lists ("UPD2", count, numbers, crc), or none when cleared.
std::vector<uint32_t> journaled(const std::string& prefix) {
    std::string j = slurp(prefix + ".updating");
    std::vector<uint32_t> out;
    if (j.size() < 12 || j.substr(0, 4) != "UPD2") return out;
    auto u32 = [&](size_t at) {
        return uint32_t(uint8_t(j[at])) | uint32_t(uint8_t(j[at + 1])) << 8 | uint32_t(uint8_t(j[at + 2])) << 16 |
               uint32_t(uint8_t(j[at + 3])) << 24;
    };
    for (uint32_t k = 0; k < u32(4); ++k) out.push_back(u32(8 + 4 * k));
    std::sort(out.begin(), out.end());
    return out;
}

Status mark_sent(SmbBase& b, uint32_t n, bool sync) {
    std::vector<bool> written;
    return b.update_many_if({n}, [](size_t, MessageHeader& h) { h.netattr |= netattr::SENT; return true; }, sync,
                            written);
}
} // namespace

TEST_CASE("ISSUE14-4 FMT-92 an unsynced header update stays journaled until sync_updates()", "[msgbase]") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto b = SmbBase::open(p, o);
    REQUIRE(b);
    auto n = add_three(**b);
    REQUIRE(mark_sent(**b, n[0], false));
    CHECK(journaled(p) == std::vector<uint32_t>{n[0]});
    REQUIRE(mark_sent(**b, n[1], false));   // the next entry still lists the first
    CHECK(journaled(p) == std::vector<uint32_t>{n[0], n[1]});
    REQUIRE((*b)->change_attr(n[2], attr::DELETE, 0));   // another kind of update keeps them too
    CHECK(journaled(p) == std::vector<uint32_t>{n[0], n[1]});
    REQUIRE((*b)->sync_updates());
    CHECK(journaled(p).empty());
    CHECK(slurp(p + ".updating").substr(0, 4) == "UPD0");
    b->reset();
    for (auto& problem : check_base(p)) FAIL(describe(problem));
}

TEST_CASE("ISSUE14-4 FMT-92 a synced update clears the journal, unsynced ones with it", "[msgbase]") {
    TempDir d;
    auto p = d.prefix("mail");
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto b = SmbBase::open(p, o);
    REQUIRE(b);
    auto n = add_three(**b);
    REQUIRE(mark_sent(**b, n[0], false));
    REQUIRE(mark_sent(**b, n[1], true));   // its fsyncs cover the first one's writes too
    CHECK(journaled(p).empty());
}
