// The renderer on the messages the original wrote (fixtures/msgbase/mail),
// read through our SMB reader from a temporary copy of the base.
#include "mailfmt/render_parts.h"
#include "msgbase/smb_mail_store.h"

#include <catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

using namespace sbbs;
namespace fs = std::filesystem;

namespace {
// The shared fixtures: $SBBSMAIL_FIXTURES, or shared/fixtures above the working directory.
fs::path fixtures_root() {
    if (const char* e = std::getenv("SBBSMAIL_FIXTURES")) return e;
    for (fs::path p = fs::current_path(); !p.empty() && p != p.parent_path(); p = p.parent_path())
        if (fs::exists(p / "shared/fixtures/msgbase")) return p / "shared/fixtures";
    return "/work/shared/fixtures";
}
const fs::path FIXTURE = fixtures_root() / "msgbase" / "mail";

struct FixtureBase {
    fs::path dir;
    std::unique_ptr<smb::SmbMailStore> store;
    FixtureBase() {
        std::random_device rd;
        dir = fs::temp_directory_path() / ("render-fixture-" + std::to_string(rd()));
        fs::create_directories(dir);
        for (auto& e : fs::directory_iterator(FIXTURE))
            if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
        smb::BaseOptions o;
        o.read_only = true;
        store = std::make_unique<smb::SmbMailStore>((dir / "mail").string(), o, nullptr);
    }
    ~FixtureBase() { std::error_code ec; fs::remove_all(dir, ec); }
    smb::Message read(uint32_t n) {
        auto m = store->read(n, true);
        REQUIRE(m.ok());
        return *m;
    }
};

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The original's rendering (its extra CR LF after each text field, POP3-78).
RenderContext fixture_context() {
    RenderContext c;
    c.exact_text = false;
    c.host_name = "bbs.example.com";
    c.inet_addr = "bbs.example.com";
    c.system_name = "Fixture BBS";
    return c;
}
} // namespace

TEST_CASE("POP3-83 POP3-91 fixture #1: local mail from a BBS user, as the original renders it", "[render]") {
    FixtureBase b;
    std::string body = file_text(FIXTURE / "bodies" / "1.body.txt");
    std::string expected =
        "Date: Thu, 1 Jan 2026 05:00:00 -0500\r\n"
        "From: \"Sysop\" <Sysop@bbs.example.com>\r\n"
        "Organization: Fixture BBS\r\n"
        "Subject: Welcome to the BBS\r\n"
        "To: Alice\r\n"
        "Message-ID: <695645A0.1@bbs.example.com>\r\n"
        "X-Originator-Info: account=1; login-id=(null); server=bbs.example.com; client=client.example.net; "
        "addr=192.0.2.10; prot=Telnet; port=23; time=(null)\r\n"
        "Content-Type: text/plain; charset=US-ASCII\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n" + body + "\r\n";
    CHECK(render_rfc822(b.read(1), fixture_context()) == expected);
}

TEST_CASE("POP3-83 POP3-84 POP3-86 fixture #2: Internet mail keeps its stored header lines", "[render]") {
    FixtureBase b;
    std::string body = file_text(FIXTURE / "bodies" / "2.body.txt");
    std::string expected =
        "Return-Path: <bob@remote.example>\r\n"
        "Received: from mx.remote.example (mx.remote.example [198.51.100.25])\r\n"
        "          by bbs.example.com [203.0.113.5] (Synchronet-Fixture) with ESMTP\r\n"
        "          for <alice@bbs.example.com>; Thu, 01 Jan 2026 05:01:00 -0500\r\n"
        "          (envelope-from <bob@remote.example>)\r\n"
        "Received: from [10.0.0.7] by mail.remote.example; Thu, 1 Jan 2026 02:00:30 -0800\r\n"
        "Date: Thu, 1 Jan 2026 02:00:00 -0800\r\n"
        "From: Bob Remote <bob@remote.example>\r\n"
        "Subject: Greetings from the Internet\r\n"
        "To: Alice <alice@bbs.example.com>, Carol <carol@bbs.example.com>\r\n"
        "Message-ID: <20260101020000.4711@remote.example>\r\n"
        "X-Originator-Info: account=(null); login-id=(null); server=bbs.example.com; client=mx.remote.example; "
        "addr=198.51.100.25; prot=SMTP; port=40123; time=(null)\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "X-Mailer: FixtureMailer 1.0\r\n"
        "\r\n" + body + "\r\n";
    CHECK(render_rfc822(b.read(2), fixture_context()) == expected);
}

TEST_CASE("POP3-78 fixture #7 and #9: body and tail, LZH text, FTN kludges", "[render]") {
    FixtureBase b;
    auto m7 = b.read(7);
    CHECK(message_text(m7, false) == file_text(FIXTURE / "bodies" / "7.body.txt") + "\r\n" +
                                  file_text(FIXTURE / "bodies" / "7.tail.txt") + "\r\n");
    CHECK(message_text(m7) == message_text(m7, false));   // FMT-49: exact mode renders a tail as the original
    auto r9 = render_message(b.read(9), fixture_context());
    std::string body9 = file_text(FIXTURE / "bodies" / "9.body.txt");
    CHECK(r9.text_bytes == body9.size() + 2);
    bool pid = false;
    for (auto& l : r9.header) pid = pid || l.rfind("X-FTN-PID: ", 0) == 0;
    CHECK(pid);
    CHECK(r9.header[r9.header.size() - 3] == "Content-Type: text/plain; charset=US-ASCII");
}

TEST_CASE("POP3-96 POP3-84 fixture #6: spam from the Internet addressed by its recipient address", "[render]") {
    FixtureBase b;
    auto h = render::header_lines(b.read(6), fixture_context());
    bool to = false;
    for (auto& l : h) to = to || l == "To: alice@bbs.example.com";
    CHECK(to);
    bool spam_flag = false;
    for (auto& l : h) spam_flag = spam_flag || l == "X-Spam-Flag: Yes";
    CHECK(spam_flag);
}
