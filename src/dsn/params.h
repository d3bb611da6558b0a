// DSN and REQUIRETLS parameters of an envelope (RFC 3461 4, RFC 8689 4.1):
// their validation from MAIL/RCPT, and the stored form that travels with each
// copy in the mail base so SendMail can relay them and answer for them.
#pragma once

#include "msgbase/message.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sbbs::dsn {

// xtext (RFC 3461 4): "!".."~" except "+" and "=", others as "+XX" (upper-case hex).
bool is_xtext(std::string_view s);
std::optional<std::string> xtext_decode(std::string_view s);   // nullopt: not xtext
std::string xtext_encode(std::string_view s);

enum class Ret { Unset, Full, Hdrs };

// Per message (MAIL FROM parameters).
struct EnvelopeParams {
    Ret ret = Ret::Unset;
    std::string envid;              // decoded ENVID (empty: none given)
    bool requiretls = false;        // RFC 8689 MAIL FROM REQUIRETLS
    bool empty() const { return ret == Ret::Unset && envid.empty() && !requiretls; }
};

namespace notify {                  // NOTIFY= bits (RFC 3461 4.1)
constexpr uint8_t NEVER = 0x01, SUCCESS = 0x02, FAILURE = 0x04, DELAY = 0x08;
}

// Per recipient (RCPT TO parameters).
struct RecipientParams {
    uint8_t notify = 0;             // 0: NOTIFY not given (default: failure and delay may be reported)
    std::string orcpt_type;         // ORCPT addr-type as given ("rfc822", "utf-8"); empty: none
    std::string orcpt;              // decoded ORCPT address
    bool empty() const { return notify == 0 && orcpt_type.empty(); }
    // RFC 3461 4.1: without NOTIFY, the MTA behaves as for NOTIFY=FAILURE (delay at its choice).
    bool wants(uint8_t bit) const {
        if (notify == 0) return bit == notify::FAILURE || bit == notify::DELAY;
        return (notify & bit) != 0;
    }
};

// Parsing one ESMTP parameter (keyword=value as the client sent it). An
// unrelated keyword yields false: the caller's other rules apply to it.
// A DSN keyword that is malformed or repeated yields the Error text for a
// 501 5.5.4 reply. `utf8`: the transaction declared SMTPUTF8, so an
// ORCPT=utf-8; address may be raw UTF-8 (RFC 6533 3, utf-8-addr-unitext).
Result<bool> take_mail_param(std::string_view param, EnvelopeParams& into);
Result<bool> take_rcpt_param(std::string_view param, RecipientParams& into, bool utf8 = false);

// Stored form: ESMTP parameter text as the next hop receives it ("RET=HDRS
// ENVID=a+2Bb REQUIRETLS"; "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@x";
// a utf-8 ORCPT as utf-8-addr-xtext, "ORCPT=utf-8;j\x{FC}rgen@x"), ASCII only, in header fields of our own types (smb_defs.h hf::DSN_*).
std::string format(const EnvelopeParams& p);
std::string format(const RecipientParams& p);
EnvelopeParams envelope_params(const smb::MessageHeader& h);   // absent/invalid: empty
RecipientParams recipient_params(const smb::MessageHeader& h);
void store(smb::MessageHeader& h, const EnvelopeParams& e, const RecipientParams& r);   // only non-empty parts

} // namespace sbbs::dsn
