// POP3 sessions on a copy of the original's mail base, read back with our SMB reader.
#include "pop3_fixture.h"
#include "msgbase/smb_mail_store.h"

#include <catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <random>

using namespace sbbs;
namespace fs = std::filesystem;

namespace {
fs::path fixtures_root() {
    if (const char* e = std::getenv("SBBSMAIL_FIXTURES")) return e;
    for (fs::path p = fs::current_path(); !p.empty() && p != p.parent_path(); p = p.parent_path())
        if (fs::exists(p / "shared/fixtures/msgbase")) return p / "shared/fixtures";
    return "/work/shared/fixtures";
}

struct SmbFixture : test::Pop3Fixture {
    fs::path dir;
    std::unique_ptr<smb::SmbMailStore> smb;
    SmbFixture() {
        std::random_device rd;
        dir = fs::temp_directory_path() / ("pop3-smb-" + std::to_string(rd()));
        fs::create_directories(dir / "user");
        for (auto& e : fs::directory_iterator(fixtures_root() / "msgbase" / "mail")) {
            if (!e.is_regular_file() || e.path().extension() == ".txt") continue;
            fs::copy_file(e.path(), dir / e.path().filename());
            fs::permissions(dir / e.path().filename(), fs::perms::owner_read | fs::perms::owner_write);
        }
        cfg->paths.data = dir.string() + "/";
        smb = std::make_unique<smb::SmbMailStore>((dir / "mail").string(), smb::BaseOptions{}, nullptr);
    }
    ~SmbFixture() { smb.reset(); std::error_code ec; fs::remove_all(dir, ec); }
    std::vector<std::string> session(const std::vector<std::string>& script) {
        io.output.clear();
        io.input.clear();
        for (auto& l : script) io.send(l);
        Pop3Session s(cfg, users, *smb, log, attempts, false);
        s.run(io);
        return io.lines();
    }
    uint16_t attr(uint32_t n) { return smb->read(n, false)->hdr.attr; }
};
} // namespace

TEST_CASE("POP3-49 POP3-51 POP3-74 the original's mail base: Alice's mailbox and UIDLs", "[pop3]") {
    SmbFixture f;
    auto out = f.session({"USER Alice", "PASS Secret", "UIDL", "QUIT"});
    REQUIRE(out.size() >= 9);
    CHECK(out[2].rfind("+OK 4 messages (", 0) == 0);
    CHECK(out[4] == "1 1");
    CHECK(out[5] == "2 2");
    CHECK(out[6] == "3 6");
    CHECK(out[7] == "4 7");
    out = f.session({"USER Alice#nospam", "PASS Secret", "UIDL", "QUIT"});
    CHECK(out[2].rfind("+OK 3 messages (", 0) == 0);
    CHECK(out[6] == "3 7");
}

TEST_CASE("POP3-88 POP3-100 POP3-104 POP3-105 RETR marks READ and QUIT deletes in the SMB base", "[pop3]") {
    SmbFixture f;
    CHECK(f.attr(2) == 0);
    auto out = f.session({"USER Alice", "PASS Secret", "RETR 2", "DELE 4", "QUIT"});
    CHECK(out.back() == "+OK");
    CHECK(f.io.output.find("From: Bob Remote <bob@remote.example>\r\n") != std::string::npos);
    CHECK(f.attr(2) == smb::attr::READ);
    CHECK(f.attr(7) == smb::attr::DELETE);
    CHECK(f.smb->read(7, true).ok());          // flagged only, not purged
    CHECK(f.attr(3) == 0);                  // Carol's copy of the same text is untouched
    auto left = f.smb->list_mailbox(2);
    REQUIRE(left.ok());
    CHECK(left->size() == 3);
    // A dropped connection deletes nothing.
    f.session({"USER Alice", "PASS Secret", "DELE 1"});
    CHECK((f.attr(1) & smb::attr::DELETE) == 0);
}

TEST_CASE("POP3-88 read marks of a session are written together, also when the client drops", "[pop3]") {
    SmbFixture f;
    f.session({"USER Alice", "PASS Secret", "RETR 1", "RETR 2", "RETR 3", "TOP 4 1"});   // no QUIT
    CHECK((f.attr(1) & smb::attr::READ) != 0);
    CHECK((f.attr(2) & smb::attr::READ) != 0);
    CHECK((f.attr(6) & smb::attr::READ) != 0);
    CHECK((f.attr(7) & smb::attr::READ) == 0);   // TOP does not mark
    // The index carries the same attributes as the headers.
    auto idx = f.smb->list_mailbox(2);
    REQUIRE(idx.ok());
    for (auto& s : *idx) CHECK(s.attr == f.attr(s.number));
    // RETR then DELE: READ and DELETE, as the original leaves it.
    f.session({"USER Alice", "PASS Secret", "RETR 4", "DELE 4", "QUIT"});
    CHECK(f.attr(7) == (smb::attr::READ | smb::attr::DELETE));
}

TEST_CASE("POP3-88 a batch of attribute changes on the SMB base skips a missing message and reports it", "[pop3]") {
    SmbFixture f;
    Status st = f.smb->change_attr_many({1, 999, 2}, smb::attr::READ, 0);
    CHECK_FALSE(st.ok());
    CHECK((f.attr(1) & smb::attr::READ) != 0);
    CHECK((f.attr(2) & smb::attr::READ) != 0);
    CHECK(f.smb->change_attr_many({1, 2}, 0, smb::attr::READ).ok());
    CHECK(f.attr(1) == 0);
    CHECK(f.attr(2) == 0);
}

TEST_CASE("POP3-77 RETR of text kept from the login still sees a deletion made meanwhile in the SMB base", "[pop3]") {
    SmbFixture f;
    f.io.before_read = [&](const std::string& line) {
        if (line == "RETR 2") (void)f.smb->change_attr(2, smb::attr::DELETE, 0);   // another program
    };
    auto out = f.session({"USER Alice", "PASS Secret", "RETR 2", "RETR 1", "QUIT"});
    REQUIRE(out.size() >= 5);
    CHECK(out[3] == "-ERR message deleted");
    CHECK(out[4] == "+OK message follows");
    auto s = f.smb->summary(2);
    REQUIRE(s.ok());
    CHECK(s->attr == smb::attr::DELETE);
    CHECK(f.smb->summary(4242).error().code == ErrorCode::NotFound);
}
