// Pre-fills an SMB mail base for the cost-curves bench: COUNT messages of
// BYTES to one user, written through the server's own store (not SMTP), so a
// base of 50,000 messages takes seconds. Not durable (no fsync): the bench
// measures the server afterwards, not this fill.
// Usage: curves PREFIX USER_NUMBER COUNT BYTES   (PREFIX e.g. <install>/data/mail)
// The last line is a JSON object with the count written and the seconds taken.
#include "msgbase/smb_mail_store.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

std::string body_of(size_t bytes) {
    std::string body;
    while (body.size() < bytes) body += "The quick brown fox jumps over the lazy dog, again and again.\r\n";
    body.resize(bytes > 2 ? bytes - 2 : bytes);
    return body + "\r\n";
}

NewMessage bench_message(long i, const std::string& body) {
    NewMessage m;
    m.hdr.add(hf::SENDER, "Bench Filler");
    m.hdr.add(hf::SUBJECT, "prefilled " + std::to_string(i));
    m.hdr.add(hf::RFC822MSGID, "<fill-" + std::to_string(i) + "@bench.example>");
    m.body = body;
    return m;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s PREFIX USER_NUMBER COUNT BYTES\n", argv[0]);
        return 2;
    }
    std::string prefix = argv[1];
    std::string user = argv[2];
    long count = std::atol(argv[3]);
    std::string body = body_of(size_t(std::atol(argv[4])));
    // The bench lets the server create the base first, so its status is the
    // one the configuration gives; a missing base would get the defaults.
    BaseOptions o;
    o.durable = false;
    SmbMailStore store(prefix, o, nullptr);
    RecipientCopy copy;
    copy.append = {{hf::RECIPIENT, "Bench User"}, {hf::RECIPIENTEXT, user}};
    auto t = std::chrono::steady_clock::now();
    // Adds from several threads share one transaction each (the store's
    // commit queue), which is what keeps a 50,000-message fill short.
    const long threads = 16;
    std::atomic<bool> failed{false};
    std::vector<std::thread> writers;
    for (long k = 0; k < threads; ++k)
        writers.emplace_back([&, k] {
            for (long i = k; i < count && !failed; i += threads) {
                auto r = store.add_mail(bench_message(i, body), {copy});
                if (!r) {
                    std::fprintf(stderr, "add %ld: %s\n", i, r.error().message.c_str());
                    failed = true;
                }
            }
        });
    for (auto& w : writers) w.join();
    if (failed) return 1;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    std::printf("{\"written\": %ld, \"seconds\": %.3f}\n", count, secs);
    return 0;
}
