// Test-only: queues outbound Internet mail from the Sysop (user 1) with
// stored DSN parameters (dsn/params.h, header fields 0xD4/0xD5), as SMTP
// will store them once it parses RET/ENVID/NOTIFY/ORCPT, so the e2e tests
// of SendMail's notices (tests/e2e/test_dsn_notices_e2e.py) need no parser.
//
//   dsn_queue PREFIX TO SUBJECT ENVELOPE_PARAMS RCPT_PARAMS
//
// The params are the stored text ("RET=HDRS ENVID=x", "NOTIFY=SUCCESS"),
// "" for none. Prints "queued <number>". Exit 0, or 1 with the error.
#include "msgbase/mail_store.h"
#include "msgbase/smb_base.h"

#include <cstdio>
#include <string>

using namespace sbbs;
using namespace sbbs::smb;

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: dsn_queue PREFIX TO SUBJECT ENVELOPE_PARAMS RCPT_PARAMS\n");
        return 2;
    }
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto base = SmbBase::open(argv[1], o);
    if (!base) {
        std::fprintf(stderr, "dsn_queue: %s\n", base.error().message.c_str());
        return 1;
    }
    std::string subject = argv[3];
    std::string body = "Body of " + subject + ".\r\n";
    NewMessage m;
    m.body = body;
    m.hdr.netattr = netattr::LOCAL;
    m.hdr.when_imported_time = uint32_t(time(nullptr));
    m.hdr.add(hf::SENDER, "Sysop");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, subject);
    m.hdr.add(hf::RFC822MSGID, "<" + subject + "@testbbs.example>");
    std::vector<RecipientCopy> copies(1);
    copies[0].append = {{hf::RECIPIENT, argv[2]},
                        {hf::RECIPIENTNETTYPE, std::string{char(net::INTERNET), 0}},
                        {hf::RECIPIENTNETADDR, argv[2]}};
    if (*argv[4]) copies[0].append.push_back({hf::DSN_ENVELOPE, argv[4]});
    if (*argv[5]) copies[0].append.push_back({hf::DSN_RECIPIENT, argv[5]});
    for (int attempt = 0;; ++attempt) {   // the server may hold the lock a moment
        auto r = (*base)->add(m, copies);
        if (r) {
            std::printf("queued %u\n", unsigned(r->front()));
            return 0;
        }
        if (r.error().code != ErrorCode::Locked || attempt == 5) {
            std::fprintf(stderr, "dsn_queue: %s\n", r.error().message.c_str());
            return 1;
        }
    }
}
