// BDAT (RFC 3030 CHUNKING and BINARYMIME): exact byte counts, no dot-stuffing,
// pipelined chunks, every sequence error, MaxMsgSize across chunks, and the
// stored message identical to what DATA stores for the same text; a
// BODY=BINARYMIME body made storable (base64 parts) before it is stored.
#include "harness.h"
#include "util/base64.h"

#include <catch.hpp>

using namespace smtptest;

namespace {

const std::string kEnvelope = "EHLO x\r\nMAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\n";

// `text` as BDAT chunks of `size` bytes (the last one LAST).
std::string as_chunks(const std::string& text, size_t size) {
    std::string wire;
    for (size_t pos = 0; pos < text.size(); pos += size) {
        std::string part = text.substr(pos, size);
        wire += "BDAT " + std::to_string(part.size()) + (pos + size >= text.size() ? " LAST" : "") + "\r\n" + part;
    }
    return wire;
}

// One BDAT command with `text` behind it.
std::string bdat(const std::string& text, bool last = false) {
    return "BDAT " + std::to_string(text.size()) + (last ? " LAST" : "") + "\r\n" + text;
}

// `text` as DATA carries it: lines dot-stuffed, a last line without an end
// ended (as every DATA client must before the final dot).
std::string as_data(std::string text) {
    if (!text.empty() && text.back() != '\n') text += "\r\n";
    std::string wire = "DATA\r\n";
    bool line_start = true;
    for (char c : text) {
        if (line_start && c == '.') wire += '.';
        wire += c;
        line_start = c == '\n';
    }
    return wire + ".\r\n";
}

// A stored message as text: every header field (the Received: date cut, it
// names the second of arrival) and the body.
std::string stored(const smb::Message& m) {
    std::string out;
    for (auto& f : m.hdr.fields) {
        std::string v = f.data;
        if (f.type == smb::hf::SMTPRECEIVED) v = v.substr(0, v.rfind(';'));
        out += std::to_string(f.type) + ":" + v + "\n";
    }
    return out + "--\n" + m.body;
}

struct Session {
    Harness h;
    std::vector<std::string> replies;
    explicit Session(const std::string& wire, uint64_t max_size = 1000000) {
        h.cfg->mail.max_msg_size = max_size;
        h.io.send_wire(wire);
        replies = h.run({});
    }
};

} // namespace

TEST_CASE("RFC3030-2 BDAT stores what DATA stores for the same text, whatever the chunk sizes", "[smtp][bdat]") {
    const std::string head = "From: Alice <a@remote.org>\r\nTo: mary@example.com\r\nSubject: chunks\r\n"
                             "Message-ID: <1@remote.org>\r\n";
    const std::vector<std::string> texts{
        head + "\r\nHello\r\n",
        head + "\r\n.leading dot\r\n.\r\n..two\r\nend\r\n",            // no dot-stuffing in BDAT
        head + "\r\nbare LF\nbare CR\rin line\r\r\nCR LF\r\n",         // SEC-2 normalised alike
        head + "X-Bare: a\rb\nX-Next: c\r\n\r\nbody\r\n",                // header CRs dropped alike
        head + "\r\nno final line end",                                 // ended as DATA's client must
        head + "\r\nGr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac\r\n",           // 8-bit text (8BITMIME)
        head,                                                           // header only
    };
    for (auto& text : texts) {
        CAPTURE(text);
        Session by_data(kEnvelope + as_data(text) + "QUIT\r\n");
        REQUIRE(by_data.h.store.mail.size() == 1);
        std::string want = stored(by_data.h.store.mail.begin()->second);
        for (size_t size : {size_t(1), size_t(2), size_t(7), size_t(64), text.size()}) {
            CAPTURE(size);
            Session by_bdat(kEnvelope + as_chunks(text, size) + "QUIT\r\n");
            REQUIRE(by_bdat.h.store.mail.size() == 1);
            CHECK(stored(by_bdat.h.store.mail.begin()->second) == want);
            CHECK(by_bdat.replies.back() == "221 2.0.0 bbs.example.com Service closing transmission channel");
        }
    }
}

TEST_CASE("RFC3030-3 chunk bytes are counted exactly: no dot-stuffing, no line-length rule", "[smtp][bdat]") {
    std::string long_line(5000, 'x');
    std::string text = "From: a@remote.org\r\n\r\n" + long_line + "\r\n.\r\nQUIT\r\nafter\r\n";
    Session s(kEnvelope + as_chunks(text, 3000) + "QUIT\r\n");
    CHECK(codes(s.replies) == std::vector<int>{220, 250, 250, 250, 250, 250, 221});
    CHECK(has_line(s.replies, "250 2.0.0 3000 octets received"));
    REQUIRE(s.h.store.mail.size() == 1);
    CHECK(s.h.store.mail.begin()->second.body == long_line + "\r\n.\r\nQUIT\r\nafter\r\n");
    CHECK(s.h.log.has("Receiving mail message from <a@remote.org> to mary@example.com (BDAT)"));
}

TEST_CASE("RFC3030-4 pipelined BDATs: one reply each, in order, bytes right behind the command", "[smtp][bdat]") {
    // The whole session arrives at once (RFC 2920): two messages, three chunks each.
    std::string one = "From: a@remote.org\r\nSubject: one\r\n\r\nfirst\r\n";
    std::string two = "From: a@remote.org\r\nSubject: two\r\n\r\nsecond\r\n";
    Session s(kEnvelope + as_chunks(one, 20) + "MAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\n" +
              as_chunks(two, 20) + "QUIT\r\n");
    CHECK(codes(s.replies) == std::vector<int>{220, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 221});
    REQUIRE(s.h.store.mail.size() == 2);
    CHECK(s.h.store.mail.at(1).body == "first\r\n");
    CHECK(s.h.store.mail.at(2).body == "second\r\n");
    CHECK(s.h.io.writes <= 2);   // greeting, then every pipelined reply in one write
}

TEST_CASE("RFC3030-5 BDAT 0 LAST ends the message; alone it is a message without text", "[smtp][bdat]") {
    Session s(kEnvelope + "BDAT 22\r\nFrom: a@remote.org\r\n\r\nBDAT 4\r\nhi\r\nBDAT 0 LAST\r\nQUIT\r\n");
    CHECK(codes(s.replies) == std::vector<int>{220, 250, 250, 250, 250, 250, 250, 221});
    REQUIRE(s.h.store.mail.size() == 1);
    CHECK(s.h.store.mail.begin()->second.body == "hi\r\n");
    Session empty(kEnvelope + "BDAT 0 LAST\r\nQUIT\r\n");
    CHECK(has_line(empty.replies, "554 5.6.0 No message text"));   // SMTP-173, as DATA
    CHECK(empty.h.store.mail.empty());
}

TEST_CASE("RFC3030-6 sequence errors: BDAT before MAIL or RCPT, DATA after BDAT",
          "[smtp][bdat]") {
    // The refused chunk's bytes are read and dropped, never taken for commands.
    Session before("EHLO x\r\nBDAT 6\r\nRSET\r\nMAIL FROM:<a@remote.org>\r\nBDAT 6 LAST\r\nNOOP\r\nQUIT\r\n");
    CHECK(codes(before.replies) == std::vector<int>{220, 250, 503, 250, 503, 221});
    CHECK(before.replies[before.replies.size() - 2] == "503 5.5.1 Bad sequence of commands");
    // DATA after BDAT: 503 and the BDAT transaction goes on (RFC 3030 section 2).
    Session mixed(kEnvelope + "BDAT 22\r\nFrom: a@remote.org\r\n\r\nDATA\r\nBDAT 6 LAST\r\nbody\r\nQUIT\r\n");
    CHECK(codes(mixed.replies) == std::vector<int>{220, 250, 250, 250, 250, 503, 250, 221});
    CHECK(has_line(mixed.replies, "503 5.5.1 Bad sequence of commands: DATA after BDAT"));
    REQUIRE(mixed.h.store.mail.size() == 1);
    CHECK(mixed.h.store.mail.begin()->second.body == "body\r\n");
    // 8BITMIME and 7BIT still go by DATA, as before.
    Session eight("EHLO x\r\nMAIL FROM:<a@remote.org> BODY=8BITMIME\r\nRCPT TO:<mary@example.com>\r\n" +
                  as_data("From: a@remote.org\r\n\r\nok\r\n") + "QUIT\r\n");
    CHECK(eight.h.store.mail.size() == 1);
}

TEST_CASE("RFC3030-7 a BDAT size that cannot be read is answered 501 and ends the session", "[smtp][bdat]") {
    for (std::string bad : {"BDAT", "BDAT x", "BDAT -1", "BDAT 1 2", "BDAT 5 LASTX", "BDAT 5 LAST more",
                            "BDAT 12345678901234567890", "BDAT 0x10"}) {
        CAPTURE(bad);
        Session s(kEnvelope + bad + "\r\nQUIT\r\nNOOP\r\n");
        CHECK(s.replies.back() == "501 5.5.4 Syntax error in BDAT parameters");
        CHECK(s.h.io.input.size() == 2);   // neither QUIT nor NOOP read: the chunk's length is unknown
    }
}

TEST_CASE("RFC3030-8 MaxMsgSize counted across chunks: 552 at the chunk that passes it, its rest dropped",
          "[smtp][bdat]") {
    std::string head = "From: a@remote.org\r\n\r\n";
    std::string part(600, 'a');
    std::string over = "NOOP\r\n" + std::string(594, 'b');   // a command inside the dropped rest
    Session s(kEnvelope + "BDAT " + std::to_string(head.size() + part.size()) + "\r\n" + head + part +
                  "BDAT 600\r\n" + over + "BDAT 5 LAST\r\nmore\n" + kEnvelope.substr(8) + as_chunks(head + "ok\r\n", 100) +
                  "QUIT\r\n",
              1000);
    CHECK(codes(s.replies) == std::vector<int>{220, 250, 250, 250, 250, 552, 503, 250, 250, 250, 221});
    CHECK(has_line(s.replies, "552 5.3.4 Message size (1200) exceeds maximum: 1000 bytes"));
    REQUIRE(s.h.store.mail.size() == 1);   // the failed transaction stored nothing; the next one did
    CHECK(s.h.store.mail.begin()->second.body == "ok\r\n");
    // The first message's text never passed MaxMsgSize in memory: reads are
    // asked for 64 KiB at most whatever the chunk size.
    Session big(kEnvelope + bdat(head + std::string(2000000, 'z'), true) + "QUIT\r\n", 1000);
    CHECK(big.replies[big.replies.size() - 2].substr(0, 24) == "552 5.3.4 Message size (");
    CHECK(big.replies.back().substr(0, 3) == "221");
}

TEST_CASE("RFC3030-9 a client lost in the middle of a chunk: nothing stored; a silent one gets 421", "[smtp][bdat]") {
    Session lost(kEnvelope + "BDAT 100 LAST\r\nFrom: a@remote.org\r\n\r\nonly part");
    CHECK(lost.h.store.mail.empty());
    CHECK(lost.h.log.has("!Sender disconnected (premature evacuation)"));
    Harness h;
    h.io.send_wire(kEnvelope + "BDAT 100 LAST\r\nFrom: a@remote.org\r\n");
    h.io.send("<timeout>");
    auto r = h.run({});
    CHECK(r.back() == "421 4.4.2 bbs.example.com closing connection");
    CHECK(h.io.last_timeout == 120);
    CHECK(h.store.mail.empty());
}

TEST_CASE("RFC3030-10 RSET or a new MAIL drops the chunks received so far", "[smtp][bdat]") {
    Session s(kEnvelope + bdat("From: a@remote.org\r\n\r\n") + "RSET\r\n" + bdat("x\r\n", true) +
              "MAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\n" + bdat("From: b@remote.org\r\n\r\n") +
              "MAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\n" +
              bdat("From: c@remote.org\r\n\r\nc\r\n", true) + "QUIT\r\n");
    CHECK(codes(s.replies) == std::vector<int>{220, 250, 250, 250, 250, 250, 503, 250, 250, 250, 250, 250, 250, 221});
    REQUIRE(s.h.store.mail.size() == 1);
    CHECK(s.h.store.mail.begin()->second.body == "c\r\n");
}

TEST_CASE("RFC3030-3 a BDAT body line of 300 KB is kept in pieces that never split a UTF-8 sequence",
          "[smtp][bdat]") {
    std::string line;
    while (line.size() < 300000) line += "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";   // 2, 3 and 4 bytes
    std::string text = "From: a@remote.org\r\n\r\n" + line + "\r\nend\r\n";
    for (size_t size : {size_t(65537), size_t(99991), text.size()}) {
        CAPTURE(size);
        Session s(kEnvelope + as_chunks(text, size) + "QUIT\r\n");
        REQUIRE(s.h.store.mail.size() == 1);
        auto& m = s.h.store.mail.begin()->second;
        CHECK(m.body == line + "\r\nend\r\n");
        CHECK(m.hdr.get(smb::hf::FIDOCHARSET) == "UTF-8 4");   // every piece read as whole UTF-8
    }
}

TEST_CASE("RFC3030-2 SMTP-176 a telegram (SEND FROM) by BDAT is written as DATA writes it", "[smtp][bdat]") {
    auto telegram = [](const std::string& text_wire) {
        Harness h;
        h.notices.pageable.insert(3);
        h.io.send_wire("EHLO x\r\nSEND FROM:<alice@remote.org>\r\nRCPT TO:<mary@example.com>\r\n" + text_wire +
                       "QUIT\r\n");
        h.run({});
        CHECK(h.store.mail.empty());
        return h.notices.written[3];
    };
    std::string by_data = telegram("DATA\r\nHi Mary\r\n..dot\r\n.\r\n");
    CHECK(by_data.find("Hi Mary\r\n.dot\r\n") != std::string::npos);
    CHECK(telegram(bdat("Hi Mary\r\n.dot\r\n", true)) == by_data);
    CHECK(telegram(as_chunks("Hi Mary\r\n.dot\r\n", 3)) == by_data);
}

TEST_CASE("RFC3030-3 BODY=BINARYMIME by BDAT: a binary attachment is stored as base64 that decodes to the sent octets",
          "[smtp][bdat][binarymime]") {
    std::string octets("\xff\x00\x01 bin\r\n\n\r--x\r\n", 16);
    const std::string text = "From: a@remote.org\r\nSubject: bin\r\nMIME-Version: 1.0\r\n"
                             "Content-Type: multipart/mixed; boundary=x\r\n\r\n"
                             "--x\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                             "--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
                             octets + "\r\n--x--\r\n";
    // Any spelling of the keyword, in chunks that cut the binary part.
    Session s("EHLO x\r\nMAIL FROM:<a@remote.org> SIZE=300 body=binarymime\r\nRCPT TO:<mary@example.com>\r\n" +
              as_chunks(text, 7) + "QUIT\r\n");
    CHECK(has_line(s.replies, "250-BINARYMIME"));
    REQUIRE(s.h.store.mail.size() == 1);
    const std::string body = s.h.store.mail.begin()->second.body;
    CHECK(body.find("--x\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--x\r\n") == 0);
    const std::string head = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                             "X-MIME-Autoconverted: from binary to base64 by ";
    size_t at = body.find(head);
    REQUIRE(at != std::string::npos);
    size_t from = body.find("\r\n\r\n", at) + 4, to = body.find("\r\n--x--\r\n", from);
    REQUIRE(to != std::string::npos);
    std::string b64;
    for (char c : body.substr(from, to - from))
        if (c != '\r' && c != '\n') b64 += c;
    CHECK(base64_decode(b64) == std::optional<std::string>(octets));
    CHECK(stored(s.h.store.mail.begin()->second).find("X-MIME-Autoconverted: from binary to base64 by") != std::string::npos);
}

TEST_CASE("RFC3030-3 BODY=BINARYMIME with text that is already storable stores what DATA stores", "[smtp][bdat][binarymime]") {
    const std::string text = "From: Alice <a@remote.org>\r\nTo: mary@example.com\r\nSubject: t\r\n"
                             "Message-ID: <1@remote.org>\r\n\r\nGr\xc3\xbc\xc3\x9f" "e\r\nline two\r\n";
    Session binary(kEnvelope.substr(0, kEnvelope.find("\r\n") + 2) + "MAIL FROM:<a@remote.org> BODY=BINARYMIME\r\n" +
                   "RCPT TO:<mary@example.com>\r\n" + bdat(text, true) + "QUIT\r\n");
    Session data(kEnvelope + as_data(text) + "QUIT\r\n");
    REQUIRE(binary.h.store.mail.size() == 1);
    REQUIRE(data.h.store.mail.size() == 1);
    CHECK(stored(binary.h.store.mail.begin()->second) == stored(data.h.store.mail.begin()->second));
}

TEST_CASE("RFC3030-3 DATA after MAIL BODY=BINARYMIME gets 503 5.5.1; RSET clears it", "[smtp][bdat][binarymime]") {
    Session s("EHLO x\r\nMAIL FROM:<a@remote.org> BODY=BINARYMIME\r\nRCPT TO:<mary@example.com>\r\nDATA\r\n"
              "RSET\r\n" + kEnvelope.substr(kEnvelope.find("MAIL")) + as_data("From: a@remote.org\r\n\r\nhi\r\n") +
              "QUIT\r\n");
    CHECK(codes(s.replies) == std::vector<int>{220, 250, 250, 250, 503, 250, 250, 250, 354, 250, 221});
    CHECK(has_line(s.replies, "503 5.5.1 Bad sequence of commands: BODY=BINARYMIME requires BDAT"));
    CHECK(s.h.store.mail.size() == 1);
    // Other BODY= values are still accepted unchecked (SMTP-95).
    Session seven("EHLO x\r\nMAIL FROM:<a@remote.org> BODY=7BIT\r\nQUIT\r\n");
    CHECK(codes(seven.replies) == std::vector<int>{220, 250, 250, 221});
}

TEST_CASE("RFC3030-3 a base64 part holding binary octets is refused with 554 5.6.5, nothing stored",
          "[smtp][bdat][binarymime]") {
    const std::string text = "From: a@remote.org\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                             std::string("AAAA\0\r\n", 7);
    Session s("EHLO x\r\nMAIL FROM:<a@remote.org> BODY=BINARYMIME\r\nRCPT TO:<mary@example.com>\r\n" + bdat(text, true) +
              "QUIT\r\n");
    CHECK(has_line(s.replies, "554 5.6.5 Conversion failed: a part labelled base64 holds binary octets"));
    CHECK(s.h.store.mail.empty());
}
