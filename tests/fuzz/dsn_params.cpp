// libFuzzer target for the DSN parameters (RFC 3461 4, RFC 6533 3): xtext
// and utf-8-addr-xtext decoding and encoding, MAIL/RCPT parameter rules and
// the stored form (0xD4/0xD5) SendMail relays. The first byte says whether
// the transaction declared SMTPUTF8; the rest is one ESMTP parameter line.
// Aborts when a round trip changes a value or a stored form is not one
// printable ASCII line (it becomes a MAIL/RCPT argument and a report field).
#include "dsn/params.h"
#include "dsn/utf8_addr.h"
#include "msgbase/smb_defs.h"
#include "util/strings.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

bool one_ascii_line(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

void round_trips(const std::string& text, bool utf8) {
    require(sbbs::dsn::xtext_decode(sbbs::dsn::xtext_encode(text)) == text);
    if (auto d = sbbs::dsn::xtext_decode(text)) require(sbbs::dsn::xtext_decode(sbbs::dsn::xtext_encode(*d)) == *d);
    if (auto a = sbbs::dsn::utf8_addr_decode(text, utf8)) {
        std::string enc = sbbs::dsn::utf8_addr_encode(*a);
        require(one_ascii_line(enc));
        require(sbbs::dsn::utf8_addr_decode(enc, false) == *a);
    }
}

void parameters(const std::string& line, bool utf8) {
    sbbs::dsn::EnvelopeParams e;
    sbbs::dsn::RecipientParams r;
    for (auto& p : sbbs::split(line, ' ')) {
        (void)sbbs::dsn::take_mail_param(p, e);
        (void)sbbs::dsn::take_rcpt_param(p, r, utf8);
    }
    std::string fe = sbbs::dsn::format(e), fr = sbbs::dsn::format(r);
    require(one_ascii_line(fe) && one_ascii_line(fr));
    sbbs::smb::MessageHeader h;
    sbbs::dsn::store(h, e, r);
    auto e2 = sbbs::dsn::envelope_params(h);
    auto r2 = sbbs::dsn::recipient_params(h);
    require(e2.ret == e.ret && e2.envid == e.envid && e2.requiretls == e.requiretls);
    require(r2.notify == r.notify && r2.orcpt_type == r.orcpt_type && r2.orcpt == r.orcpt);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    bool utf8 = data[0] & 1;
    std::string line(reinterpret_cast<const char*>(data + 1), size - 1);
    round_trips(line, utf8);
    parameters(line, utf8);
    return 0;
}
