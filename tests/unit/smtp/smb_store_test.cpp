// The session storing into a real SMB mail base: the stored copies read
// back with their fields, and the base stays consistent (chksmb rules).
#include "harness.h"

#include "msgbase/checker.h"
#include "msgbase/smb_mail_store.h"
#include "smtp/sasl.h"

#include <catch.hpp>

#include <filesystem>
#include <unistd.h>

using namespace smtptest;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() / ("smtp-smb-" + std::to_string(::getpid()));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

std::unique_ptr<smb::SmbMailStore> mail_store(const TempDir& d) {
    smb::BaseOptions o;
    o.create = true;
    o.create_status.attr = smb::status_attr::EMAIL;
    o.create_status.max_age = 90;
    return std::make_unique<smb::SmbMailStore>((d.path / "mail").string(), o,
                                               [](const std::string&) { return std::nullopt; });
}

} // namespace

TEST_CASE("SMTP-195 SMTP-202 FMT-33 FMT-48 FMT-107 FMT-115 FMT-116 copies stored in an SMB base read back and check clean", "[smtp][smb]") {
    TempDir dir;
    auto store = mail_store(dir);
    Harness h;
    h.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    h.cfg->msgs.fido_addresses.push_back("1:218/700");
    h.cfg->sys.settings |= SystemSettings::SYS_FWDTONET;
    h.users.users[2].netmail = "john@outside.org";
    h.users.users[2].misc |= User::MISC_NETMAIL;
    std::string auth = "AUTH PLAIN " + base64_encode(std::string("\0Mary\0maryPW", 12));
    auto script = mail_script("<mary@example.com>",
                              {"<sysop@example.com>", "<out@elsewhere.org>", "<joe@f3.n2.z1.fidonet>",
                               "<john.doe@example.com>"},
                              {"From: Mary <mary@example.com>", "To: Sysop <sysop@example.com>",
                               "Subject: =?utf-8?q?caf=C3=A9?=", "", "Hello", "..dot", "."},
                              {auth});
    for (auto& l : script) h.io.send(l);
    SmtpSession s(h.cfg, h.listener, h.users, *store, h.log, h.filters, h.extras);
    s.run(h.io);
    auto c = codes(h.io.lines());
    REQUIRE(c.size() >= 3);
    CHECK(c[c.size() - 2] == 250);

    auto last = store->last_msg();
    REQUIRE(last.ok());
    REQUIRE(*last == 4);
    auto m1 = store->read(1, true);
    REQUIRE(m1.ok());
    CHECK(m1->body == "Hello\r\n.dot\r\n");
    CHECK(m1->hdr.get(smb::hf::RECIPIENTEXT) == "1");
    CHECK(m1->hdr.get(smb::hf::SENDEREXT) == "3");
    CHECK(m1->hdr.get(smb::hf::SUBJECT) == "caf\xC3\xA9");
    CHECK(m1->hdr.fields.front().type == smb::hf::SMTPRECEIVED);
    CHECK((m1->hdr.auxattr & smb::auxattr::HFIELDS_UTF8) != 0);
    auto m2 = store->read(2, true);
    REQUIRE(m2.ok());
    CHECK(m2->body == m1->body);
    CHECK(m2->hdr.get(smb::hf::RECIPIENTNETADDR) == "out@elsewhere.org");
    auto m3 = store->read(3, false);
    REQUIRE(m3.ok());
    CHECK(m3->hdr.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::FIDO);
    auto m4 = store->read(4, false);
    REQUIRE(m4.ok());
    CHECK(m4->hdr.get(smb::hf::RECIPIENTNETADDR) == "john@outside.org");   // forwarded, FMT-116
    CHECK(m4->hdr.last(smb::hf::RECIPIENTEXT) == nullptr);
    auto queued = store->queued_outbound(false);
    REQUIRE(queued.ok());
    CHECK(queued->size() == 2);                                            // relay + forward, FMT-117
    CHECK(store->list_mailbox(1)->size() == 1);
    auto problems = smb::check_base((dir.path / "mail").string());
    for (auto& p : problems) INFO(p.file << " #" << p.message << ": " << p.what);
    CHECK(problems.empty());
}
