// Keeps the shared test doubles compiling (and shows how they are used); in
// userbase because MemoryUserDirectory folds names with userbase's fold.
#include "memory_mail_store.h"
#include "memory_user_directory.h"
#include "scripted_io.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("test doubles: memory store shares one message across copies", "[util]") {
    test::MemoryMailStore store;
    NewMessage msg;
    msg.body = "hi\r\n";
    RecipientCopy a, b;
    a.append.push_back({smb::hf::RECIPIENTEXT, "2"});
    b.append.push_back({smb::hf::RECIPIENTEXT, "3"});
    auto r = store.add_mail(msg, {a, b});
    REQUIRE(r.ok());
    CHECK(r->size() == 2);
    CHECK(store.list_mailbox(3)->size() == 1);
    test::MemoryUserDirectory users;
    users.add(2, "Bob Forward", "bobpass");
    CHECK(users.find_by_alias("bob.forward@x") == 2);
    test::ScriptedIo io;
    io.send("QUIT");
    CHECK(io.read_line(512, 1).line == "QUIT");
}
