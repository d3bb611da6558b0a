// POP3 TRANSACTION and UPDATE states: listing, retrieval, deletion, RSET.
#include "pop3_fixture.h"
#include "mailfmt/render_parts.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <tuple>

using namespace sbbs;
using test::Pop3Fixture;

namespace {
const std::vector<std::string> LOGIN = {"USER Alice", "PASS Secret"};

std::vector<std::string> script(std::vector<std::string> cmds) {
    std::vector<std::string> s = LOGIN;
    s.insert(s.end(), cmds.begin(), cmds.end());
    return s;
}

// Replies after greeting, USER and PASS.
std::vector<std::string> after_login(const std::vector<std::string>& out) {
    return out.size() > 3 ? std::vector<std::string>(out.begin() + 3, out.end()) : std::vector<std::string>{};
}

RenderContext ctx_of(const Pop3Fixture& f) {
    RenderContext c;
    c.inet_addr = f.cfg->msgs.inet_addr;
    c.system_name = f.cfg->sys.name;
    c.data_dir = f.cfg->paths.data;
    return c;
}

size_t octets(Pop3Fixture& f, uint32_t number) {
    return render_message(*f.store.read(number, true), ctx_of(f)).octets();
}

// The message part of a RETR reply (between "+OK message follows" and "."), un-stuffed.
std::string retrieved(const std::string& wire) {
    size_t a = wire.find("+OK message follows\r\n");
    REQUIRE(a != std::string::npos);
    a += 21;
    size_t b = wire.find("\r\n.\r\n", a);
    REQUIRE(b != std::string::npos);
    std::string body = wire.substr(a, b + 2 - a), out;
    size_t pos = 0;
    while (pos < body.size()) {
        size_t e = body.find("\r\n", pos);
        std::string line = body.substr(pos, e + 2 - pos);
        if (line.size() > 2 && line[0] == '.') line.erase(0, 1);
        out += line;
        pos = e + 2;
    }
    return out;
}
} // namespace

TEST_CASE("POP3-49 POP3-52 POP3-56 the mailbox: this user's mail in index order, not deleted", "[pop3]") {
    Pop3Fixture f;
    uint32_t a = f.deliver(2, "one\r\n");
    f.deliver(3, "not alice\r\n");
    uint32_t b = f.deliver(2, "two\r\n", smb::attr::DELETE);
    uint32_t c = f.deliver(2, "three\r\n", smb::attr::READ);
    (void)b;
    f.cfg->mail.options |= mail_opt::DEBUG_POP3;
    auto out = after_login(f.run(script({"UIDL", "QUIT"})));
    CHECK(f.io.lines()[2] == "+OK 2 messages (" + std::to_string(octets(f, a) + octets(f, c)) + " bytes)");
    REQUIRE(out.size() == 5);
    CHECK(out[1] == "1 " + std::to_string(a));
    CHECK(out[2] == "2 " + std::to_string(c));
    CHECK(f.log.any("<Alice> Loaded 2 messages"));
}

TEST_CASE("POP3-53 (ours, RFC 1939) STAT and LIST give the exact octets RETR sends", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, ".leading dot\r\ntrailing spaces   \r\n\x01hctrl-a\r\n" + std::string(1200, 'L') + "\r\n");
    auto out = after_login(f.run(script({"LIST 1", "RETR 1", "QUIT"})));
    std::string size = out[0].substr(out[0].rfind(' ') + 1);
    CHECK(std::to_string(retrieved(f.io.output).size()) == size);
}

TEST_CASE("POP3-55 ISSUE13-1 a base header lock that cannot be had in time answers -ERR, try again later", "[pop3]") {
    struct LockedStore : test::MemoryMailStore {
        Result<std::vector<MailSummary>> list_mailbox(uint32_t) override {
            return make_error("mail.shd: base header locked", ErrorCode::Locked);
        }
    };
    Pop3Fixture f;
    LockedStore locked;
    test::CaptureLogger log;
    for (auto& l : {"USER Alice", "PASS Secret", "STAT", "QUIT"}) f.io.send(l);
    Pop3Session s(f.cfg, f.users, locked, log, f.attempts, false);
    s.run(f.io);
    auto out = f.io.lines();
    REQUIRE(out.size() == 3);   // the session ends: no empty mailbox a client would take for "no mail"
    CHECK(out[2] == "-ERR [SYS/TEMP] mailbox busy, try again later");
    CHECK(log.level_of("<Alice> !ERROR mail.shd: base header locked (mailbox busy, try again later)") ==
          LogLevel::Warning);
}

TEST_CASE("POP3-47 maintenance that begins while the mailbox loads refuses the session", "[pop3]") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/pop3_maint_XXXXXX";
    fs::path root = mkdtemp(tmpl);
    struct LockedStore : test::MemoryMailStore {
        fs::path lock_file;
        Result<std::vector<MailSummary>> list_mailbox(uint32_t) override {
            std::ofstream(lock_file) << "smbutil";          // appears after the login's check
            return make_error("data/mail.lock exists", ErrorCode::Locked);
        }
    };
    Pop3Fixture f;
    f.cfg->paths.data = root.string() + "/";
    LockedStore locked;
    locked.lock_file = root / "mail.lock";
    test::CaptureLogger log;
    for (auto& l : {"USER Alice", "PASS Secret", "STAT"}) f.io.send(l);
    Pop3Session s(f.cfg, f.users, locked, log, f.attempts, false);
    s.run(f.io);
    CHECK(f.io.lines().back() == "-ERR database locked, try again later");
    CHECK(log.level_of("!MAIL BASE LOCKED") == LogLevel::Warning);
    CHECK(f.io.input.size() == 1);
    fs::remove_all(root);
}

TEST_CASE("POP3-54 a message that cannot be read ends the session with -ERR", "[pop3]") {
    struct BrokenStore : test::MemoryMailStore {
        Result<smb::Message> read(uint32_t n, bool) override { return make_error("bad header " + std::to_string(n), ErrorCode::Corrupt); }
    };
    Pop3Fixture f;
    BrokenStore broken;
    NewMessage m;
    RecipientCopy c;
    c.append.push_back({smb::hf::RECIPIENTEXT, "2"});
    (void)broken.add_mail(m, {c});
    for (auto& l : {"USER Alice", "PASS Secret", "STAT"}) f.io.send(l);
    Pop3Session s(f.cfg, f.users, broken, f.log, f.attempts, false);
    s.run(f.io);
    CHECK(f.io.lines().back() == "-ERR message #1: bad header 1");
}

TEST_CASE("POP3-13 POP3-57 POP3-116 trailing white space trimmed; RX lines with DEBUG_POP3, never a password", "[pop3]") {
    Pop3Fixture f;
    f.cfg->mail.options |= mail_opt::DEBUG_POP3;
    f.deliver(2);
    auto out = after_login(f.run(script({"STAT   ", "PASS Secret", "QUIT"})));
    CHECK(out[0].rfind("+OK 1 ", 0) == 0);
    CHECK(f.log.any("RX: STAT"));
    CHECK(!f.log.any("RX: STAT "));
    CHECK(f.log.any("0000 POP3  session thread started"));
    CHECK(f.log.any("[127.0.0.2] Connection accepted on 127.0.0.1 port 25 from port 40000"));
    CHECK(f.log.any("[127.0.0.2] Hostname: <no name>"));
    for (auto& l : f.log.lines) CHECK(l.text.find("Secret") == std::string::npos);
}

TEST_CASE("POP3-60 POP3-66 command matching: LISTX is LIST, RETR needs a space, others unsupported", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    auto out = after_login(f.run(script({"LISTX", "RETR", "LAST", "QUIT"})));
    CHECK(out[0] == "+OK 1 messages (" + std::to_string(octets(f, 1)) + " bytes)");
    CHECK(out[3] == "-ERR UNSUPPORTED COMMAND: RETR");
    CHECK(out[4] == "-ERR UNSUPPORTED COMMAND: LAST");
    CHECK(f.log.any("<Alice> !UNSUPPORTED COMMAND: 'LAST'"));
    CHECK(f.log.level_of("!UNSUPPORTED COMMAND") == LogLevel::Notice);
}

TEST_CASE("POP3-61 POP3-63 POP3-122 NOOP and QUIT; pipelined commands answered in order", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    auto out = after_login(f.run(script({"NOOP", "STAT", "NOOP", "QUIT", "NOOP"})));
    REQUIRE(out.size() == 4);
    CHECK(out[0] == "+OK");
    CHECK(out[1].rfind("+OK 1 ", 0) == 0);
    CHECK(out[2] == "+OK");
    CHECK(out[3] == "+OK");
    CHECK(f.io.input.size() == 1);
}

TEST_CASE("POP3-64 (ours, RFC 1939) STAT leaves out messages marked deleted", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    f.deliver(2);
    auto out = after_login(f.run(script({"DELE 1", "STAT", "QUIT"})));
    CHECK(out[1] == "+OK 1 " + std::to_string(octets(f, 2)));
}

TEST_CASE("POP3-65 USER or PASS after login", "[pop3]") {
    Pop3Fixture f;
    auto out = after_login(f.run(script({"USER Alice", "PASS x", "QUIT"})));
    CHECK(out[0] == "-ERR already authenticated");
    CHECK(out[1] == "-ERR already authenticated");
}

TEST_CASE("POP3-67 POP3-68 POP3-70 single LIST and UIDL", "[pop3]") {
    Pop3Fixture f;
    f.deliver(3);
    uint32_t n1 = f.deliver(2);
    uint32_t n2 = f.deliver(2, "second\r\n");
    auto out = after_login(f.run(script({"LIST 2x", "UIDL  1", "LIST 0", "UIDL 3", "LIST abc", "QUIT"})));
    CHECK(out[0] == "+OK 2 " + std::to_string(octets(f, n2)));
    CHECK(out[1] == "+OK 1 " + std::to_string(n1));
    CHECK(out[2] == "-ERR no such message");
    CHECK(out[3] == "-ERR no such message");
    CHECK(f.log.any("<Alice> !INVALID message #0 of 2 with command: LIST 0"));
    CHECK(out[4].rfind("+OK 2 messages", 0) == 0);     // a non-digit argument is a full listing
}

TEST_CASE("POP3-69 POP3-72 POP3-107 deleted messages: refused singly, skipped in listings", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    uint32_t gone = f.deliver(2);
    f.deliver(2);
    auto out = after_login(f.run(script({"DELE 1", "LIST 1", "UIDL", "QUIT"})));
    CHECK(out[1] == "-ERR message deleted");
    CHECK(f.log.any("<Alice> !ATTEMPT to list DELETED message"));
    REQUIRE(out.size() == 7);
    CHECK(out[3].rfind("2 ", 0) == 0);                  // no renumbering
    CHECK(out[4].rfind("3 ", 0) == 0);
    // Message 2 deleted by another program (the terminal server) during the session.
    Pop3Fixture g;
    g.deliver(2);
    gone = g.deliver(2);
    g.deliver(2);
    g.io.before_read = [&](const std::string& line) {
        if (line == "LIST 2") REQUIRE(g.store.change_attr(gone, smb::attr::DELETE, 0).ok());
    };
    out = after_login(g.run(script({"LIST 2", "LIST", "RETR 2", "QUIT"})));
    CHECK(out[0] == "-ERR message deleted");
    REQUIRE(out.size() == 7);
    CHECK(out[2].rfind("1 ", 0) == 0);
    CHECK(out[3].rfind("3 ", 0) == 0);
    CHECK(out[4] == ".");
    CHECK(out[5] == "-ERR message deleted");
}

TEST_CASE("POP3-74 UIDL is the SMB message number, stable across sessions", "[pop3]") {
    Pop3Fixture f;
    f.deliver(3);
    uint32_t n = f.deliver(2);
    auto a = after_login(f.run(script({"UIDL 1", "QUIT"})));
    auto b = after_login(f.run(script({"UIDL 1", "QUIT"})));
    CHECK(a[0] == "+OK 1 " + std::to_string(n));
    CHECK(a[0] == b[0]);
}

TEST_CASE("POP3-75 POP3-76 POP3-80 RETR: checks, log line, +OK message follows, text, dot", "[pop3]") {
    Pop3Fixture f;
    uint32_t n = f.deliver(2, "Line one\r\n.dot line\r\n");
    auto out = after_login(f.run(script({"RETR 9", "RETR 1", "QUIT"})));
    CHECK(out[0] == "-ERR no such message");
    CHECK(f.log.any("<Alice> !ATTEMPTED to retrieve an INVALID message #9 of 1 with command: RETR 9"));
    CHECK(out[1] == "+OK message follows");
    CHECK(f.log.any("<Alice> retrieving message #" + std::to_string(n) + " (1 of 1) with command: RETR 1"));
    CHECK(f.io.output.find("\r\n\r\nLine one\r\n..dot line\r\n.\r\n") != std::string::npos);
    CHECK(retrieved(f.io.output) == render_rfc822(*f.store.read(n, true), ctx_of(f)));
    CHECK(f.log.any("<Alice> sending message text ("));
    CHECK(f.log.any("sent 2 lines ("));
    CHECK(f.log.any("<Alice> message transfer complete (2 lines) from Sysop"));
}

TEST_CASE("POP3-77 RETR of a message deleted meanwhile", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    auto out = after_login(f.run(script({"DELE 1", "RETR 1", "TOP 1 0", "QUIT"})));
    CHECK(out[1] == "-ERR message deleted");
    CHECK(out[2] == "-ERR message deleted");
    CHECK(f.log.any("<Alice> !ATTEMPT to retrieve DELETED message"));
}

TEST_CASE("POP3-81 POP3-99 TOP sends the header and k body lines", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, std::string(1000, 'a') + "\r\nsecond\r\nthird\r\n");
    auto out = after_login(f.run(script({"TOP 1 2", "QUIT"})));
    std::string msg = retrieved(f.io.output);
    auto r = render_message(*f.store.read(1, true), ctx_of(f));
    CHECK(msg.size() == r.octets_top(2));
    CHECK(msg.find("\r\n\r\n" + std::string(998, 'a') + "\r\naa\r\n") != std::string::npos);
    CHECK(msg.find("second") == std::string::npos);
    f.io.output.clear();
    after_login(f.run(script({"TOP 1", "QUIT"})));
    CHECK(retrieved(f.io.output).size() == r.octets_top(0));
    auto neg = after_login(f.run(script({"TOP 1 -1", "QUIT"})));
    CHECK(neg[0] == "-ERR invalid line count");
}

TEST_CASE("POP3-79 TOP with a count at least the text length is a full RETR", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, "short\r\nbody\r\n");
    after_login(f.run(script({"TOP 1 500", "QUIT"})));
    CHECK(retrieved(f.io.output) == render_rfc822(*f.store.read(1, true), ctx_of(f)));
    CHECK((f.store.mail[1].hdr.attr & smb::attr::READ) != 0);     // served and marked as RETR
}

TEST_CASE("POP3-82 POP3-88 a complete RETR marks the message read; TOP does not (ours)", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, "a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh\r\n");
    f.deliver(2);
    after_login(f.run(script({"TOP 1 0", "TOP 1 2", "TOP 1 12", "QUIT"})));
    CHECK((f.store.mail[1].hdr.attr & smb::attr::READ) == 0);
    CHECK(f.log.any("!ERROR sending message text (sent 8 of 12 lines) from Sysop"));
    after_login(f.run(script({"RETR 2", "QUIT"})));
    CHECK(f.store.mail[2].hdr.attr == smb::attr::READ);
    f.cfg->mail.options |= mail_opt::NO_READ_POP3;
    after_login(f.run(script({"RETR 1", "QUIT"})));
    CHECK((f.store.mail[1].hdr.attr & smb::attr::READ) == 0);
}

TEST_CASE("POP3-97 every wire line starting with a dot is stuffed", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, ".\r\n..two\r\n.");
    after_login(f.run(script({"RETR 1", "QUIT"})));
    CHECK(f.io.output.find("\r\n\r\n..\r\n...two\r\n..\r\n.\r\n") != std::string::npos);
}

TEST_CASE("POP3-100 POP3-104 (ours, RFC 1939) DELE marks; QUIT deletes; a dropped connection keeps all", "[pop3]") {
    Pop3Fixture f;
    uint32_t a = f.deliver(2);
    uint32_t b = f.deliver(2);
    auto out = after_login(f.run(script({"DELE 2", "DELE 7"})));   // then the connection drops
    CHECK(out[0] == "+OK");
    CHECK(out[1] == "-ERR no such message");
    CHECK(f.log.any("<Alice> !ATTEMPTED to delete an INVALID message #7 of 2 with command: DELE 7"));
    CHECK(f.store.mail[b].hdr.attr == 0);
    out = after_login(f.run(script({"DELE 2", "QUIT"})));
    CHECK(out.back() == "+OK");
    CHECK(f.store.mail[b].hdr.attr == smb::attr::DELETE);
    CHECK(f.store.mail[a].hdr.attr == 0);
    CHECK(f.log.any("<Alice> deleting message #" + std::to_string(b)));
    out = after_login(f.run(script({"STAT", "QUIT"})));
    CHECK(out[0].rfind("+OK 1 ", 0) == 0);
}

TEST_CASE("POP3-103 (ours, RFC 1939) DELE of a message already marked", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    auto out = after_login(f.run(script({"DELE 1", "DELE 1", "QUIT"})));
    CHECK(out[1] == "-ERR message 1 already deleted");
}

TEST_CASE("POP3-106 RSET undoes deletion marks and our read marking", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    f.deliver(2);
    auto out = after_login(f.run(script({"RETR 1", "DELE 2", "RSET", "STAT", "QUIT"})));
    CHECK(out.back() == "+OK");
    std::string rset;
    for (auto& l : out) if (l.rfind("+OK 2 messages (", 0) == 0) rset = l;
    CHECK(rset == "+OK 2 messages (" + std::to_string(octets(f, 1) + octets(f, 2)) + " bytes)");
    CHECK(f.store.mail[1].hdr.attr == 0);
    CHECK(f.store.mail[2].hdr.attr == 0);
}

TEST_CASE("POP3-107 (ours, RFC 2449) a second session on a busy mailbox gets -ERR [IN-USE]", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    auto held = f.locks.try_acquire(2);
    REQUIRE(held);
    auto out = f.run({"USER Alice", "PASS Secret", "STAT"});
    CHECK(out[2].rfind("-ERR [IN-USE] ", 0) == 0);
    held.reset();
    out = f.run({"USER Alice", "PASS Secret", "QUIT"});
    CHECK(out[2].rfind("+OK 1 messages", 0) == 0);
}

TEST_CASE("POP3-107 (ours) the lock file excludes sessions without a shared registry", "[pop3]") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/pop3_lock_XXXXXX";
    fs::path root = mkdtemp(tmpl);
    fs::create_directories(root / "user");
    bool unavailable = false;
    auto other = pop3::LockFile::try_lock((root / "user" / "0002.pop3.lock").string(), unavailable);
    REQUIRE(other);
    Pop3Fixture f;
    f.cfg->paths.data = root.string() + "/";
    f.wire = [](Pop3Session& s) { s.set_mailbox_locks(nullptr); };
    auto out = f.run({"USER Alice", "PASS Secret", "QUIT"});
    CHECK(out[2].rfind("-ERR [IN-USE]", 0) == 0);
    other.reset();
    out = f.run({"USER Alice", "PASS Secret", "QUIT"});
    CHECK(out[2].rfind("+OK", 0) == 0);
    fs::remove_all(root);
}

TEST_CASE("POP3-95 POP3-101 attachments: killed after a full RETR, removed with the message", "[pop3]") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/pop3_att_XXXXXX";
    fs::path root = mkdtemp(tmpl);
    fs::create_directories(root / "file" / "0002.in");
    std::ofstream(root / "file" / "0002.in" / "k.txt") << "kill me";
    std::ofstream(root / "file" / "0002.in" / "d.txt") << "delete me";
    Pop3Fixture f;
    f.cfg->paths.data = root.string() + "/";
    uint32_t k = f.deliver(2, "see file\r\n");
    f.store.mail[k].hdr.auxattr = smb::auxattr::FILEATTACH | smb::auxattr::KILLFILE;
    f.store.mail[k].hdr.add(smb::hf::SUBJECT, "k.txt");
    uint32_t d = f.deliver(2, "see file\r\n");
    f.store.mail[d].hdr.auxattr = smb::auxattr::FILEATTACH;
    f.store.mail[d].hdr.add(smb::hf::SUBJECT, "d.txt");
    auto out = after_login(f.run(script({"TOP 1 1", "RETR 1", "RETR 2", "DELE 2", "QUIT"})));
    CHECK(f.io.output.find("a2lsbCBtZQ==") != std::string::npos);     // base64 of "kill me"
    CHECK(!fs::exists(root / "file" / "0002.in" / "k.txt"));
    CHECK((f.store.mail[k].hdr.auxattr & (smb::auxattr::FILEATTACH | smb::auxattr::KILLFILE)) == 0);
    CHECK(f.log.any("MIME Encoding and sending " + (root / "file" / "0002.in" / "k.txt").string()));
    CHECK(!fs::exists(root / "file" / "0002.in"));                    // emptied directory removed
    fs::remove_all(root);
}

TEST_CASE("POP3-109 the inactivity timeout ends the session with a warning", "[pop3]") {
    struct SilentIo : test::ScriptedIo {
        unsigned asked = 0;
        ReadLine read_line(size_t, unsigned t) override { asked = t; return {ReadStatus::Timeout, {}}; }
    };
    Pop3Fixture f;
    f.cfg->mail.max_inactivity_s = 0;
    SilentIo io;
    Pop3Session s(f.cfg, f.users, f.store, f.log, f.attempts, false);
    s.run(io);
    CHECK(io.asked == 120);
    CHECK(f.log.any("!TIMEOUT in sock_recvbyte (120 seconds):  INACTIVE SOCKET"));
    CHECK(f.log.level_of("!TIMEOUT") == LogLevel::Warning);
}

TEST_CASE("POP3-113 end-of-session line only after RETR/TOP/DELE/unsupported or without login", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    f.wire = [](Pop3Session& s) { s.set_client_host("pc.example"); };
    f.run(script({"STAT", "LIST", "QUIT"}));
    CHECK(!f.log.any("logged-out"));
    f.run(script({"RETR 1", "QUIT"}));
    CHECK(f.log.any("0000 POP3  <Alice> logged-out from port 40000 on pc.example [127.0.0.2]"));
    f.run({"QUIT"});
    CHECK(f.log.any("0000 POP3  [127.0.0.2] client disconnected from port 40000 on pc.example"));
}

TEST_CASE("POP3-117 DEBUG_TX logs what the server sends", "[pop3]") {
    Pop3Fixture f;
    f.cfg->mail.options |= mail_opt::DEBUG_TX;
    f.run({"CAPA", "QUIT"});
    CHECK(f.log.any("TX: +OK Synchronet POP3 Server"));
    CHECK(f.log.any("TX: +OK Capability list follows\r\nTOP\r\n"));
}

TEST_CASE("POP3-123 the attribute bits written are the original's", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    f.deliver(2);
    after_login(f.run(script({"RETR 1", "DELE 2", "QUIT"})));
    CHECK(f.store.mail[1].hdr.attr == 0x0002);
    CHECK(f.store.mail[2].hdr.attr == 0x0010);
}

TEST_CASE("POP3-97 (ours, by default) what SMTP stored comes out of RETR byte for byte", "[pop3]") {
    const std::vector<std::string> bodies = {
        "plain text\r\nsecond line\r\n",
        "8-bit \xC3\xA9t\xC3\xA9 \xE9\r\n",
        std::string(998, 'L') + "\r\n" + std::string(500, 'M') + "\r\n",
        ".starts with a dot\r\n..two dots\r\n.\r\n",
        "flowed paragraph \r\ncontinues\r\n",
        "This is a multi-part message in MIME format.\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "AAECAwQF\r\n--b1--\r\n",
    };
    for (auto& body : bodies) {
        Pop3Fixture g;
        g.deliver(2, body);
        g.run(script({"LIST 1", "RETR 1", "QUIT"}));
        std::string msg = retrieved(g.io.output);
        CHECK(msg.substr(msg.find("\r\n\r\n") + 4) == body);
        auto out = after_login(g.io.lines());
        CHECK(out[0] == "+OK 1 " + std::to_string(msg.size()));
    }
}

TEST_CASE("POP3-48 a mail base that cannot be opened ends the session with -ERR", "[pop3]") {
    struct DeadStore : test::MemoryMailStore {
        Result<std::vector<MailSummary>> list_mailbox(uint32_t) override {
            return make_error("mail base unreadable", ErrorCode::Io);
        }
    };
    Pop3Fixture f;
    DeadStore dead;
    for (auto& l : {"USER Alice", "PASS Secret", "STAT"}) f.io.send(l);
    Pop3Session s(f.cfg, f.users, dead, f.log, f.attempts, false);
    s.run(f.io);
    CHECK(f.io.lines().back() == "-ERR mail base unreadable");
    CHECK(f.log.level_of("!ERROR mail base unreadable") == LogLevel::Error);
    CHECK(f.io.input.size() == 1);
}

TEST_CASE("POP3-89 KILLREAD mail is only marked read, never deleted by POP3", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, "x\r\n", smb::attr::KILLREAD);
    after_login(f.run(script({"RETR 1", "QUIT"})));
    CHECK(f.store.mail[1].hdr.attr == (smb::attr::KILLREAD | smb::attr::READ));
}

TEST_CASE("POP3-102 (ours) a deletion the base refuses at QUIT is reported with -ERR", "[pop3]") {
    struct StubbornStore : test::MemoryMailStore {
        Status change_attr(uint32_t, uint16_t, uint16_t) override { return make_error("header locked", ErrorCode::Locked); }
    };
    Pop3Fixture f;
    StubbornStore store;
    NewMessage m;
    RecipientCopy c;
    c.append.push_back({smb::hf::RECIPIENTEXT, "2"});
    (void)store.add_mail(m, {c});
    for (auto& l : {"USER Alice", "PASS Secret", "DELE 1", "QUIT"}) f.io.send(l);
    Pop3Session s(f.cfg, f.users, store, f.log, f.attempts, false);
    s.run(f.io);
    CHECK(f.io.lines().back() == "-ERR some deleted messages not removed");
    CHECK(f.log.any("<Alice> !ERROR header locked marking message #1 for deletion"));
}

TEST_CASE("POP3-47 POP3-59 POP3-108 a maintenance lock file refuses login and ends a session", "[pop3]") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/pop3_maint_XXXXXX";
    fs::path root = mkdtemp(tmpl);
    Pop3Fixture f;
    f.cfg->paths.data = root.string() + "/";
    f.deliver(2);
    std::ofstream(root / "mail.lock") << "smbutil";
    auto out = f.run({"USER Alice", "PASS Secret", "STAT"});
    CHECK(out.back() == "-ERR database locked, try again later");
    CHECK(f.log.level_of("!MAIL BASE LOCKED") == LogLevel::Warning);
    fs::remove(root / "mail.lock");
    f.io.before_read = [&](const std::string& line) {
        if (line == "LIST") std::ofstream(root / "mail.lock") << "fixsmb";
    };
    out = after_login(f.run(script({"STAT", "LIST", "STAT"})));
    CHECK(out[0].rfind("+OK 1 ", 0) == 0);
    CHECK(out[1] == "-ERR database locked, try again later");
    CHECK(out.size() == 2);
    fs::remove_all(root);
}

TEST_CASE("POP3-112 the logout update happens only for sessions that reached TRANSACTION", "[pop3]") {
    Pop3Fixture f;
    std::vector<std::pair<uint32_t, time_t>> logouts;
    f.wire = [&](Pop3Session& s) {
        s.set_logout_recorder([&](uint32_t user, time_t login, time_t logout) {
            logouts.push_back({user, logout - login});
            return Status{};
        });
    };
    f.run(script({"STAT", "QUIT"}));
    f.run({"USER Alice", "PASS wrong"});
    REQUIRE(logouts.size() == 1);
    CHECK(logouts[0].first == 2);
    CHECK(logouts[0].second >= 0);
    auto held = f.locks.try_acquire(2);
    f.run(script({"STAT"}));                          // refused with [IN-USE]: no update
    CHECK(logouts.size() == 1);
}

TEST_CASE("POP3-112 by default the user directory records the logout; a failure is logged", "[pop3]") {
    struct LogoutUsers : test::MemoryUserDirectory {
        std::vector<std::pair<uint32_t, time_t>> calls;
        bool fail = false;
        Status record_logout(uint32_t user, time_t login, time_t logout) override {
            calls.push_back({user, logout - login});
            if (fail) return make_error("user.tab locked", ErrorCode::Io);
            return {};
        }
    };
    Pop3Fixture f;
    LogoutUsers users;
    users.add(2, "Alice", "Secret");
    f.deliver(2);
    auto run = [&](const std::vector<std::string>& lines) {
        f.io.output.clear();
        f.io.input.clear();
        for (auto& l : lines) f.io.send(l);
        Pop3Session s(f.cfg, users, f.store, f.log, f.attempts, false);
        s.set_mailbox_locks(&f.locks);
        s.run(f.io);
    };
    run(script({"RETR 1", "QUIT"}));
    REQUIRE(users.calls.size() == 1);
    CHECK(users.calls[0].first == 2);
    CHECK(users.calls[0].second >= 0);
    CHECK_FALSE(f.log.any("in logoutuserdat"));
    run({"USER Alice", "PASS wrong", "QUIT"});
    CHECK(users.calls.size() == 1);
    users.fail = true;
    run(script({"QUIT"}));
    CHECK(users.calls.size() == 2);
    CHECK(f.log.level_of("<Alice> !ERROR user.tab locked in logoutuserdat") == LogLevel::Error);
}

TEST_CASE("POP3-53 POP3-80 RETR sends what the login rendered: one text read per message, same octets", "[pop3]") {
    struct CountingStore : test::MemoryMailStore {
        int text_reads = 0;
        Result<smb::Message> read(uint32_t number, bool with_text) override {
            text_reads += with_text;
            return test::MemoryMailStore::read(number, with_text);
        }
    };
    std::string outputs[2];
    int reads[2] = {0, 0};
    for (int budget = 0; budget < 2; ++budget) {
        Pop3Fixture f;
        CountingStore store;
        f.store.mail.clear();
        uint32_t n = 0;
        {
            NewMessage m;
            smb::Message lm = test::local_mail(".dot\r\nline two \r\n");
            m.hdr = lm.hdr;
            m.body = lm.body;
            RecipientCopy c;
            c.append.push_back({smb::hf::RECIPIENTEXT, "2"});
            n = store.add_mail(m, {c})->front();
        }
        for (auto& l : script({"LIST 1", "RETR 1", "TOP 1 1", "RETR 1", "QUIT"})) f.io.send(l);
        Pop3Session s(f.cfg, f.users, store, f.log, f.attempts, false);
        s.set_mailbox_locks(&f.locks);
        if (!budget) s.set_retr_cache_budget(0);
        s.run(f.io);
        outputs[budget] = f.io.output;
        reads[budget] = store.text_reads;
        CHECK((store.mail[n].hdr.attr & smb::attr::READ) != 0);
    }
    CHECK(reads[0] == 4);      // login, RETR, TOP, RETR
    CHECK(reads[1] == 3);      // login, TOP, second RETR: the first RETR used the login's rendering
    // Same octets either way, apart from the APOP timestamp in the greeting.
    CHECK(outputs[0].substr(outputs[0].find("\r\n")) == outputs[1].substr(outputs[1].find("\r\n")));
    CHECK(outputs[1].find("\r\n..dot\r\nline two \r\n.\r\n") != std::string::npos);
}

TEST_CASE("POP3-73 a full listing whose index read fails stops early but still ends with the dot", "[pop3]") {
    struct FlakyStore : test::MemoryMailStore {
        int lists = 0;
        Result<std::vector<MailSummary>> list_mailbox(uint32_t user) override {
            if (++lists > 1) return make_error("mail.sid: read error", ErrorCode::Io);
            return test::MemoryMailStore::list_mailbox(user);
        }
    };
    Pop3Fixture f;
    FlakyStore store;
    for (int i = 0; i < 2; ++i) {
        NewMessage m;
        m.body = "x\r\n";
        RecipientCopy c;
        c.append.push_back({smb::hf::RECIPIENTEXT, "2"});
        (void)store.add_mail(m, {c});
    }
    for (auto& l : script({"UIDL", "LIST", "STAT", "QUIT"})) f.io.send(l);
    Pop3Session s(f.cfg, f.users, store, f.log, f.attempts, false);
    s.run(f.io);
    auto out = after_login(f.io.lines());
    REQUIRE(out.size() == 6);
    CHECK(out[0].rfind("+OK 2 messages (", 0) == 0);
    CHECK(out[1] == ".");
    CHECK(out[2].rfind("+OK 2 messages (", 0) == 0);
    CHECK(out[3] == ".");
    CHECK(out[4].rfind("+OK 2 ", 0) == 0);             // the session goes on
    CHECK(f.log.level_of("<Alice> !ERROR mail.sid: read error listing messages") == LogLevel::Error);
}

TEST_CASE("POP3-107 (ours) the mailbox is free when the QUIT reply goes out", "[pop3]") {
    struct WatchingIo : test::ApopIo {
        pop3::MailboxLockRegistry* locks = nullptr;
        std::vector<bool> free_at_write;
        bool write(std::string_view b) override {
            free_at_write.push_back(locks->try_acquire(2) != nullptr);
            return test::ApopIo::write(b);
        }
    };
    Pop3Fixture f;
    f.deliver(2);
    WatchingIo io;
    io.locks = &f.locks;
    for (auto& l : script({"RETR 1", "DELE 1", "QUIT"})) io.send(l);
    Pop3Session s(f.cfg, f.users, f.store, f.log, f.attempts, false);
    s.set_mailbox_locks(&f.locks);
    s.run(io);
    REQUIRE(io.free_at_write.size() == 6);            // greeting, USER, PASS, RETR, DELE, QUIT
    CHECK_FALSE(io.free_at_write[4]);
    CHECK(io.free_at_write[5]);
    CHECK(io.lines().back() == "+OK");
    CHECK(f.store.mail[1].hdr.attr == (smb::attr::READ | smb::attr::DELETE));
}

TEST_CASE("ISSUE14-3 POP3-13 log lines keep the \"%04d %-5s \" prefix built without printf", "[pop3]") {
    for (auto [socket, tls, prefix] : {std::tuple{7, false, "0007 POP3  "}, std::tuple{1234, true, "1234 POP3S "},
                                       std::tuple{12345, false, "12345 POP3  "}, std::tuple{-1, false, "-001 POP3  "}}) {
        Pop3Fixture f;
        f.cfg->mail.options |= mail_opt::DEBUG_POP3;      // for the Hostname line (log_client)
        f.wire = [socket = socket](Pop3Session& s) { s.set_socket(socket); };
        f.deliver(2);
        f.run(script({"RETR 1", "QUIT"}), tls);
        INFO(prefix);
        CHECK(f.log.any(std::string(prefix) + "<Alice> retrieving message #1 (1 of 1) with command: RETR 1"));
        CHECK(f.log.any(std::string(prefix) + "[127.0.0.2] Hostname: <no name>"));
    }
}
