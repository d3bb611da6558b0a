// Issue #13 item 3: space a killed add leaves counted but unreferenced is
// given back by recovery (the pending-add journal), never space another
// writer holds, and repeated crashes never grow the files.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/pending_add.h"
#include "msgbase/smb_base.h"
#include "owned_message.h"

#include <catch.hpp>

#include <csignal>
#include <sys/wait.h>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

test::OwnedMessage reclaim_message(int seq) {
    test::OwnedMessage m("text " + std::to_string(seq) + "\r\n" + std::string(size_t(300 + seq % 5 * 200), 'r'));
    m.hdr.add(hf::SENDER, "Writer");
    m.hdr.add(hf::RECIPIENT, "All");
    m.hdr.add(hf::SUBJECT, "reclaim " + std::to_string(seq));
    m.hdr.add(hf::RFC822MSGID, "<r" + std::to_string(seq) + "@test>");
    m.tail = "tail " + std::to_string(seq);
    return m;
}

BaseOptions reclaim_options(uint16_t attr) {
    BaseOptions o;
    o.create = true;
    o.create_status.attr = attr;
    o.retry_time_s = 5;
    return o;
}

std::vector<RecipientCopy> copies_for(bool mail) {
    if (!mail) return {};
    std::vector<RecipientCopy> c(2);
    c[0].append = {{hf::RECIPIENTEXT, "2"}};
    c[1].append = {{hf::RECIPIENTEXT, "3"}};
    return c;
}

// A child adds message `seq` and is SIGKILLed once `step` has been reached `nth` times.
void killed_add(const std::string& p, uint16_t attr, int seq, const std::string& step, int nth = 1) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto b = SmbBase::open(p, reclaim_options(attr));
        if (!b) _exit(2);
        int seen = 0;
        (*b)->set_write_hook([&](const char* s) { if (step == s && ++seen == nth) raise(SIGKILL); });
        auto m = reclaim_message(seq);
        auto copies = copies_for(attr & status_attr::EMAIL);
        auto n = (*b)->add(m, copies);
        _exit(n.ok() ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
}

std::vector<uintmax_t> sizes(const std::string& p) {
    std::vector<uintmax_t> out;
    for (const char* ext : {".sdt", ".sda", ".shd", ".sha", ".sid"}) out.push_back(fs::file_size(p + ext));
    return out;
}

size_t index_size(const std::string& p, uint16_t attr) {
    auto b = SmbBase::open(p, reclaim_options(attr));           // runs recovery
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(true);
    REQUIRE(idx.ok());
    return idx->size();
}

} // namespace

TEST_CASE("ISSUE13-3 FMT-68 FMT-69 a SIGKILL before the commit point leaves no leaked space after reopen and trims .sda and .sdt back") {
    for (bool mail : {true, false}) {
        uint16_t attr = mail ? status_attr::EMAIL : 0;
        for (const char* step : {"journal", "sda", "header", "synced"}) {
            DYNAMIC_SECTION((mail ? "mail " : "sub ") << step) {
                TempDir d;
                auto p = d.prefix("base");
                {
                    auto b = SmbBase::open(p, reclaim_options(attr));
                    REQUIRE(b.ok());
                    auto copies = copies_for(mail);
                    for (int seq = 1; seq <= 2; ++seq) REQUIRE((*b)->add(reclaim_message(seq), copies).ok());
                }
                auto before = sizes(p);
                killed_add(p, attr, 3, step);
                CHECK(fs::file_size(p + ".pending") > 0);            // the kill left the journal behind
                CHECK(index_size(p, attr) == (mail ? 4u : 2u));
                CHECK(problems(p) == "");                            // fully clean: no "(leaked space)"
                CHECK(fs::file_size(p + ".pending") == 0);
                CHECK(sizes(p) == before);
            }
        }
    }
}

TEST_CASE("ISSUE13-3 repeated crashes at random steps never grow the base files") {
    const char* steps[] = {"data", "journal", "sda", "header", "synced"};
    TempDir d;
    auto p = d.prefix("mail");
    {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), copies_for(true)).ok());
    }
    killed_add(p, status_attr::EMAIL, 2, "sda");
    REQUIRE(index_size(p, status_attr::EMAIL) == 2);
    auto steady = sizes(p);
    for (int round = 0; round < 24; ++round) {
        killed_add(p, status_attr::EMAIL, 10 + round, steps[round % 5]);
        REQUIRE(index_size(p, status_attr::EMAIL) == 2);
        INFO("round " << round);
        REQUIRE(problems(p) == "");
        CHECK(sizes(p) == steady);
    }
}

TEST_CASE("ISSUE13-3 a batch killed between its messages gives back every counted run") {
    TempDir d;
    auto p = d.prefix("mail");
    {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), copies_for(true)).ok());
    }
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        if (!b) _exit(2);
        int seen = 0;
        (*b)->set_write_hook([&](const char* s) { if (std::string(s) == "sda" && ++seen == 3) raise(SIGKILL); });
        auto m2 = reclaim_message(2), m3 = reclaim_message(3), m4 = reclaim_message(4);
        auto copies = copies_for(true);
        auto r = (*b)->add_batch({{&m2, &copies}, {&m3, &copies}, {&m4, &copies}});
        _exit(r.size() == 3 ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    CHECK(index_size(p, status_attr::EMAIL) == 2);
    CHECK(problems(p) == "");
}

TEST_CASE("ISSUE13-3 the original's roll-back of one index record leaves our header blocks to recovery") {
    // Killed after .sha was marked (step 5), before status; the BBS then
    // gets the lock first and, as smb_new_msghdr does for one extra record,
    // cuts the index record instead of rolling the add forward.
    TempDir d;
    auto p = d.prefix("sub");
    {
        auto b = SmbBase::open(p, reclaim_options(0));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), {}).ok());
    }
    killed_add(p, 0, 2, "sha");
    fs::resize_file(p + ".sid", fs::file_size(p + ".sid") - INDEX_LEN);
    CHECK(index_size(p, 0) == 1);
    CHECK(problems(p) == "");
    auto b = SmbBase::open(p, reclaim_options(0));
    REQUIRE(b.ok());
    auto n = (*b)->add(reclaim_message(3), {});
    REQUIRE(n.ok());
    CHECK(problems(p) == "");
}

TEST_CASE("ISSUE13-3 recovery after a kill mid-add and another writer's adds leaves no leaked space") {
    // The BBS often adds mail between our kill and our restart; its adds do
    // not know our journal (simulated by hiding it while another handle adds).
    for (bool mail : {true, false}) {
        uint16_t attr = mail ? status_attr::EMAIL : 0;
        for (const char* step : {"sda", "header", "synced"}) {
            DYNAMIC_SECTION((mail ? "mail " : "sub ") << step) {
                TempDir d;
                auto p = d.prefix("base");
                {
                    auto b = SmbBase::open(p, reclaim_options(attr));
                    REQUIRE(b.ok());
                    for (int seq = 1; seq <= 2; ++seq) REQUIRE((*b)->add(reclaim_message(seq), copies_for(mail)).ok());
                }
                killed_add(p, attr, 3, step);
                fs::rename(p + ".pending", p + ".pending.kept");
                {
                    auto other = SmbBase::open(p, reclaim_options(attr));
                    REQUIRE(other.ok());
                    for (int seq = 4; seq <= 5; ++seq)
                        REQUIRE((*other)->add(reclaim_message(seq), copies_for(mail)).ok());
                }
                REQUIRE(problems(p).find("leaked space") != std::string::npos);   // the kill's blocks, still counted
                fs::rename(p + ".pending.kept", p + ".pending");
                CHECK(index_size(p, attr) == (mail ? 8u : 4u));
                CHECK(problems(p) == "");
                CHECK(fs::file_size(p + ".pending") == 0);
            }
        }
    }
}

TEST_CASE("ISSUE13-3 data another writer counted without a header is never reclaimed") {
    // The original's bulk mail and multi-recipient adds hold counted data
    // between smb_addmsg and smb_addmsghdr without the base-header lock.
    TempDir d;
    auto p = d.prefix("mail");
    {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), copies_for(true)).ok());
    }
    auto held = fs::file_size(p + ".sda") / 2;
    std::ofstream(p + ".sdt", std::ios::app | std::ios::binary) << std::string(BLOCK_LEN, 'x');
    std::ofstream(p + ".sda", std::ios::app | std::ios::binary) << std::string("\x01\x00", 2);
    killed_add(p, status_attr::EMAIL, 2, "sda");                  // a journal of ours too
    auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
    REQUIRE(b.ok());
    REQUIRE((*b)->add(reclaim_message(3), copies_for(true)).ok());
    std::string sda = slurp(p + ".sda");
    REQUIRE(sda.size() >= held * 2 + 2);
    CHECK(get16(sda.data() + held * 2) == 1);                      // still the other writer's
    CHECK(problems(p).find("data block " + std::to_string(held) + " allocation count 1 but 0 reference(s) (leaked space)") !=
          std::string::npos);
}

TEST_CASE("ISSUE13-3 a run a header added since references is never given back, even with our counts and text") {
    // Killed before counting: the original may take the same free blocks,
    // write the same bytes and counts, and add a header naming them (or share
    // counted data by smb_incdat, always with a new header): that header,
    // numbered past the journal's last_msg, keeps the run.
    TempDir d;
    auto p = d.prefix("sub");
    {
        auto b = SmbBase::open(p, reclaim_options(0));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), {}).ok());
    }
    killed_add(p, 0, 2, "journal");
    auto journal = decode_pending(slurp(p + ".pending"));
    REQUIRE(journal);
    REQUIRE(journal->data.size() == 1);
    const PendingData run = journal->data[0];
    std::string text = slurp(p + ".sdt").substr(size_t(run.first_block) * BLOCK_LEN, size_t(run.blocks) * BLOCK_LEN);
    fs::rename(p + ".pending", p + ".pending.kept");
    {
        auto other = SmbBase::open(p, reclaim_options(0));
        REQUIRE(other.ok());
        REQUIRE((*other)->add(reclaim_message(7), {}).ok());
        auto idx = (*other)->read_index(true);
        REQUIRE(idx.ok());
        REQUIRE(idx->back().number == journal->last_msg + 1);
        auto hdr = (*other)->read_header(idx->back().offset);
        REQUIRE(hdr.ok());
        hdr->offset = run.first_block * BLOCK_LEN;                   // the other writer's header names the run
        auto bytes = encode_header(*hdr);
        REQUIRE(bytes.ok());
        std::fstream shd(p + ".shd", std::ios::in | std::ios::out | std::ios::binary);
        shd.seekp(std::streamoff(idx->back().offset));
        shd.write(bytes->data(), std::streamsize(bytes->size()));
    }
    {
        std::fstream sdt(p + ".sdt", std::ios::in | std::ios::out | std::ios::binary);
        sdt.seekp(std::streamoff(run.first_block) * BLOCK_LEN);      // the same bytes as ours
        sdt.write(text.data(), std::streamsize(text.size()));
        std::fstream sda(p + ".sda", std::ios::in | std::ios::out | std::ios::binary);
        sda.seekp(std::streamoff(run.first_block) * 2);
        for (uint32_t k = 0; k < run.blocks; ++k) {                  // the counts we would have written
            uint16_t c = expected_count(run, run.first_block + k, run.copies);
            sda << char(c & 0xFF) << char(c >> 8);
        }
    }
    fs::rename(p + ".pending.kept", p + ".pending");
    REQUIRE(index_size(p, 0) == 2);                                 // recovery ran
    std::string sda = slurp(p + ".sda");
    for (uint32_t k = 0; k < run.blocks; ++k)
        CHECK(get16(sda.data() + (run.first_block + k) * 2) == expected_count(run, run.first_block + k, run.copies));
    CHECK(fs::file_size(p + ".pending") == 0);
}

TEST_CASE("ISSUE13-3 a pending-add journal cut short or damaged reads as absent") {
    PendingAdd a;
    a.last_msg = 7;
    a.total_msgs = 5;
    a.data.push_back({12, 3, 2, {{dfield::TEXT_BODY, 0, 600}, {dfield::TEXT_TAIL, 600, 20}}, 0x1234, 0x5678});
    a.headers.push_back({8, 1024, 2, 12 * BLOCK_LEN, true});
    std::string bytes = encode_pending(a);
    auto back = decode_pending(bytes);
    REQUIRE(back);
    CHECK(back->data.size() == 1);
    CHECK(back->headers.size() == 1);
    CHECK(back->headers[0].header_offset == 1024);
    CHECK(back->data[0].last_crc == 0x5678);
    CHECK(expected_count(back->data[0], 14, 2) == 3);             // block shared by body and tail: 1 + 1 x 2 fields
    CHECK(expected_count(back->data[0], 12, 2) == 2);
    CHECK(expected_count(back->data[0], 12, 0) == 0);
    CHECK_FALSE(decode_pending(bytes.substr(0, bytes.size() - 1)));
    bytes[10] ^= 1;
    CHECK_FALSE(decode_pending(bytes));
    CHECK_FALSE(decode_pending(""));
}

TEST_CASE("ISSUE13-3 blocks the original took after a kill before our counts are never given back") {
    // Killed after journaling a run but before counting it: the blocks are
    // still free, so the original's smb_addmsg for bulk mail (data counted,
    // no header yet, lock released) can take them and write its own text.
    TempDir d;
    auto p = d.prefix("mail");
    {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), copies_for(true)).ok());
    }
    killed_add(p, status_attr::EMAIL, 2, "journal");
    auto journal = decode_pending(slurp(p + ".pending"));
    REQUIRE(journal);
    REQUIRE(journal->data.size() == 1);
    const PendingData& run = journal->data[0];
    {
        std::fstream sdt(p + ".sdt", std::ios::in | std::ios::out | std::ios::binary);
        sdt.seekp(std::streamoff(run.first_block) * BLOCK_LEN);
        sdt << std::string(size_t(run.blocks) * BLOCK_LEN, 'B');
        std::fstream sda(p + ".sda", std::ios::in | std::ios::out | std::ios::binary);
        sda.seekp(std::streamoff(run.first_block) * 2);
        for (uint32_t k = 0; k < run.blocks; ++k) {               // even the very counts we would have written
            uint16_t c = expected_count(run, run.first_block + k, run.copies);
            sda << char(c & 0xFF) << char(c >> 8);
        }
    }
    REQUIRE(index_size(p, status_attr::EMAIL) == 2);             // recovery ran
    std::string sda = slurp(p + ".sda");
    for (uint32_t k = 0; k < run.blocks; ++k)
        CHECK(get16(sda.data() + (run.first_block + k) * 2) == expected_count(run, run.first_block + k, run.copies));
    CHECK(fs::file_size(p + ".pending") == 0);
}

TEST_CASE("ISSUE13-5 a reader after a kill past the commit point sees no index entry without a readable header") {
    // Killed after the index records, before the final ids and status: until
    // recovery rolls the add forward, those records are not messages yet.
    TempDir d;
    auto p = d.prefix("mail");
    {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        REQUIRE(b.ok());
        REQUIRE((*b)->add(reclaim_message(1), copies_for(true)).ok());
    }
    killed_add(p, status_attr::EMAIL, 2, "index-synced");
    BaseOptions ro;
    ro.read_only = true;                                           // no recovery
    auto b = SmbBase::open(p, ro);
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(true);
    REQUIRE(idx.ok());
    CHECK(idx->size() == 2);
    for (auto& r : *idx) CHECK((*b)->read_message(r.number, true).ok());
    CHECK(index_size(p, status_attr::EMAIL) == 4);                 // rolled forward once recovery runs
}

TEST_CASE("ISSUE13-5 a kill between an update's header and its index record is matched up by recovery") {
    // POP3's deletions at QUIT: the header says deleted, the index must too.
    TempDir d;
    auto p = d.prefix("mail");
    std::vector<uint32_t> numbers;
    {
        auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
        REQUIRE(b.ok());
        for (int seq = 1; seq <= 3; ++seq) {
            auto n = (*b)->add(reclaim_message(seq), copies_for(true));
            REQUIRE(n.ok());
            numbers.insert(numbers.end(), n->begin(), n->end());
        }
    }
    for (int nth : {1, 3}) {
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            auto b = SmbBase::open(p, reclaim_options(status_attr::EMAIL));
            if (!b) _exit(2);
            int seen = 0;
            (*b)->set_write_hook([&](const char* s) { if (std::string(s) == "update-header" && ++seen == nth) raise(SIGKILL); });
            (void)(*b)->change_attr_many({numbers[0], numbers[2], numbers[4]}, attr::DELETE, 0);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));
        CHECK(slurp(p + ".updating").substr(0, 4) == "UPD2");     // an entry pending
        CHECK(index_size(p, status_attr::EMAIL) == 6);             // recovery ran
        CHECK(problems(p) == "");
        CHECK(slurp(p + ".updating").substr(0, 4) == "UPD0");     // cleared in place
    }
}
