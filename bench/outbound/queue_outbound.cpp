// The outbound bench's queue writer (build/<mode>/bench/outbound): queues
// Internet mail in an SMB mail base exactly as the BBS terminal does
// (FMT-117: RECIPIENTNETTYPE INTERNET, RECIPIENTNETADDR, no RECIPIENTEXT,
// netattr LOCAL, from user 1), with our SmbBase writer and its locks.
//
//   outbound PREFIX COUNT DOMAINS BODY_BYTES
//
// Message n (1..COUNT) goes to user<n>@d<k>.outbound.test, k = (n-1) % DOMAINS
// + 1 (two digits), subject "outbound <n>", Message-ID <outbound.n@bbs.example>;
// bench_outbound.py builds the same texts for Postfix. Exit 0, or 1 with the error.
#include "msgbase/smb_base.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

std::string domain_of(int n, int domains) {
    char d[32];
    std::snprintf(d, sizeof d, "d%02d.outbound.test", (n - 1) % domains + 1);
    return d;
}

// The body: one line naming the message, then 76-character lines up to
// about body_bytes, the same bytes bench_outbound.py gives Postfix.
std::string body_of(int n, size_t body_bytes) {
    std::string text = "Outbound bench message " + std::to_string(n) + ".\r\n";
    const std::string line = std::string(76, 'x') + "\r\n";
    while (text.size() + line.size() <= body_bytes) text += line;
    return text;
}

Status queue_one(SmbBase& base, int n, int domains, size_t body_bytes) {
    NewMessage m;
    m.hdr.netattr = netattr::LOCAL;            // created at the terminal (FMT-117)
    m.hdr.add(hf::SENDER, "Sysop");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "outbound " + std::to_string(n));
    m.hdr.add(hf::RFC822MSGID, "<outbound." + std::to_string(n) + "@bbs.example>");
    const std::string body = body_of(n, body_bytes);   // m.body points into it
    m.body = body;
    std::vector<RecipientCopy> copies(1);
    HeaderField net_type;
    net_type.type = hf::RECIPIENTNETTYPE;
    net_type.data = std::string{char(net::INTERNET), 0};
    std::string to = "user" + std::to_string(n) + "@" + domain_of(n, domains);
    copies[0].append = {{hf::RECIPIENT, to}, net_type, {hf::RECIPIENTNETADDR, to}};
    auto r = base.add(m, copies);
    if (!r) return r.error();
    return {};
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: outbound PREFIX COUNT DOMAINS BODY_BYTES\n");
        return 2;
    }
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto base = SmbBase::open(argv[1], o);
    if (!base) {
        std::fprintf(stderr, "outbound: %s\n", base.error().message.c_str());
        return 1;
    }
    int count = std::atoi(argv[2]), domains = std::atoi(argv[3]);
    size_t body_bytes = size_t(std::atol(argv[4]));
    if (count < 1 || domains < 1 || domains > 99) {
        std::fprintf(stderr, "outbound: COUNT >= 1 and DOMAINS 1..99\n");
        return 2;
    }
    for (int n = 1; n <= count; ++n) {
        if (auto st = queue_one(**base, n, domains, body_bytes); !st) {
            std::fprintf(stderr, "outbound: %s\n", st.error().message.c_str());
            return 1;
        }
    }
    std::printf("queued %d\n", count);
    return 0;
}
