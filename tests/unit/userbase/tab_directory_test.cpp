// TabUserDirectory against a copy of the sample install's user base.
#include "temp_install.h"

#include "userbase/field_values.h"
#include "userbase/name_index.h"
#include "userbase/tab_time.h"
#include "userbase/tab_user_directory.h"
#include "userbase/user_notice.h"
#include "config/settings.h"

#include <catch.hpp>

#include <filesystem>

using namespace sbbs;
using namespace sbbs::userfield;

namespace {

const time_t kNow = 1795587819 + 3600;   // an hour after the fixture was made

std::unique_ptr<TabUserDirectory> open_dir(const test::TempInstall& inst) {
    TabUserDirectoryOptions o;
    o.data_dir = inst.data();
    o.retry.max_attempts = 3;
    o.retry.sleep = nullptr;
    o.clock = [] { return kNow; };
    auto d = TabUserDirectory::open(std::move(o));
    REQUIRE(d.ok());
    return std::move(*d);
}

UserRecord record(const test::TempInstall& inst, uint32_t n) {
    return UserRecord(inst.read("data/user/user.tab").substr((n - 1) * 1000, 1000));
}

void poke(const test::TempInstall& inst, uint32_t n, std::vector<FieldChange> c) {
    UserTabFile tab(inst.data() + "user/user.tab", RetryPolicy{});
    REQUIRE(tab.update(n, [&](const UserRecord&) -> Result<std::vector<FieldChange>> { return c; }).ok());
}

} // namespace

TEST_CASE("USER-3 user.tab missing while user.dat exists: refuse, naming the v3.20 upgrade") {
    test::TempInstall inst;
    std::filesystem::rename(inst.path("data/user/user.tab"), inst.path("data/user/user.dat"));
    TabUserDirectoryOptions o;
    o.data_dir = inst.data();
    auto d = TabUserDirectory::open(std::move(o));
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message.find("v3.20") != std::string::npos);
    CHECK(d.error().message.find("upgrade_to_v320") != std::string::npos);
}

TEST_CASE("USER-4 missing user.tab is a start-up error naming the path") {
    test::TempInstall inst;
    std::filesystem::remove(inst.path("data/user/user.tab"));
    TabUserDirectoryOptions o;
    o.data_dir = inst.data();
    auto d = TabUserDirectory::open(std::move(o));
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message.find(inst.data() + "user/user.tab") != std::string::npos);
}

TEST_CASE("USER-8 last user is size / 1000, a partial record is ignored") {
    test::TempInstall inst;
    inst.write("data/user/user.tab", inst.read("data/user/user.tab") + std::string(500, '\t'));
    auto dir = open_dir(inst);
    CHECK(dir->last_user_number() == 6);
    CHECK(dir->get(6).ok());
    auto none = dir->get(7);
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == ErrorCode::NotFound);
    CHECK_FALSE(dir->get(0).ok());
}

TEST_CASE("USER-1 updates rewrite one record in place and never change the size") {
    test::TempInstall inst;
    const std::string before = inst.read("data/user/user.tab");
    auto dir = open_dir(inst);
    REQUIRE(dir->record_login(4, {"127.0.0.2", "client.example", "SMTP", kNow}).ok());
    const std::string after = inst.read("data/user/user.tab");
    REQUIRE(after.size() == before.size());
    CHECK(after.substr(0, 3000) == before.substr(0, 3000));
    CHECK(after.substr(4000) == before.substr(4000));
    CHECK(after.substr(3000, 1000) != before.substr(3000, 1000));
}

TEST_CASE("USER-19 alias look-up folds case and punctuation and stops at @") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    for (const char* q : {"bob.forward", "Bob_Forward", "BOBFORWARD", "bob-forward@testbbs.example",
                          "bobf.orward", "Bob Forward"})
        CHECK(dir->find_by_alias(q) == 2);
    CHECK(dir->find_by_alias("sysop") == 1);
    CHECK(dir->find_by_alias("tess.tagger") == 5);
    CHECK(dir->find_by_alias("gone.user") == 0);     // deleted: blank slot
    CHECK(dir->find_by_alias("bob") == 0);
    CHECK(dir->find_by_alias("") == 0);
}

TEST_CASE("USER-10 the 8-bit alias look-up reads name.dat and tells Jörg from Jürg") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    CHECK(dir->find_by_alias_8bit("BOB.forward") == 2);    // ASCII: as USER-19
    CHECK(dir->find_by_alias_8bit("gone.user") == 0);      // deleted: blank slot
    auto slot = [](std::string alias) { alias.resize(kNameAliasLen, '\x03'); return alias + "\r\n"; };
    NameIndex names(slot("J\x94rg") + slot("") + slot("J\x81rg"));   // Jörg, deleted, Jürg
    CHECK(names.find("j\x81rg") == 1);                      // USER-19 drops the 8-bit letter
    CHECK(names.find_8bit("J\x9ARG") == 3);                 // JÜRG: Jürg, by CP437's case pair
    CHECK(names.find_8bit("j\x84rg") == 0);                 // järg: nobody
}

TEST_CASE("USER-2 USER-18 name.dat slots: deleted users are blank, the index is only read") {
    test::TempInstall inst;
    const std::string before = inst.read("data/user/name.dat");
    auto dir = open_dir(inst);
    CHECK(dir->has_name_slot(1));
    CHECK(dir->has_name_slot(2));
    CHECK_FALSE(dir->has_name_slot(3));
    CHECK_FALSE(dir->has_name_slot(7));
    REQUIRE(dir->record_login(2, {"127.0.0.2", "", "", kNow}).ok());
    REQUIRE(dir->count_email_sent(2, false).ok());
    CHECK(inst.read("data/user/name.dat") == before);
}

TEST_CASE("USER-20 a deleted user keeps its user.tab alias; inactive users keep their slot") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    auto gone = dir->get(3);
    REQUIRE(gone.ok());
    CHECK(gone->deleted());
    CHECK_FALSE(gone->usable());
    CHECK(gone->alias == "Gone User");
    poke(inst, 4, {set_hex(MISC, 0x26914 | User::MISC_INACTIVE)});
    CHECK(dir->find_by_alias("rita.restricted") == 4);
    CHECK_FALSE(dir->get(4)->usable());
}

TEST_CASE("USER-22 real names match exactly ignoring case, skipping deleted and inactive") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    CHECK(dir->find_by_real_name("robert smith") == 2);
    CHECK(dir->find_by_real_name("ROBERT SMITH") == 2);
    CHECK(dir->find_by_real_name("robert.smith") == 0);
    CHECK(dir->find_by_real_name("Gary Gone") == 0);
    poke(inst, 4, {set_hex(MISC, 0x26914 | User::MISC_INACTIVE)});
    CHECK(dir->find_by_real_name("Rita Rees") == 0);
    CHECK(dir->find_by_real_name("") == 0);
}

TEST_CASE("USER-23 look-up by NETMAIL and by IPADDR") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    CHECK(dir->find_by_netmail("BOB@remote.example") == 2);
    CHECK(dir->find_by_netmail("nobody@remote.example") == 0);
    CHECK(dir->find_by_ip("127.0.0.7") == 0);
    REQUIRE(dir->record_login(5, {"127.0.0.7", "", "", kNow}).ok());
    CHECK(dir->find_by_ip("127.0.0.7") == 5);
    poke(inst, 5, {set_hex(MISC, 0x26914 | User::MISC_DELETED)});
    CHECK(dir->find_by_ip("127.0.0.7") == 0);
}

TEST_CASE("USER-25 consistency warnings between user.tab and name.dat") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    CHECK(dir->consistency_warnings().empty());
    std::string names = inst.read("data/user/name.dat");
    names.replace(3 * 27, 15, "Rita Renamed\x03\x03\x03");
    inst.write("data/user/name.dat", names.substr(0, 5 * 27));
    auto w = dir->consistency_warnings();
    REQUIRE(w.size() == 3);   // count, user 4 renamed, user 6 missing
    CHECK(w[0].find("name.dat has 5 records but user.tab has 6") != std::string::npos);
    CHECK(w[1].find("#4") != std::string::npos);
    CHECK(w[2].find("#6") != std::string::npos);
    CHECK(dir->find_by_alias("nora.netless") == 0);
}

TEST_CASE("USER-31 a login stores IP, host, time and the SMTP protocol") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    REQUIRE(dir->record_login(2, {"127.0.0.2", "client.example", "SMTPS", kNow}).ok());
    UserRecord r = record(inst, 2);
    CHECK(r.field(IPADDR) == "127.0.0.2");
    CHECK(r.field(HOST) == "client.example");
    CHECK(r.field(LOGONTIME) == format_time(kNow));
    CHECK(r.field(CONNECTION) == "SMTPS");
    // POP3: no protocol, CONNECTION left alone; no host name looked up
    REQUIRE(dir->record_login(2, {"127.0.0.3", "", "", kNow + 5}).ok());
    r = record(inst, 2);
    CHECK(r.field(HOST) == "<no name>");
    CHECK(r.field(CONNECTION) == "SMTPS");
    CHECK(r.time(LOGONTIME) == kNow + 5);
}

TEST_CASE("USER-44 a login write keeps fields other programs changed since our read") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    auto u = dir->get(2);
    REQUIRE(u.ok());
    poke(inst, 2, {set_text(NOTE, "changed by the BBS"), set_number(LOGONS, 9)});
    REQUIRE(dir->record_login(2, {"127.0.0.2", "h", "SMTP", kNow}).ok());
    UserRecord r = record(inst, 2);
    CHECK(r.field(NOTE) == "changed by the BBS");
    CHECK(r.number(LOGONS) == 9);
    CHECK(r.field(PASS) == "BOBPASS");
    CHECK(r.field(IPADDR) == "127.0.0.2");
}

TEST_CASE("USER-42 counting sent e-mail and posts") {
    test::TempInstall inst;
    poke(inst, 6, {set_time(RESET, kNow)});
    auto dir = open_dir(inst);
    REQUIRE(dir->count_email_sent(6, false).ok());
    REQUIRE(dir->count_email_sent(6, false).ok());
    REQUIRE(dir->count_email_sent(6, true).ok());
    UserRecord r = record(inst, 6);
    CHECK(r.number(EMAILS) == 2);
    CHECK(r.number(FBACKS) == 1);
    CHECK(r.number(ETODAY) == 3);
    REQUIRE(dir->count_post(6).ok());
    r = record(inst, 6);
    CHECK(r.number(POSTS) == 1);
    CHECK(r.number(PTODAY) == 1);
    auto u = dir->get(6);
    CHECK(u->etoday == 3);
    CHECK(u->ptoday == 1);
}

TEST_CASE("USER-43 adjusted counters re-read as decimal and saturate") {
    test::TempInstall inst;
    poke(inst, 6, {set_time(RESET, kNow), set_text(EMAILS, "010"),
                   set_number(ETODAY, 4294967295u), set_number(POSTS, 4294967295u)});
    auto dir = open_dir(inst);
    REQUIRE(dir->count_email_sent(6, false).ok());
    REQUIRE(dir->count_post(6).ok());
    UserRecord r = record(inst, 6);
    CHECK(r.field(EMAILS) == "11");
    CHECK(r.field(ETODAY) == "4294967295");
    CHECK(r.field(POSTS) == "4294967295");
    CHECK(r.field(PTODAY) == "1");
}

TEST_CASE("USER-17 a counter update on a new day resets the daily counters first") {
    test::TempInstall inst;
    poke(inst, 6, {set_number(ETODAY, 5), set_number(PTODAY, 3), set_number(LTODAY, 2),
                   set_number(EMAILS, 40), set_time(RESET, kNow - 3 * 86400)});
    auto dir = open_dir(inst);
    CHECK(dir->get(6)->etoday == 0);
    CHECK(record(inst, 6).number(ETODAY) == 5);   // reading does not rewrite
    REQUIRE(dir->count_email_sent(6, false).ok());
    UserRecord r = record(inst, 6);
    CHECK(r.number(ETODAY) == 1);
    CHECK(r.number(PTODAY) == 0);
    CHECK(r.number(LTODAY) == 0);
    CHECK(r.number(EMAILS) == 41);
    CHECK(r.time(RESET) == kNow);
}

TEST_CASE("USER-52 USER-53 USER-54 tags blocked by NNNN.smtpblock, read at each call") {
    test::TempInstall inst;
    auto dir = open_dir(inst);
    CHECK(dir->tag_blocked(5, "spam"));
    CHECK(dir->tag_blocked(5, "SPAM"));
    CHECK(dir->tag_blocked(5, "newsletter"));
    CHECK_FALSE(dir->tag_blocked(5, "shop"));
    CHECK_FALSE(dir->tag_blocked(5, ""));
    CHECK_FALSE(dir->tag_blocked(2, "spam"));      // no file: nothing blocked
    inst.write("data/user/0005.smtpblock", "shop\n");
    CHECK(dir->tag_blocked(5, "shop"));
    CHECK_FALSE(dir->tag_blocked(5, "spam"));
    inst.write("data/user/0002.smtpblock", "; only a comment\n");
    CHECK_FALSE(dir->tag_blocked(2, "spam"));
}

TEST_CASE("USER-6 NNNN.smtptags is not read") {
    test::TempInstall inst;
    inst.write("data/user/0002.smtptags", "shop\n");
    auto dir = open_dir(inst);
    CHECK_FALSE(dir->tag_blocked(2, "shop"));
}

TEST_CASE("USER-5 per-user file names use at least four digits") {
    CHECK(user_file_number(5) == "0005");
    CHECK(user_file_number(12345) == "12345");
}

TEST_CASE("USER-45 after a user write, the first node the user is on gets 'user data updated'") {
    test::TempInstall inst;
    NodeRecord on[3];
    on[0].status = NodeRecord::LOGON;
    on[1].status = NodeRecord::QUIET;
    on[2].status = NodeRecord::INUSE;
    for (auto& n : on) n.useron = 2;
    inst.write("ctrl/node.dab", on[0].encode() + on[1].encode() + on[2].encode());
    TabUserDirectoryOptions o;
    o.data_dir = inst.data();
    o.node_dab = inst.ctrl() + "node.dab";
    o.nodes = 3;
    auto dir = TabUserDirectory::open(std::move(o));
    REQUIRE(dir.ok());
    REQUIRE((*dir)->record_login(2, {"127.0.0.2", "", "", 1}).ok());
    NodeFile f(inst.ctrl() + "node.dab", 3, RetryPolicy{});
    auto n = f.read_all();
    CHECK((*n)[0].misc == 0);
    CHECK((*n)[1].misc == NodeRecord::MISC_UDAT);
    CHECK((*n)[2].misc == 0);
}

TEST_CASE("USER-63 a legacy user.dat next to user.tab is never read") {
    test::TempInstall inst;
    inst.write("data/user/user.dat", std::string(2000, '\x03'));
    auto dir = open_dir(inst);
    CHECK(dir->last_user_number() == 6);
    CHECK(dir->get(2)->alias == "Bob Forward");
}

TEST_CASE("USER-61 on-line queries from a Config's ctrl/node.dab") {
    test::TempInstall inst;
    Config cfg;
    cfg.paths.ctrl = inst.ctrl();
    cfg.paths.data = inst.data();
    cfg.sys.node_dirs = {"/n1/", "/n2/"};
    NodeRecord a, b;
    b.status = NodeRecord::INUSE;
    b.useron = 6;
    inst.write("ctrl/node.dab", a.encode() + b.encode());
    NodeFile nodes = NodeFile::for_config(cfg);
    CHECK(nodes.user_online(6));
    CHECK(nodes.user_pageable(6));
    CHECK_FALSE(nodes.user_online(2));
    REQUIRE(NoticeWriter::for_config(cfg).append(6, "x").ok());
    CHECK(NodeRecord::decode(inst.read("ctrl/node.dab").data() + 15).misc == NodeRecord::MISC_MSGW);
}
