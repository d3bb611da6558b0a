// The local delivery's success notice (RFC 3461 6.2.1 (a)), from a stored
// copy as SMTP writes it, without the SMTP parser.
#include "dsn/delivered.h"
#include "memory_mail_store.h"
#include "msgbase/smb_defs.h"

#include <algorithm>

using namespace sbbs;
using namespace sbbs::dsn;
namespace hf = sbbs::smb::hf;

namespace {
// A copy as SMTP stores it for local user #2 from an Internet sender.
smb::MessageHeader stored_copy(const std::string& rcpt_params, const std::string& reverse_path = "<ann@far.example>") {
    smb::MessageHeader h;
    h.number = 12;
    h.when_imported_time = 1796688000;
    h.netattr = smb::netattr::KILLSENT;
    h.add(hf::SUBJECT, "Hello Bob");
    h.add(hf::SENDER, "Ann");
    h.add_u16(hf::SENDERNETTYPE, smb::net::INTERNET);
    h.add(hf::SENDERNETADDR, "ann@far.example");
    h.add(hf::SMTPREVERSEPATH, reverse_path);
    h.add(hf::RFC822MSGID, "<m1@far.example>");
    h.add(hf::RECIPIENT, "Bob");
    h.add(hf::SMTPFORWARDPATH, "<bob@bbs.example>");
    h.add(hf::RECIPIENTEXT, "2");
    if (!rcpt_params.empty()) h.add(hf::DSN_RECIPIENT, rcpt_params);
    h.add(hf::DSN_ENVELOPE, "ENVID=abc");
    return h;
}
const std::string kHeader = "Subject: Hello Bob\r\nFrom: Ann <ann@far.example>\r\n";
const std::string kBody = "The body\r\n";
const std::string kText = kHeader + "\r\n" + kBody;
} // namespace

TEST_CASE("RFC3461-6.2.1 NOTIFY=SUCCESS on a local copy: a delivered notice to the reverse path") {
    CHECK(wants_delivered_notice(stored_copy("NOTIFY=SUCCESS ORCPT=rfc822;Bob@BBS.example")));
    test::MemoryMailStore store;
    auto n = queue_delivered_notice(store, stored_copy("NOTIFY=SUCCESS ORCPT=rfc822;Bob@BBS.example"), kHeader,
                                    TextPieces(kBody), {"bbs.example", false, 1796688060});
    REQUIRE(n.ok());
    auto m = store.read(*n, true).value();
    CHECK(m.hdr.get(hf::SUBJECT) == "Delivered: Hello Bob");
    CHECK(m.hdr.get(hf::RECIPIENTNETADDR) == "<ann@far.example>");     // queued for SendMail
    CHECK(m.hdr.get_u16(hf::RECIPIENTNETTYPE) == smb::net::INTERNET);
    CHECK(m.hdr.get_u16(hf::SENDERAGENT) == smb::agent::SMTPSYSMSG);   // its own reverse path is <>
    CHECK(m.hdr.last(hf::DSN_RECIPIENT) == nullptr);
    CHECK(m.body.find("Original-Envelope-Id: abc\r\n") != std::string::npos);
    CHECK(m.body.find("Original-Recipient: rfc822;Bob@BBS.example\r\nFinal-Recipient: rfc822;bob@bbs.example\r\n"
                      "Action: delivered\r\nStatus: 2.0.0\r\n") != std::string::npos);
    CHECK(m.body.find("Content-Type: text/rfc822-headers\r\n") != std::string::npos);
    CHECK(m.body.find("The body") == std::string::npos);                // RET unset: the header only
}

TEST_CASE("RFC3461-4.1 RFC3461-6.2 no delivered notice without SUCCESS, for a null reverse path, or a copy sent onward") {
    CHECK_FALSE(wants_delivered_notice(stored_copy("")));
    CHECK_FALSE(wants_delivered_notice(stored_copy("NOTIFY=FAILURE,DELAY")));
    CHECK_FALSE(wants_delivered_notice(stored_copy("NOTIFY=NEVER")));
    CHECK_FALSE(wants_delivered_notice(stored_copy("NOTIFY=SUCCESS", "<>")));
    CHECK_FALSE(wants_delivered_notice(stored_copy("NOTIFY=SUCCESS", "")));
    auto relayed = stored_copy("NOTIFY=SUCCESS");
    relayed.add_u16(hf::RECIPIENTNETTYPE, smb::net::INTERNET);          // SendMail's to report "relayed"
    CHECK_FALSE(wants_delivered_notice(relayed));
}

TEST_CASE("FMT-121 SEND-93 a notice keeps the original's fixed part but not its attachment flags (its text is the report)") {
    auto copy = stored_copy("NOTIFY=SUCCESS");
    copy.auxattr = smb::auxattr::FILEATTACH | smb::auxattr::MIMEATTACH | smb::auxattr::KILLFILE |
                   smb::auxattr::HFIELDS_UTF8;
    copy.attr = smb::attr::READ;
    Notice n = make_notice(copy, kText, {}, {"bbs.example", true, 1796688060});
    CHECK(n.hdr.auxattr == smb::auxattr::HFIELDS_UTF8);
    CHECK(n.hdr.attr == (smb::attr::NOREPLY | smb::attr::KILLREAD));
    CHECK(n.hdr.when_imported_time == copy.when_imported_time);
}

TEST_CASE("RFC3461-4.3 review 7: the delivered report joins the body only when RET=FULL asks for it") {
    auto copy = stored_copy("NOTIFY=SUCCESS");
    CHECK(returned_text(copy, kHeader, TextPieces(kBody)) == kHeader + "\r\n");           // RET unset: header only
    copy.fields.erase(std::remove_if(copy.fields.begin(), copy.fields.end(),
                                     [](const smb::HeaderField& f) { return f.type == hf::DSN_ENVELOPE; }),
                      copy.fields.end());
    copy.add(hf::DSN_ENVELOPE, "RET=FULL");
    CHECK(returned_text(copy, kHeader, TextPieces(kBody)) == kText);
    test::MemoryMailStore store;
    auto n = queue_delivered_notice(store, copy, kHeader, TextPieces(kBody), {"bbs.example", false, 1796688060});
    REQUIRE(n.ok());
    const std::string body = store.read(*n, true).value().body;
    CHECK(body.find("Content-Type: message/rfc822\r\n") != std::string::npos);
    CHECK(body.find("The body") != std::string::npos);
}
