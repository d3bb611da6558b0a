// Messages with file attachments: boundary, parts, closing boundaries.
#include "mailfmt/render_parts.h"
#include "unit/pop3/message_builders.h"

#include <catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace sbbs;
namespace fs = std::filesystem;

namespace {
struct AttachDir {
    fs::path root;
    AttachDir() {
        char tmpl[] = "/tmp/render_mime_XXXXXX";
        root = mkdtemp(tmpl);
        fs::create_directories(root / "file" / "0002.in");
    }
    ~AttachDir() { std::error_code ec; fs::remove_all(root, ec); }
    void put(const std::string& name, const std::string& data) {
        std::ofstream(root / "file" / "0002.in" / name, std::ios::binary) << data;
    }
    RenderContext ctx() const {
        auto c = test::test_context();
        c.data_dir = root.string() + "/";
        return c;
    }
};

smb::Message attach_mail(const std::string& subject) {
    auto m = test::local_mail("See attached.\r\n");
    m.hdr.number = 7;
    m.hdr.auxattr |= smb::auxattr::FILEATTACH;
    m.hdr.add(smb::hf::SUBJECT, subject);
    return m;
}
} // namespace

TEST_CASE("POP3-92 boundary: 36 alphanumerics from the C library generator seeded by the message", "[render]") {
    std::string b = render::mime_boundary(7 ^ 123456u);
    REQUIRE(b.size() == 36);
    for (char c : b) CHECK(std::isalnum(static_cast<unsigned char>(c)));
    CHECK(render::mime_boundary(7 ^ 123456u) == b);
    CHECK(render::mime_boundary(8 ^ 123456u) != b);
#ifdef __GLIBC__
    std::srand(7 ^ 123456u);
    std::string expected;
    for (int i = 0; i < 36; ++i) {
        int n = std::rand() % 62;
        expected += char(n < 10 ? n + '0' : n < 36 ? n + 55 : n + 61);
    }
    CHECK(b == expected);
#endif
}

TEST_CASE("POP3-93 attachment names from the subject", "[render]") {
    using V = std::vector<std::string>;
    CHECK(render::attachment_names("  a.zip  b.txt ") == V{"a.zip", "b.txt"});
    CHECK(render::attachment_names("\"my file.zip\" c:\\dir\\x.txt") == V{"my file.zip", "x.txt"});
    CHECK(render::attachment_names("bad;name.txt ok.txt") == V{"ok.txt"});
    CHECK(render::attachment_names("\"unterminated") == V{});
}

TEST_CASE("POP3-92 multipart layout with one attachment", "[render]") {
    AttachDir d;
    d.put("a.bin", std::string(60, 'A'));
    auto m = attach_mail("a.bin");
    auto r = render_message(m, d.ctx());
    std::string b = render::mime_boundary(m.hdr.number ^ m.hdr.when_written.time);
    REQUIRE(r.header.size() >= 12);
    std::vector<std::string> expect_header_end{
        "MIME-Version: 1.0", "Content-Type: multipart/mixed;", " boundary=\"" + b + "\"", "",
        "This is a multi-part message in MIME format.", "", "", "--" + b, "Content-Type: text/plain;",
        " charset=\"US-ASCII\"", "Content-Transfer-Encoding: 8bit", ""};
    CHECK(std::vector<std::string>(r.header.end() - 12, r.header.end()) == expect_header_end);
    CHECK(r.text == std::vector<std::string>{"See attached."});
    std::vector<std::string> expect_end{
        "", "--" + b, "Content-Type: application/octet-stream;", " name=\"a.bin\"",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment;", " filename=\"a.bin\"", "",
        "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", "QUFB", "", "",
        "--" + b + "--", ""};
    CHECK(r.full_end == expect_end);
    CHECK(r.partial_end == std::vector<std::string>{"--" + b + "--", ""});
    CHECK(r.attachments.size() == 1);
    CHECK(r.unreadable.empty());
}

TEST_CASE("POP3-94 closing boundary after every attachment; unreadable file is an empty part", "[render]") {
    AttachDir d;
    d.put("one.txt", "1");
    auto m = attach_mail("one.txt missing.txt");
    auto r = render_message(m, d.ctx());
    size_t closings = 0;
    for (auto& l : r.full_end) closings += l.size() > 2 && l.compare(l.size() - 2, 2, "--") == 0;
    CHECK(closings == 2);
    REQUIRE(r.unreadable.size() == 1);
    CHECK(r.unreadable[0].find("missing.txt") != std::string::npos);
    CHECK(r.full_end[r.full_end.size() - 3] == "");     // part headers, empty line, then the closing
}

TEST_CASE("POP3-92 base64 lines of 76 characters and the empty line after a 57-byte multiple", "[render]") {
    auto l = render::base64_lines(std::string(114, 'z'));
    REQUIRE(l.size() == 3);
    CHECK(l[0].size() == 76);
    CHECK(l[2].empty());
    CHECK(render::base64_lines("") == std::vector<std::string>{""});
    CHECK(render::base64_lines("Ma") == std::vector<std::string>{"TWE="});
}

TEST_CASE("POP3-93 attachments of network-bound mail come from the sender's .out directory", "[render]") {
    AttachDir d;
    fs::create_directories(d.root / "file" / "0001.out");
    std::ofstream(d.root / "file" / "0001.out" / "o.txt") << "x";
    auto m = attach_mail("o.txt");
    m.hdr.add(smb::hf::RECIPIENTEXT, "0");
    auto r = render_message(m, d.ctx());
    REQUIRE(r.attachments.size() == 1);
    CHECK(r.attachments[0] == d.root.string() + "/file/0001.out/o.txt");
    CHECK(r.unreadable.empty());
}
