// libFuzzer target for AUTH payloads on their own (the session targets
// reach them too, but rarely with a valid base64 shape): base64 strict and
// lenient, SASL PLAIN as POP3 decodes it, CRAM-MD5's HMAC, APOP's digest.
#include "pop3/apop.h"
#include "pop3/sasl_plain.h"
#include "smtp/sasl.h"
#include "util/base64.h"

#include <cstdint>
#include <string>

using namespace sbbs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 16 * 1024) return 0;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    if (auto d = base64_decode(in)) {
        // Round trip: what decodes strictly encodes back to the same bytes.
        if (auto again = base64_decode(base64_encode(*d)); !again || *again != *d) __builtin_trap();
    }
    (void)base64_decode_lenient(in);
    (void)pop3::decode_plain(in);
    (void)pop3::decode_plain(base64_encode(in));   // the decoded form reached directly
    (void)smtp::hmac_md5_hex(in, "<1.2@bbs.example.com>");
    (void)pop3::md5_hex(in);
    return 0;
}
