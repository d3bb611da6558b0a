// ArchiveRequirements copies, the session-end line and the login hook the
// server's per-IP connection limit relies on.
#include "harness.h"

#include "smtp/archive.h"
#include "smtp/sasl.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdlib.h>

using namespace smtptest;
namespace fs = std::filesystem;

namespace {

struct DataDir {
    std::string path;
    DataDir() {
        std::string tmpl = (fs::temp_directory_path() / "sbbsarch.XXXXXX").string();
        path = std::string(::mkdtemp(tmpl.data())) + "/";
    }
    ~DataDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    // Every file under user/NNNN/<box>/.
    std::vector<fs::path> files(const std::string& user, const std::string& box) const {
        std::vector<fs::path> out;
        std::error_code ec;
        for (auto& e : fs::directory_iterator(path + "user/" + user + "/" + box, ec)) out.push_back(e.path());
        return out;
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::string auth_mary() { return "AUTH PLAIN " + base64_encode(std::string("\0Mary\0maryPW", 12)); }

} // namespace

TEST_CASE("SMTP-211 USER-58 the archive file name is UTC time and session id", "[smtp][archive]") {
    CHECK(archive_file_name(1795700827, "abc123") == "20261126T134707Z-abc123.eml");
}

TEST_CASE("SMTP-211 USER-58 recipients meeting ArchiveRequirements get a verbatim smtp_in copy", "[smtp][archive]") {
    DataDir d;
    Harness h;
    h.cfg->paths.data = d.path;
    h.cfg->mail.archive_requirements = "LEVEL 60";
    h.users.users[2].level = 60;                     // John Doe qualifies, Mary (50) does not
    h.run(mail_script("<alice@remote.org>", {"<john.doe@example.com>", "<mary@example.com>"},
                      {"From: Alice <alice@remote.org>", "To: John Doe <john.doe@example.com>", "Subject: hi", "",
                       "..dot stuffed", "Hello there", "."}));
    REQUIRE(h.store.mail.size() == 2);
    auto john = d.files("0002", "smtp_in");
    REQUIRE(john.size() == 1);
    CHECK(john[0].extension() == ".eml");
    CHECK(john[0].filename().string().find("Z-") == 15);
    CHECK(slurp(john[0]) == "From: Alice <alice@remote.org>\r\nTo: John Doe <john.doe@example.com>\r\n"
                            "Subject: hi\r\n\r\n.dot stuffed\r\nHello there\r\n");
    CHECK(d.files("0003", "smtp_in").empty());
    CHECK_FALSE(fs::exists(d.path + "user/0000"));   // nobody authenticated: no smtp_relay copy
}

TEST_CASE("SMTP-211 USER-58 an authenticated sender gets an smtp_relay copy, not an smtp_in one", "[smtp][archive]") {
    DataDir d;
    Harness h;
    h.cfg->paths.data = d.path;
    h.cfg->mail.archive_requirements = "LEVEL 50";
    h.run(mail_script("<mary@example.com>", {"<mary@example.com>", "<sysop@example.com>"},
                      {"From: Mary <mary@example.com>", "Subject: to myself", "", "body", "."}, {auth_mary()}));
    REQUIRE(h.store.mail.size() == 2);
    CHECK(d.files("0003", "smtp_relay").size() == 1);
    CHECK(d.files("0003", "smtp_in").empty());       // the sender is not archived as a recipient
    CHECK(d.files("0001", "smtp_in").size() == 1);
}

TEST_CASE("SMTP-211 USER-58 no archive without ArchiveRequirements, for spam, or over an existing file", "[smtp][archive]") {
    DataDir d;
    Harness h;
    h.cfg->paths.data = d.path;
    h.run(mail_script("<alice@remote.org>", {"<john.doe@example.com>"}));
    CHECK_FALSE(fs::exists(d.path + "user"));

    Harness s;
    s.cfg->paths.data = d.path;
    s.cfg->mail.archive_requirements = "LEVEL 10";
    s.run(mail_script("<alice@remote.org>", {"<john.doe@example.com>"},
                      {"From: Alice <alice@remote.org>", "X-Spam-Flag: YES", "Subject: spam", "", "buy", "."}));
    REQUIRE(s.store.mail.size() == 1);
    CHECK(d.files("0002", "smtp_in").empty());

    fs::create_directories(d.path + "user/0002/smtp_in");
    std::ofstream(d.path + "user/0002/smtp_in/x.eml") << "old";
    REQUIRE(archive_copy(d.path, 2, "smtp_in", "x.eml", "new").ok());
    CHECK(slurp(d.path + "user/0002/smtp_in/x.eml") == "old");
}

TEST_CASE("SMTP-254 the session-end line carries the server's thread and client counts", "[smtp]") {
    Harness h;
    h.extras.thread_counts = [] { return std::string("(3 threads remain, 17 clients served)"); };
    h.run({"QUIT"});
    CHECK(h.log.has("0007 SMTP  [127.0.0.2] Session thread terminated (3 threads remain, 17 clients served)"));
    CHECK(h.log.level_of("Session thread terminated") == LogLevel::Info);
}

TEST_CASE("SMTP-16 SMTP-76 a successful AUTH tells the server the connection has logged in", "[smtp][auth]") {
    int calls = 0;
    Harness h;
    h.extras.on_login = [&] { ++calls; };
    h.run({"EHLO x", auth_mary(), "QUIT"});
    CHECK(calls == 1);
    Harness bad;
    bad.extras.on_login = [&] { ++calls; };
    bad.run({"EHLO x", "AUTH PLAIN " + base64_encode(std::string("\0Mary\0wrong", 11)), "QUIT"});
    CHECK(calls == 1);
}
