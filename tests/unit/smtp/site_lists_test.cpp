// The file-backed site lists on a temporary ctrl/ directory.
#include "harness.h"

#include "smtp/file_site_lists.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace smtptest;

TEST_CASE("SMTP-120 SMTP-121 SMTP-233 alias.cfg, domains.cfg and relay.cfg from ctrl/", "[smtp][lists]") {
    auto dir = std::filesystem::temp_directory_path() / ("smtp-ctrl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "alias.cfg") << "; comment\nwebmaster Mary\n*@lists.example.com *-list\nlonely\n";
    std::ofstream(dir / "domains.cfg") << "; ours too\nalt.example.org\n*.example.net\n";
    std::ofstream(dir / "relay.cfg") << "192.0.2.0/24\ntrusted.example.org\n";
    FileSiteLists lists(dir.string() + "/");
    CHECK(lists.alias("WebMaster") == "Mary");
    CHECK(lists.alias("news@lists.example.com") == "news-list");
    CHECK_FALSE(lists.alias("lonely"));
    CHECK(lists.extra_local_domain("ALT.example.org"));
    CHECK(lists.extra_local_domain("mx.example.net"));
    CHECK_FALSE(lists.extra_local_domain("example.org"));
    CHECK(lists.relay_client("192.0.2.44", "<no name>"));
    CHECK(lists.relay_client("198.51.100.1", "trusted.example.org"));
    CHECK_FALSE(lists.relay_client("198.51.100.1", "<no name>"));

    Harness h;                                        // the session on these files
    h.extras.lists = &lists;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<webmaster@alt.example.org>"});
    CHECK(r.back() == "250 2.1.5 OK");
    std::filesystem::remove_all(dir);
}
