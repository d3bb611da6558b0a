// Test-only stand-in for the BBS writing the mail base while sbbsmail runs
// (issue #13 crash campaigns, tests/e2e/test_crash_*_e2e.py): adds
// mail for user 1 with our SmbBase writer, which takes the same locks as the
// BBS's smblib, and prints "added <subject>" once each add has returned.
//
//   bbs_writer PREFIX TAG COUNT [PAUSE_MS]
//
// Subjects are "<TAG> <n>", n = 1..COUNT, with Message-ID <TAG.n@bbs.example>.
// COUNT 0 only opens the base (which runs crash recovery) and exits. SIGTERM
// ends the run after the add in progress. Exit 0, or 1 with the error.
#include "msgbase/mail_store.h"
#include "msgbase/smb_base.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

volatile std::sig_atomic_t stopping = 0;
void on_term(int) { stopping = 1; }

// One message as the BBS's email.cpp would store it for user 1.
Status add_one(SmbBase& base, const std::string& tag, int n) {
    std::string subject = tag + " " + std::to_string(n);
    std::string text = "Written by the BBS: " + subject + "\r\n" + std::string(size_t(n % 9) * 120, 'b') + "\r\n";
    NewMessage m;
    m.body = text;
    m.hdr.add(hf::SENDER, "BBS Writer");
    m.hdr.add(hf::SENDEREXT, "2");
    m.hdr.add(hf::SUBJECT, subject);
    m.hdr.add(hf::RFC822MSGID, "<" + tag + "." + std::to_string(n) + "@bbs.example>");
    std::vector<RecipientCopy> copies(1);
    copies[0].append = {{hf::RECIPIENT, "Sysop"}, {hf::RECIPIENTEXT, "1"}};
    // A lock held by a killed sbbsmail is released with its process; one
    // that stays busy past the retry time is tried again, as the BBS would.
    for (int attempt = 0;; ++attempt) {
        auto r = base.add(m, copies);
        if (r) break;
        if (r.error().code != ErrorCode::Locked || attempt == 5) return r.error();
    }
    std::printf("added %s\n", subject.c_str());
    std::fflush(stdout);
    return {};
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bbs_writer PREFIX TAG COUNT [PAUSE_MS]\n");
        return 2;
    }
    std::signal(SIGTERM, on_term);
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    auto base = SmbBase::open(argv[1], o);
    if (!base) {
        std::fprintf(stderr, "bbs_writer: %s\n", base.error().message.c_str());
        return 1;
    }
    int count = std::atoi(argv[3]);
    unsigned pause_ms = argc > 4 ? unsigned(std::atoi(argv[4])) : 0;
    for (int n = 1; n <= count && !stopping; ++n) {
        if (auto st = add_one(**base, argv[2], n); !st) {
            std::fprintf(stderr, "bbs_writer: %s\n", st.error().message.c_str());
            return 1;
        }
        if (pause_ms) usleep(pause_ms * 1000);
    }
    return 0;
}
