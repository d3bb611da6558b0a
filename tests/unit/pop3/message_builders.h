// Builders for stored messages used by the renderer and POP3 tests.
#pragma once

#include "mailfmt/render.h"

#include <string>

namespace sbbs::test {

inline smb::When packed_when(int y, int mon, int d, int h, int mi, int s, int16_t zone) {
    smb::When w;
    w.year = uint16_t(y);
    w.time = uint32_t(mon) << 22 | uint32_t(d) << 17 | uint32_t(h) << 12 | uint32_t(mi) << 6 | uint32_t(s);
    w.zone = zone;
    return w;
}

// Local mail from BBS user 1 "Sysop" to user 2 "Alice", as the terminal server writes it.
inline smb::Message local_mail(std::string body = "Hello Alice\r\n") {
    smb::Message m;
    m.hdr.number = 1;
    m.hdr.when_written = packed_when(2026, 1, 1, 9, 30, 5, -300);
    m.hdr.when_imported_time = 1767277805;
    m.hdr.add(smb::hf::SENDER, "Sysop");
    m.hdr.add(smb::hf::SENDEREXT, "1");
    m.hdr.add(smb::hf::RECIPIENT, "Alice");
    m.hdr.add(smb::hf::RECIPIENTEXT, "2");
    m.hdr.add(smb::hf::SUBJECT, "Welcome");
    m.body = std::move(body);
    return m;
}

// Mail received from the Internet by the SMTP server for user 2.
inline smb::Message internet_mail() {
    smb::Message m;
    m.hdr.number = 2;
    m.hdr.when_written = packed_when(2026, 1, 1, 2, 0, 0, -480);
    m.hdr.when_imported_time = 1767261600;
    m.hdr.add(smb::hf::SMTPRECEIVED, "from mx.remote.example\r\n\tby bbs.example.com; Thu, 1 Jan 2026");
    m.hdr.add(smb::hf::RFC822FROM, "Bob Remote <bob@remote.example>");
    m.hdr.add(smb::hf::RECIPIENTLIST, "alice@bbs.example.com");
    m.hdr.add(smb::hf::SUBJECT, "Greetings");
    m.hdr.add(smb::hf::RFC822MSGID, "<1@remote.example>");
    m.hdr.add(smb::hf::RFC822HEADER, "MIME-Version: 1.0");
    m.hdr.add(smb::hf::RFC822HEADER, "Content-Type: text/plain; charset=ISO-8859-1");
    m.hdr.add(smb::hf::SENDER, "Bob Remote");
    m.hdr.add_u16(smb::hf::SENDERNETTYPE, smb::net::INTERNET);
    m.hdr.add(smb::hf::SENDERNETADDR, "bob@remote.example");
    m.hdr.add(smb::hf::SMTPREVERSEPATH, "<bob@remote.example>");
    m.hdr.add(smb::hf::RECIPIENT, "Alice");
    m.hdr.add(smb::hf::RECIPIENTEXT, "2");
    m.body = "Hi Alice,\r\n.hidden dot line\r\nBye\r\n";
    return m;
}

inline RenderContext test_context() {
    RenderContext c;
    c.host_name = "mail.bbs.example.com";
    c.inet_addr = "bbs.example.com";
    c.system_name = "Fixture BBS";
    c.qwk_id = "FIXTURE";
    c.operator_name = "Sysop";
    return c;
}

} // namespace sbbs::test
