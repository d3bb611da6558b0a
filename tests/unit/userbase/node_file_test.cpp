// ctrl/node.dab: reading who is on line and setting only the misc bits we own.
#include "temp_install.h"

#include "userbase/node_file.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

NodeRecord node(uint8_t status, uint16_t user, uint16_t misc = 0) {
    NodeRecord n;
    n.status = status;
    n.useron = user;
    n.misc = misc;
    n.errors = 7;
    n.action = 9;
    n.connection = 0x1234;
    n.aux = 0xbeef;
    n.extaux = 0xa1b2c3d4;
    return n;
}

std::string dab(std::initializer_list<NodeRecord> nodes) {
    std::string s;
    for (auto& n : nodes) s += n.encode();
    return s;
}

RetryPolicy fast(unsigned attempts = 2) {
    RetryPolicy p;
    p.max_attempts = attempts;
    p.sleep = nullptr;
    return p;
}

} // namespace

TEST_CASE("USER-60 node.dab records are 15 packed little-endian bytes") {
    const char raw[15] = {3, 1, 2, 0x05, 0x01, 0x34, 0x12, 0x48, 0x00, (char)0xef, (char)0xbe,
                          (char)0xd4, (char)0xc3, (char)0xb2, (char)0xa1};
    NodeRecord n = NodeRecord::decode(raw);
    CHECK(n.status == 3);
    CHECK(n.errors == 1);
    CHECK(n.action == 2);
    CHECK(n.useron == 0x105);
    CHECK(n.connection == 0x1234);
    CHECK(n.misc == 0x48);
    CHECK(n.aux == 0xbeef);
    CHECK(n.extaux == 0xa1b2c3d4);
    CHECK(n.encode() == std::string(raw, 15));
}

TEST_CASE("USER-60 only nodes 1..count of [node_dir] are examined") {
    test::TempInstall inst;
    inst.write("ctrl/node.dab", dab({node(0, 0), node(0, 0), node(3, 5)}));
    NodeFile two(inst.ctrl() + "node.dab", 2, fast());
    NodeFile three(inst.ctrl() + "node.dab", 3, fast());
    CHECK(two.read_all()->size() == 2);
    CHECK_FALSE(two.user_online(5));
    CHECK(three.user_online(5));
    NodeFile missing(inst.ctrl() + "none.dab", 3, fast());
    CHECK(missing.read_all()->empty());
    CHECK_FALSE(missing.user_online(5));
}

TEST_CASE("USER-61 on line means status 1, 3 or 4; pageable means in use with paging on") {
    test::TempInstall inst;
    NodeFile f(inst.ctrl() + "node.dab", 1, fast());
    struct Case { uint8_t status; uint16_t misc; bool online, pageable; };
    for (Case c : {Case{0, 0, false, false}, Case{1, 0, true, false}, Case{2, 0, false, false},
                   Case{3, 0, true, true}, Case{3, NodeRecord::MISC_POFF, true, false},
                   Case{4, 0, true, false}, Case{5, 0, false, false}, Case{10, 0, false, false}}) {
        inst.write("ctrl/node.dab", dab({node(c.status, 2, c.misc)}));
        CHECK(f.user_online(2) == c.online);
        CHECK(f.user_pageable(2) == c.pageable);
        CHECK_FALSE(f.user_online(3));
    }
}

TEST_CASE("USER-62 only misc bits 0x8 and 0x40 change, under the node's range lock") {
    test::TempInstall inst;
    const std::string before = dab({node(3, 2, 0x1), node(3, 4, 0x2)});
    inst.write("ctrl/node.dab", before);
    NodeFile f(inst.ctrl() + "node.dab", 2, fast());
    REQUIRE(f.set_misc(2, NodeRecord::MISC_MSGW | NodeRecord::MISC_POFF | 0x8000).ok());
    std::string after = inst.read("ctrl/node.dab");
    std::string expect = before;
    expect[15 + 7] = 0x2 | 0x8;
    CHECK(after == expect);

    auto other = platform::File::open(inst.ctrl() + "node.dab", platform::OpenMode::ReadWrite);
    REQUIRE(other.ok());
    REQUIRE(other->try_lock(15, 15, platform::LockKind::Exclusive) == platform::LockAttempt::Acquired);
    Status s = f.set_misc(2, NodeRecord::MISC_UDAT);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::Locked);
    CHECK(f.set_misc(1, NodeRecord::MISC_UDAT).ok());   // node 1's range is free
    CHECK_FALSE(f.set_misc(3, NodeRecord::MISC_UDAT).ok());
}

TEST_CASE("USER-59 message waiting is flagged on every node where the user is in use or quiet") {
    test::TempInstall inst;
    inst.write("ctrl/node.dab", dab({node(3, 2), node(1, 2), node(4, 2), node(3, 5)}));
    NodeFile f(inst.ctrl() + "node.dab", 4, fast());
    REQUIRE(f.notify_message_waiting(2).ok());
    auto n = f.read_all();
    CHECK((*n)[0].misc == NodeRecord::MISC_MSGW);
    CHECK((*n)[1].misc == 0);
    CHECK((*n)[2].misc == NodeRecord::MISC_MSGW);
    CHECK((*n)[3].misc == 0);
}
