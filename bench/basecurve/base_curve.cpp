// Cost curve of SMTP's store path against base size (issue #14): fills a mail
// base with our writer, then does what one accepted message costs the store
// (count_sent, count_waiting for its recipient, the durable add) M times, so
// `valgrind --tool=callgrind` can count instructions per message at any size.
// `headers` reads every header of user 2's mailbox in batches of 64, what a
// repeat POP3 STAT costs the store once sizes are remembered.
// Usage: basecurve fill PREFIX N | basecurve accept PREFIX M | basecurve headers PREFIX ROUNDS
#include "msgbase/smb_mail_store.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

NewMessage curve_message(int i, const std::string& body) {
    NewMessage m;
    m.hdr.add(hf::SENDER, "Curve");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "curve " + std::to_string(i));
    m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(i) + ".curve@localhost>");
    m.body = body;
    return m;
}

RecipientCopy copy_for(uint32_t user) {
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, std::to_string(user)}};
    return c;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) { std::fprintf(stderr, "usage: basecurve fill|accept PREFIX COUNT\n"); return 2; }
    bool fill = std::strcmp(argv[1], "fill") == 0;
    int count = std::atoi(argv[3]);
    BaseOptions o;
    o.durable = !fill;                              // filling is set-up, not what is measured
    SmbMailStore store(argv[2], o, nullptr);
    if (std::strcmp(argv[1], "headers") == 0) {
        for (int round = 0; round < count; ++round) {
            auto list = store.list_mailbox(2);
            if (!list) { std::fprintf(stderr, "list failed\n"); return 1; }
            std::vector<uint32_t> batch;
            for (size_t i = 0; i < list->size(); ++i) {
                batch.push_back((*list)[i].number);
                if (batch.size() == 64 || i + 1 == list->size()) {
                    for (auto& h : store.read_headers(batch))
                        if (!h) { std::fprintf(stderr, "header failed\n"); return 1; }
                    batch.clear();
                }
            }
        }
        return 0;
    }
    std::string body;
    while (body.size() < 2048) body += "The quick brown fox jumps over the lazy dog, again and again.\r\n";
    for (int i = 0; i < count; ++i) {
        uint32_t to = 2 + uint32_t(i % 10);
        if (!fill) {                                // SMTP-108, SMTP-148: what a RCPT costs the store
            if (!store.count_sent(1) || !store.count_waiting(to)) { std::fprintf(stderr, "count failed\n"); return 1; }
        }
        auto r = store.add_mail(curve_message(i, body), {copy_for(to)});
        if (!r) { std::fprintf(stderr, "add %d: %s\n", i, r.error().message.c_str()); return 1; }
    }
    return 0;
}
