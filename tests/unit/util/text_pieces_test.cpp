// TextPieces and ChunkedText: a text held in pieces that never move while it
// grows, lent out as views (SEC-11).
#include "util/text_pieces.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("SEC-11 ChunkedText: growing never moves what it holds, pieces end where appends end", "[util]") {
    ChunkedText t;
    std::string line(998, 'x');
    line += "\r\n";
    std::string whole;
    auto grow_to = [&](size_t pieces) {
        while (t.view().pieces().size() < pieces) {
            t.append(line);
            whole += line;
        }
    };
    grow_to(2);
    auto held = t.view().pieces();
    grow_to(5);
    TextPieces v = t.view();
    CHECK(v.pieces()[0].data() == held[0].data());          // what is held is never copied elsewhere
    CHECK(v.pieces()[1].data() == held[1].data());
    for (auto p : v.pieces()) {
        CHECK(p.size() <= ChunkedText::CHUNK);
        CHECK(p.size() % line.size() == 0);                 // no line split across two pieces
    }
    CHECK(v.size() == whole.size());
    CHECK(v == whole);
    CHECK(v.str() == whole);
}

TEST_CASE("SEC-11 TextPieces: a view of one string or of several pieces", "[util]") {
    std::string a = "one\r\n", b = "two\r\n";
    TextPieces single(a);
    std::string scratch;
    CHECK(single.contiguous(scratch).data() == a.data());    // no copy for one piece
    CHECK(scratch.empty());
    TextPieces both(std::vector<std::string_view>{a, "", b});
    CHECK(both.pieces().size() == 2);                        // empty pieces dropped
    CHECK(both.size() == 10);
    CHECK(both == "one\r\ntwo\r\n");
    CHECK_FALSE(both == "one\r\ntwo\r\nx");
    CHECK_FALSE(both == "one\r\nTwo\r\n");
    CHECK(both.contiguous(scratch) == "one\r\ntwo\r\n");
    CHECK(TextPieces().empty());
    CHECK(TextPieces("").pieces().empty());
}
