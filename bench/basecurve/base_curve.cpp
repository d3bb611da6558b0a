// Cost curve of SMTP's store path against base size (issue #14): fills a mail
// base with our writer, then does what one accepted message costs the store
// (count_sent, count_waiting for each recipient, the durable add) M times, so
// `valgrind --tool=callgrind` can count instructions per message at any size.
// One message goes first, outside measured_accepts(): what a running server
// has already paid once (the first pass over the index, the first full scan
// of the tables); run.sh counts only inside measured_accepts().
// `headers` reads every header of user 2's mailbox in batches of 64, what a
// repeat POP3 STAT costs the store once sizes are remembered, and prints how
// many it read.
// `expire` does one message after the clock has passed the counts' and the
// hints' age bounds: a steady message plus what those bounds cost each time.
// Usage: basecurve fill PREFIX N | basecurve accept|expire PREFIX M [RCPTS] |
//        basecurve headers PREFIX ROUNDS
#include "msgbase/smb_mail_store.h"

#include <algorithm>
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

// Recipients of message i: RCPTS users from 2 on (at most 100 of them).
std::vector<uint32_t> users_for(int i, int rcpts) {
    std::vector<uint32_t> users;
    for (int k = 0; k < rcpts; ++k) users.push_back(2 + uint32_t((i * rcpts + k) % (rcpts == 1 ? 10 : 100)));
    return users;
}

std::vector<RecipientCopy> copies_of(const std::vector<uint32_t>& users) {
    std::vector<RecipientCopy> copies;
    for (uint32_t user : users) {
        RecipientCopy c;
        c.append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, std::to_string(user)}};
        copies.push_back(std::move(c));
    }
    return copies;
}

// Reads every header of user 2's mailbox `rounds` times; how many one round
// read, or -1. Not inlined: run.sh counts inside it (--toggle-collect).
[[gnu::noinline]] long measured_headers(SmbMailStore& store, int rounds) {
    long read = 0;
    for (int round = 0; round < rounds; ++round) {
        auto list = store.list_mailbox(2);
        if (!list) return -1;
        std::vector<uint32_t> batch;
        for (size_t i = 0; i < list->size(); ++i) {
            batch.push_back((*list)[i].number);
            if (batch.size() == 64 || i + 1 == list->size()) {
                for (auto& h : store.read_headers(batch))
                    if (!h) return -1;
                batch.clear();
            }
        }
        read = long(list->size());
    }
    return read;
}

const std::string& curve_body() {
    static const std::string body = [] {
        std::string b;
        while (b.size() < 2048) b += "The quick brown fox jumps over the lazy dog, again and again.\r\n";
        return b;
    }();
    return body;
}

// Messages [from, to): what each costs the store, as SMTP pays it (SMTP-108
// once per transaction, SMTP-148 per RCPT, then the add at the end of DATA).
int accept_range(SmbMailStore& store, int from, int to, int rcpts, bool counted) {
    for (int i = from; i < to; ++i) {
        auto users = users_for(i, rcpts);
        if (counted) {
            bool ok = bool(store.count_sent(1));
            for (uint32_t user : users) ok = ok && store.count_waiting(user);
            if (!ok) { std::fprintf(stderr, "count failed\n"); return 1; }
        }
        auto r = store.add_mail(curve_message(i, curve_body()), copies_of(users));
        if (!r) { std::fprintf(stderr, "add %d: %s\n", i, r.error().message.c_str()); return 1; }
    }
    return 0;
}

// The part callgrind counts (run.sh: --toggle-collect); not inlined, so it
// keeps its name.
[[gnu::noinline]] int measured_accepts(SmbMailStore& store, int count, int rcpts) {
    return accept_range(store, 1, 1 + count, rcpts, true);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        std::fprintf(stderr, "usage: basecurve fill|accept|headers PREFIX COUNT [RCPTS]\n");
        return 2;
    }
    bool fill = std::strcmp(argv[1], "fill") == 0;
    int count = std::atoi(argv[3]);
    int rcpts = argc == 5 ? std::max(1, std::min(100, std::atoi(argv[4]))) : 1;
    BaseOptions o;
    o.durable = !fill;                              // filling is set-up, not what is measured
    SmbMailStore store(argv[2], o, nullptr);
    if (std::strcmp(argv[1], "headers") == 0) {
        long read = measured_headers(store, count);
        if (read < 0) { std::fprintf(stderr, "header read failed\n"); return 1; }
        std::printf("%ld\n", read);
        return 0;
    }
    if (fill) return accept_range(store, 0, count, rcpts, false);
    // The remembered counts and table hints age by a clock that stands
    // still here, so the figure does not depend on how fast callgrind runs;
    // `expire` moves it past both bounds before its one measured message,
    // which then also pays a pass over the index and full table scans.
    uint64_t now = 0;
    store.set_clock_for_test([&] { return now; });
    if (int warm = accept_range(store, 0, 1, rcpts, true)) return warm;   // a running server's state
    if (std::strcmp(argv[1], "expire") == 0) {
        now += 60 * 1000;
        return measured_accepts(store, 1, rcpts);
    }
    return measured_accepts(store, count, rcpts);
}
