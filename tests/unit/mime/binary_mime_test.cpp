// The BINARYMIME converter (RFC 3030 section 3): binary leaves become base64
// with nothing lost, everything else is kept byte for byte, unreadable
// structure is kept whole, nested encodings are refused, limits hold.
#include "mime/binary_mime.h"
#include "mime/text_rules.h"
#include "util/base64.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::mime;

namespace {

const std::string kBy = "bbs.example";

// Every octet value, with CR, LF, CR LF, NUL and Ctrl-A among them.
std::string binary_octets() {
    std::string s("\0\r\n\r\r\n\n\x01 --b\r\n", 14);
    s.append(1, '\0');
    for (int i = 0; i < 256; ++i) s += char(i);
    s += "\r";                                     // a bare CR at the very end
    return s;
}

BinaryMimeResult convert(const std::string& header, const std::string& body, const BinaryMimeLimits& l = {}) {
    return convert_binary_mime(header, TextPieces(body), kBy, l);
}

std::string decode(std::string_view b64) {
    std::string clean;
    for (char c : b64)
        if (c != '\r' && c != '\n') clean += c;
    auto d = base64_decode(clean);
    REQUIRE(d);
    return *d;
}

// The content of the part that follows `part_header` up to the next "\r\n--" + boundary.
std::string part_content(const std::string& body, const std::string& part_header, const std::string& boundary) {
    size_t h = body.find(part_header);
    REQUIRE(h != std::string::npos);
    size_t start = body.find("\r\n\r\n", h);
    REQUIRE(start != std::string::npos);
    start += 4;
    size_t end = body.find("\r\n--" + boundary, start);
    REQUIRE(end != std::string::npos);
    return body.substr(start, end - start);
}

const std::string kMixedHeader = "From: a@remote.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n";

std::string mixed(const std::string& binary) {
    return "preamble line\r\n"
           "--b\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n"
           "\r\n"
           "Gr\xc3\xbc\xc3\x9f" "e\r\nsecond line\r\n"
           "--b\r\n"
           "Content-Type: application/octet-stream\r\n"
           "Content-Disposition: attachment; filename=x.bin\r\n"
           "Content-Transfer-Encoding: binary\r\n"
           "\r\n" +
           binary +
           "\r\n--b--\r\n"
           "epilogue\r\n";
}

} // namespace

TEST_CASE("RFC3030-3 a binary leaf with NULs, bare CR and bare LF becomes base64 and decodes to the exact bytes",
          "[mime][binarymime]") {
    std::string raw = binary_octets();
    auto r = convert(kMixedHeader, mixed(raw));
    REQUIRE(r.outcome == BinaryMimeOutcome::Parts);
    CHECK(r.parts == 1);
    std::string out = r.body.view().str();
    // Everything before the converted part is untouched, byte for byte.
    std::string before = mixed(raw).substr(0, mixed(raw).find("Content-Type: application/octet-stream"));
    CHECK(out.substr(0, before.size()) == before);
    CHECK(out.find("Content-Transfer-Encoding: binary") == std::string::npos);
    CHECK(out.find("Content-Disposition: attachment; filename=x.bin\r\nContent-Transfer-Encoding: base64\r\n"
                   "X-MIME-Autoconverted: from binary to base64 by bbs.example\r\n\r\n") != std::string::npos);
    CHECK(decode(part_content(out, "filename=x.bin", "b")) == raw);
    CHECK(out.substr(out.size() - 19) == "\r\n--b--\r\nepilogue\r\n");
    CHECK(r.header == kMixedHeader + "X-MIME-Autoconverted: from binary to base64 by bbs.example\r\n");
    // The result is storable text: CR LF lines of at most 76 + 2 octets in the new part.
    CHECK(out.find('\0') == std::string::npos);
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i] == '\n') CHECK((i > 0 && out[i - 1] == '\r'));
}

TEST_CASE("RFC3030-3 an already storable message is left as received (8bit text, base64 parts)", "[mime][binarymime]") {
    std::string body = "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xe4\xf6\xfc\r\n"
                       "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";
    auto r = convert(kMixedHeader, body);
    CHECK(r.outcome == BinaryMimeOutcome::Unchanged);
    CHECK(r.body.empty());
    auto plain = convert("Subject: x\r\n", "just text\r\n");
    CHECK(plain.outcome == BinaryMimeOutcome::Unchanged);
}

TEST_CASE("RFC3030-3 a leaf labelled 8bit or unlabelled that is not storable text is converted too", "[mime][binarymime]") {
    std::string nul = std::string("a\0b\r\n", 5);
    auto r = convert("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n", nul);
    REQUIRE(r.outcome == BinaryMimeOutcome::Parts);
    CHECK(r.header == "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n"
                      "X-MIME-Autoconverted: from 8bit to base64 by bbs.example\r\n");
    std::string out = r.body.view().str();
    CHECK(out.substr(out.size() - 2) == "\r\n");
    CHECK(decode(out) == nul);
    std::string long_line(999, 'x');
    auto l = convert("Subject: long\r\n", long_line + "\r\n");
    REQUIRE(l.outcome == BinaryMimeOutcome::Parts);
    CHECK(l.header.find("from 7bit to base64") != std::string::npos);
    CHECK(decode(l.body.view().str()) == long_line + "\r\n");
    auto ok = convert("Subject: long\r\n", std::string(998, 'x') + "\r\n");
    CHECK(ok.outcome == BinaryMimeOutcome::Unchanged);
    auto ctrl_a = convert("Subject: a\r\n", "\x01" "A\r\n");
    CHECK(ctrl_a.outcome == BinaryMimeOutcome::Parts);
}

TEST_CASE("RFC3030-3 a body without a final line end keeps its exact bytes when binary", "[mime][binarymime]") {
    auto r = convert("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n", "abc");
    REQUIRE(r.outcome == BinaryMimeOutcome::Parts);
    CHECK(r.body.view().str() == "YWJj\r\n");
}

TEST_CASE("RFC3030-3 nested multipart and message/rfc822: each binary leaf converted, binary containers relabelled 8bit",
          "[mime][binarymime]") {
    std::string raw = binary_octets();
    std::string inner_msg = "Subject: inner\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\n\r\n" + raw;
    std::string body =
        "--outer\r\n"
        "Content-Type: multipart/alternative; boundary=inner\r\n"
        "Content-Transfer-Encoding: binary\r\n"
        "\r\n"
        "--inner\r\nContent-Type: text/plain\r\n\r\nplain text\r\n"
        "--inner\r\nContent-Type: application/x-deep\r\nContent-Transfer-Encoding: binary\r\n\r\n" + raw + "\r\n"
        "--inner--\r\n"
        "--outer\r\n"
        "Content-Type: message/rfc822\r\n"
        "Content-Transfer-Encoding: binary\r\n"
        "\r\n" + inner_msg + "\r\n"
        "--outer--\r\n";
    std::string header = "Content-Type: multipart/mixed; boundary=outer\r\nContent-Transfer-Encoding: binary\r\n";
    auto r = convert(header, body);
    REQUIRE(r.outcome == BinaryMimeOutcome::Parts);
    CHECK(r.parts == 2);
    CHECK(r.header == "Content-Type: multipart/mixed; boundary=outer\r\nContent-Transfer-Encoding: 8bit\r\n"
                      "X-MIME-Autoconverted: from binary to 8bit by bbs.example\r\n");
    std::string out = r.body.view().str();
    CHECK(out.find("binary\r\n") == std::string::npos);
    CHECK(out.find("Content-Type: multipart/alternative; boundary=inner\r\nContent-Transfer-Encoding: 8bit\r\n") != std::string::npos);
    CHECK(out.find("--inner\r\nContent-Type: text/plain\r\n\r\nplain text\r\n--inner\r\n") != std::string::npos);
    CHECK(out.find("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n") != std::string::npos);
    CHECK(decode(part_content(out, "application/x-deep", "inner")) == raw);
    CHECK(decode(part_content(out, "application/pdf", "outer")) == raw);
    CHECK(out.find("Subject: inner\r\nContent-Type: application/pdf\r\n") != std::string::npos);
}

TEST_CASE("RFC3030-3 the body in many small pieces converts exactly as in one", "[mime][binarymime]") {
    std::string body = mixed(binary_octets());
    std::vector<std::string_view> pieces;
    for (size_t pos = 0, n = 1; pos < body.size(); pos += n, n = n % 7 + 1)
        pieces.push_back(std::string_view(body).substr(pos, n));
    auto whole = convert(kMixedHeader, body);
    auto cut = convert_binary_mime(kMixedHeader, TextPieces(pieces), kBy);
    REQUIRE(cut.outcome == BinaryMimeOutcome::Parts);
    CHECK(cut.body.view().str() == whole.body.view().str());
    CHECK(cut.header == whole.header);
}

TEST_CASE("RFC3030-3 delimiters are strict: --boundary after a bare LF is content", "[mime][binarymime]") {
    std::string raw = "x\n--b\ny\n--b--\n";
    auto r = convert(kMixedHeader, mixed(raw));
    REQUIRE(r.outcome == BinaryMimeOutcome::Parts);
    CHECK(decode(part_content(r.body.view().str(), "filename=x.bin", "b")) == raw);
}

TEST_CASE("RFC3030-3 unreadable structure with binary content is kept whole as application/octet-stream",
          "[mime][binarymime]") {
    std::string body = mixed(binary_octets());
    body.erase(body.find("\r\n--b--"));                          // no closing delimiter
    auto r = convert(kMixedHeader, body);
    REQUIRE(r.outcome == BinaryMimeOutcome::Whole);
    CHECK(r.reason == "multipart without its closing boundary");
    CHECK(r.header == "From: a@remote.org\r\nMIME-Version: 1.0\r\n"
                      "X-Original-Content-Type: multipart/mixed; boundary=\"b\"\r\n"
                      "Content-Type: application/octet-stream\r\n"
                      "Content-Transfer-Encoding: base64\r\n"
                      "X-MIME-Autoconverted: from binary to base64 by bbs.example\r\n");
    CHECK(decode(r.body.view().str()) == body);
    // The same fault in a body DATA could carry: stored as it came.
    auto text = convert(kMixedHeader, "--b\r\nContent-Type: text/plain\r\n\r\nno end\r\n");
    CHECK(text.outcome == BinaryMimeOutcome::Unchanged);
    CHECK(text.reason == "multipart without its closing boundary");
    // No boundary at all, a part header with a bare LF: the same.
    CHECK(convert("Content-Type: multipart/mixed\r\n", std::string("\0", 1)).outcome == BinaryMimeOutcome::Whole);
    std::string bad_header = "--b\r\nContent-Type: text/plain\nX: y\r\n\r\n" + std::string("\0", 1) + "\r\n--b--\r\n";
    auto bh = convert(kMixedHeader, bad_header);
    CHECK(bh.outcome == BinaryMimeOutcome::Whole);
    CHECK(bh.reason == "a MIME part header is not text");
}

TEST_CASE("RFC3030-3 a base64 or quoted-printable part holding binary is refused, not wrapped again",
          "[mime][binarymime]") {
    std::string body = "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA-AAAA\r\n--b--\r\n";
    body[body.find("AAAA") + 4] = '\0';
    auto r = convert(kMixedHeader, body);
    CHECK(r.outcome == BinaryMimeOutcome::Refused);
    CHECK(r.reason == "a part labelled base64 holds binary octets");
    auto qp = convert("Content-Transfer-Encoding: quoted-printable\r\n", "a=3D\nb\r\n");
    CHECK(qp.outcome == BinaryMimeOutcome::Refused);
}

TEST_CASE("RFC3030-3 nesting depth, part count and part header size are bounded", "[mime][binarymime]") {
    // 20 nested multiparts around one binary leaf.
    std::string body = "Content-Transfer-Encoding: binary\r\n\r\n" + std::string("\0\n", 2);
    for (int i = 19; i >= 0; --i) {
        std::string b = "n" + std::to_string(i);
        body = "Content-Type: multipart/mixed; boundary=" + b + "\r\n\r\n--" + b + "\r\n" + body + "\r\n--" + b + "--";
    }
    std::string header = body.substr(0, body.find("\r\n\r\n") + 2);
    std::string content = body.substr(body.find("\r\n\r\n") + 4);
    auto deep = convert(header, content);
    CHECK(deep.outcome == BinaryMimeOutcome::Whole);
    CHECK(deep.reason == "MIME nesting deeper than 16");
    BinaryMimeLimits roomy;
    roomy.max_depth = 64;
    CHECK(convert(header, content, roomy).outcome == BinaryMimeOutcome::Parts);

    std::string many;
    for (int i = 0; i < 1001; ++i) many += "--b\r\n\r\nx\r\n";
    many += "--b\r\nContent-Transfer-Encoding: binary\r\n\r\n\n\r\n--b--\r\n";
    auto count = convert(kMixedHeader, many);
    CHECK(count.outcome == BinaryMimeOutcome::Whole);
    CHECK(count.reason == "more than 1000 MIME parts");

    std::string big_header;
    for (int i = 0; i < 40; ++i) big_header += "X-Filler-" + std::to_string(i) + ": " + std::string(500, 'f') + "\r\n";
    auto big = convert(kMixedHeader, "--b\r\n" + big_header + "Content-Transfer-Encoding: binary\r\n\r\n\n\r\n--b--\r\n");
    CHECK(big.outcome == BinaryMimeOutcome::Whole);
    CHECK(big.reason == "a MIME part header is not text");
}

TEST_CASE("RFC3030-3 a spooled body is freed as it is converted and gives the same result", "[mime][binarymime]") {
    std::string raw;
    for (int i = 0; i < 5000; ++i) raw += binary_octets();        // about 1.4 MB: several spool chunks
    std::string body = mixed(raw);
    ChunkedText spool;
    for (size_t pos = 0; pos < body.size(); pos += 65536) spool.append(std::string_view(body).substr(pos, 65536));
    REQUIRE(spool.view().pieces().size() > 4);
    auto kept = convert(kMixedHeader, body);
    auto spent = convert_binary_mime(kMixedHeader, spool, kBy);
    REQUIRE(spent.outcome == BinaryMimeOutcome::Parts);
    CHECK(spent.body.view().str() == kept.body.view().str());
    CHECK(decode(part_content(spent.body.view().str(), "filename=x.bin", "b")) == raw);
    // Every chunk but the last is given back.
    size_t left = 0;
    TextPieces v = spool.view();
    for (auto p : v.pieces()) left += p.size();
    CHECK(left <= ChunkedText::CHUNK);
}

TEST_CASE("RFC3030-3 review 10: a base64 part with bare LF line ends gets CR LF, not a 554", "[mime][binarymime]") {
    const std::string part = "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    const std::string body = "intro\r\n" + part + "iVBORw0K\nGgoAAA==\n\r\n--b--\r\n";
    auto r = convert(kMixedHeader, body);
    REQUIRE(r.outcome == BinaryMimeOutcome::Parts);
    CHECK(r.parts == 0);
    CHECK(r.line_end_parts == 1);
    CHECK(r.header == kMixedHeader);
    CHECK(r.body.view().str() == "intro\r\n" + part + "iVBORw0K\r\nGgoAAA==\r\n\r\n--b--\r\n");
    CHECK(decode(part_content(r.body.view().str(), "base64", "b")) == decode("iVBORw0KGgoAAA=="));
    // Anything else in it is still refused: the bytes would be data.
    std::string bad = body;
    bad[bad.find("AAA==")] = '\0';
    CHECK(convert(kMixedHeader, bad).outcome == BinaryMimeOutcome::Refused);
    // A bare CR, and the whole body as the base64 leaf, too.
    auto top = convert("Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n", "iVBO\rRw0K\n");
    REQUIRE(top.outcome == BinaryMimeOutcome::Parts);
    CHECK(top.body.view().str() == "iVBO\r\nRw0K\r\n");
    CHECK(top.body_lines == 2);
}

TEST_CASE("RFC3030-3 review 12: one end_line and count_lines for the converter and the BDAT intake", "[mime][binarymime]") {
    ChunkedText body;
    body.append("a\r\nb");
    CHECK(end_line(body));
    CHECK_FALSE(end_line(body));
    CHECK(body.view().str() == "a\r\nb\r\n");
    CHECK(count_lines(body.view()) == 2);
    ChunkedText empty;
    CHECK(end_line(empty));
    CHECK(count_lines(TextPieces("x\r\ny\r\nz")) == 2);
}
