// libFuzzer target for the SMTP server side: a whole SmtpSession over a
// scripted client, the input cut into lines: command lines, ESMTP
// parameters, AUTH payloads (PLAIN, LOGIN, CRAM-MD5), DATA, BDAT sizes and
// chunk bytes (ScriptedIo hands the lines after a BDAT out as raw bytes, so
// chunks end anywhere: mid-line, mid-CR LF, past the input) and the header
// parsing of the message stored (Received: scanning, RFC 5322, MIME).
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
    h.cfg->mail.max_msg_size = 64 * 1024;
    for (auto& l : sbbs::fuzz::client_lines(data + 1, size - 1)) h.io.send(std::move(l));
    sbbs::smtp::SmtpSession s(h.cfg, h.listener, h.users, h.store, h.log, h.filters, h.extras);
    s.run(h.io);
    return 0;
}
