// Benchmark of the SMB mail store: 10,000 durable adds of 4 KiB one after
// another, the same from 20 threads at once (group commit), a listing and a
// read of every message, next to this disk's write+fsync rate.
// Usage: msgbase [DIR] [COUNT]   (DIR defaults to the current directory);
// the last line is the JSON summary bench/run.sh collects.
#include "msgbase/smb_mail_store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <thread>
#include <vector>
#include <unistd.h>

using namespace sbbs;
using namespace sbbs::smb;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The physical floor: small write + fdatasync of one file, repeated.
double fsyncs_per_second(const std::string& dir) {
    std::string path = dir + "/fsync-probe.tmp";
    int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0) return 0;
    char buf[512] = {0};
    int n = 0;
    auto t = Clock::now();
    while (seconds_since(t) < 3.0 && n < 5000) {
        if (pwrite(fd, buf, sizeof buf, 0) != ssize_t(sizeof buf) || fdatasync(fd) != 0) break;
        ++n;
    }
    double rate = n / seconds_since(t);
    close(fd);
    unlink(path.c_str());
    return rate;
}

NewMessage bench_message(int i, const std::string& body) {
    NewMessage m;
    m.hdr.add(hf::SENDER, "Bench");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "bench " + std::to_string(i));
    m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(i) + ".bench@localhost>");
    m.body = body;
    return m;
}

// `count` adds from `threads` threads into a fresh base through one store
// (what concurrent SMTP sessions do); returns the seconds taken, < 0 on error.
double concurrent_adds(const std::string& prefix, int count, int threads, const std::string& body) {
    BaseOptions o;
    o.durable = true;
    SmbMailStore store(prefix, o, nullptr);
    bool failed = false;
    std::vector<std::thread> ts;
    auto t = Clock::now();
    for (int k = 0; k < threads; ++k)
        ts.emplace_back([&, k] {
            for (int i = k; i < count; i += threads) {
                RecipientCopy c;
                c.append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, std::to_string(2 + i % 10)}};
                if (!store.add_mail(bench_message(i, body), {c})) failed = true;
            }
        });
    for (auto& th : ts) th.join();
    return failed ? -1 : seconds_since(t);
}

} // namespace

int main(int argc, char** argv) {
    std::string dir = argc > 1 ? argv[1] : ".";
    int count = argc > 2 ? std::atoi(argv[2]) : 10000;
    char tmpl[4096];
    std::snprintf(tmpl, sizeof tmpl, "%s/bench-msgbase.XXXXXX", dir.c_str());
    if (!mkdtemp(tmpl)) { std::perror("mkdtemp"); return 1; }
    std::string base_dir = tmpl;
    std::string prefix = base_dir + "/mail";

    double fsync_rate = fsyncs_per_second(base_dir);
    BaseOptions o;
    o.durable = true;
    SmbMailStore store(prefix, o, nullptr);
    std::string body;
    while (body.size() < 4096) body += "The quick brown fox jumps over the lazy dog, again and again.\r\n";
    body.resize(4096);

    auto t = Clock::now();
    for (int i = 0; i < count; ++i) {
        NewMessage m = bench_message(i, body);
        RecipientCopy c;
        c.append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, std::to_string(2 + i % 10)}};
        auto r = store.add_mail(m, {c});
        if (!r) { std::fprintf(stderr, "add %d: %s\n", i, r.error().message.c_str()); return 1; }
    }
    double add_s = seconds_since(t);
    const int threads = 20;
    double conc_s = concurrent_adds(base_dir + "/mail20", count, threads, body);
    if (conc_s < 0) { std::fprintf(stderr, "concurrent adds failed\n"); return 1; }

    t = Clock::now();
    size_t listed = 0;
    std::vector<uint32_t> numbers;
    for (uint32_t u = 2; u < 12; ++u) {
        auto l = store.list_mailbox(u);
        if (!l) { std::fprintf(stderr, "list: %s\n", l.error().message.c_str()); return 1; }
        listed += l->size();
        for (auto& s : *l) numbers.push_back(s.number);
    }
    double list_s = seconds_since(t);

    t = Clock::now();
    size_t bytes = 0;
    for (uint32_t n : numbers) {
        auto m = store.read(n, true);
        if (!m || m->body != body) { std::fprintf(stderr, "read %u failed\n", n); return 1; }
        bytes += m->body.size();
    }
    double read_s = seconds_since(t);

    std::printf("msgbase bench: %d messages of 4 KiB, durable adds, in %s\n", count, base_dir.c_str());
    std::printf("  adds:    %8.1f msg/s  (%.1f s)\n", count / add_s, add_s);
    std::printf("  adds, %d threads: %8.1f msg/s  (%.1f s, group commit)\n", threads, count / conc_s, conc_s);
    std::printf("  list:    %8.1f msg/s  (%zu listed in %.3f s, index only)\n", listed / list_s, listed, list_s);
    std::printf("  reads:   %8.1f msg/s  (%.1f MB in %.2f s)\n", numbers.size() / read_s, bytes / 1e6, read_s);
    std::printf("  fsync:   %8.1f /s     (write+fdatasync of a small file)\n", fsync_rate);
    std::printf("  ratio:   %8.2f fsyncs' worth of time per add\n", fsync_rate * add_s / count);
    std::printf("{\"messages\": %d, \"adds_per_s\": %.1f, \"adds_20_threads_per_s\": %.1f, \"list_per_s\": %.1f, \"reads_per_s\": %.1f, "
                "\"fsync_per_s\": %.1f, \"fsyncs_per_add\": %.2f}\n",
                count, count / add_s, count / conc_s, listed / list_s, numbers.size() / read_s, fsync_rate, fsync_rate * add_s / count);
    std::string cmd = "rm -rf '" + base_dir + "'";
    return std::system(cmd.c_str()) == 0 ? 0 : 1;
}
