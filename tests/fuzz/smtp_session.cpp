// libFuzzer target for the SMTP server side: a whole SmtpSession over a
// scripted client, the input cut into lines: command lines, ESMTP
// parameters, AUTH payloads (PLAIN, LOGIN, CRAM-MD5), DATA, BDAT sizes and
// chunk bytes (ScriptedIo hands the lines after a BDAT out as raw bytes, so
// chunks end anywhere: mid-line, mid-CR LF, past the input), the header
// parsing of the message stored (Received: scanning, RFC 5322, MIME), and
// (mode bit 4) SMTPUTF8 addresses against CP437 users and IDNA domains.
#include "fuzz_lines.h"
#include "unit/smtp/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    smtptest::Harness h;
    // The first byte picks the listener and relay rights, so AUTH, the
    // submission rules and the relay paths are all reachable.
    uint8_t mode = data[0];
    h.listener = (mode & 1) ? sbbs::smtp::Listener::Submission : sbbs::smtp::Listener::Transfer;
    if (mode & 2) h.lists.relay_ips.insert(h.io.ip);
    // RFC 6531: CP437 user names, an IDNA domain of ours and a CP437
    // alias, so SMTPUTF8 addresses reach name conversion and IDNA matching.
    if (mode & 4) {
        h.cfg->msgs.settings |= sbbs::MsgsSettings::MM_REALNAME;
        h.users.add(4, "J\x94rgen", "pw");
        h.users.add(5, "J\x81rgen", "pw").name = "J\x81rgen M\x81ller";
        h.lists.domains.insert("xn--bcher-kva.example");
        h.lists.aliases["s\x81\xe1"] = "Mary";
        h.cfg->mail.default_user = (mode & 8) ? "Mary" : "";
    }
    h.cfg->mail.max_msg_size = 64 * 1024;
    for (auto& l : sbbs::fuzz::client_lines(data + 1, size - 1)) h.io.send(std::move(l));
    sbbs::smtp::SmtpSession s(h.cfg, h.listener, h.users, h.store, h.log, h.filters, h.extras);
    s.run(h.io);
    return 0;
}
