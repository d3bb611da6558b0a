// libFuzzer target for the POP3 server side: a whole Pop3Session over a
// scripted client with two messages in Alice's mailbox; the input is cut
// into command lines (USER/PASS, APOP, AUTH PLAIN payloads, LIST/RETR/TOP
// arguments, UIDL, DELE, RSET, QUIT).
#include "fuzz_lines.h"
#include "unit/pop3/pop3_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    sbbs::test::Pop3Fixture f;
    f.deliver(2, "Hello\r\nSecond line\r\n.dot line\r\n");
    f.deliver(2, std::string(300, 'x') + "\r\n");
    for (auto& l : sbbs::fuzz::client_lines(data, size)) f.io.send(std::move(l));
    sbbs::Pop3Session s(f.cfg, f.users, f.store, f.log, f.attempts, false);
    s.set_mailbox_locks(&f.locks);
    s.run(f.io);
    return 0;
}
