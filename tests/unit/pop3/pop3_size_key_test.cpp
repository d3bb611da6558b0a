// Issue #14: the size memo's key is a keyed SipHash of the stored header and
// the render settings (no SHA-256 of a re-encoded copy per message at STAT);
// it must still change with everything the rendering reads.
#include "pop3/size_memo.h"

#include <catch.hpp>

#include <functional>
#include <vector>

using namespace sbbs;

namespace {
constexpr uint64_t K0 = 0x0706050403020100ULL, K1 = 0x0f0e0d0c0b0a0908ULL;   // the reference key 00..0f

std::vector<unsigned char> bytes_of(const pop3::Hash128& h, size_t n) {
    std::vector<unsigned char> out;
    for (size_t i = 0; i < n; ++i) out.push_back(uint8_t((i < 8 ? h.lo : h.hi) >> (8 * (i % 8))));
    return out;
}

std::vector<unsigned char> message_of(size_t n) {
    std::vector<unsigned char> m;
    for (size_t i = 0; i < n; ++i) m.push_back(uint8_t(i));
    return m;
}

smb::MessageHeader sample_header() {
    smb::MessageHeader h;
    h.number = 42;
    h.offset = 1024;
    h.header_offset = 2048;
    h.when_written = {2026, 123456, -300};
    h.dfields.push_back({0, 0, 3000});
    h.add(smb::hf::SENDER, "Alice");
    h.add(smb::hf::SUBJECT, "hello");
    h.add(smb::hf::RFC822HEADER, "X-Mailer: test");
    return h;
}
} // namespace

TEST_CASE("ISSUE14-1 SipHash-2-4 gives the reference vectors, fed whole or in pieces", "[pop3]") {
    using Sip24 = pop3::SipHasher<2, 4>;
    Sip24 paper(K0, K1, false);                       // the paper's example: 15 bytes 00..0e
    auto m15 = message_of(15);
    paper.add(m15.data(), m15.size());
    CHECK(paper.finish().lo == 0xa129ca6149be45e5ULL);

    Sip24 empty(K0, K1, true);
    CHECK(bytes_of(empty.finish(), 16) ==
          std::vector<unsigned char>{0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7,
                                     0x55, 0x02, 0x93});
    Sip24 one(K0, K1, true);
    unsigned char zero = 0;
    one.add(&zero, 1);
    CHECK(bytes_of(one.finish(), 16) ==
          std::vector<unsigned char>{0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b,
                                     0x22, 0xfc, 0x45});

    auto m63 = message_of(63);
    Sip24 whole(K0, K1, true);
    whole.add(m63.data(), m63.size());
    Sip24 pieces(K0, K1, true);
    for (size_t at = 0, step = 1; at < m63.size(); at += step, step = step % 9 + 1)
        pieces.add(m63.data() + at, std::min(step, m63.size() - at));
    CHECK(pieces.finish() == whole.finish());
}

TEST_CASE("ISSUE14-1 ISSUE13-1 the size key changes with every part of the header the rendering reads, "
          "not with attr",
          "[pop3]") {
    pop3::SizeMemo memo;
    RenderContext ctx;
    ctx.inet_addr = "bbs.example";
    const smb::MessageHeader base = sample_header();
    const pop3::SizeKey key = memo.key(base, ctx);
    CHECK(memo.key(base, ctx) == key);                // the same header, the same key

    smb::MessageHeader marked = base;
    marked.attr |= smb::attr::READ | smb::attr::DELETE;
    marked.type = 1;
    CHECK(memo.key(marked, ctx) == key);

    std::vector<std::function<void(smb::MessageHeader&)>> edits = {
        [](auto& h) { h.number = 43; },
        [](auto& h) { h.offset += 256; },
        [](auto& h) { h.header_offset += 256; },
        [](auto& h) { h.auxattr |= smb::auxattr::HFIELDS_UTF8; },
        [](auto& h) { h.when_written.zone = 0; },
        [](auto& h) { h.when_imported_time = 7; },
        [](auto& h) { h.priority = 3; },
        [](auto& h) { h.dfields[0].length = 3001; },
        [](auto& h) { h.fields[1].data = "hello!"; },
        [](auto& h) { h.fields[1].type = smb::hf::RFC822SUBJECT; },
        [](auto& h) { h.add(smb::hf::SMTPRECEIVED, "from x"); },
        // The same bytes split differently between two fields.
        [](auto& h) { h.fields[0].data = "Alic"; h.fields[1].data = "ehello"; },
    };
    for (size_t i = 0; i < edits.size(); ++i) {
        smb::MessageHeader h = base;
        edits[i](h);
        INFO("edit " << i);
        CHECK_FALSE(memo.key(h, ctx) == key);
    }
    RenderContext other = ctx;
    other.exact_text = false;
    CHECK_FALSE(memo.key(base, other) == key);
    other = ctx;
    other.host_name = "mail.example";
    CHECK_FALSE(memo.key(base, other) == key);
}

TEST_CASE("ISSUE14-1 each memo draws its own secret: keys are not predictable across memos", "[pop3]") {
    pop3::SizeMemo a, b;
    RenderContext ctx;
    CHECK_FALSE(a.key(sample_header(), ctx) == b.key(sample_header(), ctx));
}
