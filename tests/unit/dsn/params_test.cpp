// DSN/REQUIRETLS parameters: xtext, MAIL/RCPT validation and the stored form.
#include "dsn/params.h"
#include "msgbase/smb_defs.h"

using namespace sbbs;
using namespace sbbs::dsn;

TEST_CASE("RFC3461-4 xtext decodes +XX and refuses what is not xtext") {
    CHECK(xtext_decode("a+2Bb+3Dc") == std::optional<std::string>("a+b=c"));
    CHECK_FALSE(xtext_decode("a+2b"));          // hexchar is upper case
    CHECK_FALSE(xtext_decode("a+2"));           // truncated
    CHECK_FALSE(xtext_decode("a b"));
    CHECK_FALSE(xtext_decode("a=b"));
    CHECK_FALSE(xtext_decode("\xC3\xA9"));
    CHECK(xtext_encode("a+b=c d\xC3\xA9") == "a+2Bb+3Dc+20d+C3+A9");
    CHECK(xtext_decode(xtext_encode(std::string("\x01 +=~\xff", 6))) == std::string("\x01 +=~\xff", 6));
}

TEST_CASE("RFC3461-4.3 RET and RFC3461-4.4 ENVID are taken once, validated") {
    EnvelopeParams e;
    CHECK(*take_mail_param("RET=hdrs", e));
    CHECK(e.ret == Ret::Hdrs);
    CHECK_FALSE(take_mail_param("RET=FULL", e).ok());      // repeated
    CHECK(*take_mail_param("ENVID=QQ+2B1", e));
    CHECK(e.envid == "QQ+1");
    CHECK_FALSE(take_mail_param("ENVID=x", e).ok());
    EnvelopeParams f;
    CHECK_FALSE(take_mail_param("RET=BOTH", f).ok());
    CHECK_FALSE(take_mail_param("ENVID=", f).ok());
    CHECK_FALSE(take_mail_param("ENVID=" + std::string(101, 'a'), f).ok());
    CHECK_FALSE(*take_mail_param("SIZE=10", f));            // not ours: left to the caller
    CHECK(*take_mail_param("REQUIRETLS", f));
    CHECK(f.requiretls);
}

TEST_CASE("RFC3461-4.1 NOTIFY: NEVER alone, no repeats; RFC3461-4.2 ORCPT addr-type;xtext") {
    RecipientParams r;
    CHECK(*take_rcpt_param("NOTIFY=success,DELAY", r));
    CHECK(r.wants(notify::SUCCESS));
    CHECK(r.wants(notify::DELAY));
    CHECK_FALSE(r.wants(notify::FAILURE));
    CHECK_FALSE(take_rcpt_param("NOTIFY=FAILURE", r).ok());
    RecipientParams bad;
    CHECK_FALSE(take_rcpt_param("NOTIFY=NEVER,SUCCESS", bad).ok());
    CHECK_FALSE(take_rcpt_param("NOTIFY=FAILURE,FAILURE", bad).ok());
    CHECK_FALSE(take_rcpt_param("NOTIFY=", bad).ok());
    CHECK_FALSE(take_rcpt_param("ORCPT=bob@x", bad).ok());
    CHECK_FALSE(take_rcpt_param("ORCPT=rfc822;", bad).ok());
    CHECK(*take_rcpt_param("ORCPT=rfc822;bob+2Bx@example.org", r));
    CHECK(r.orcpt_type == "rfc822");
    CHECK(r.orcpt == "bob+x@example.org");
    RecipientParams none;
    CHECK(none.wants(notify::FAILURE));
    CHECK_FALSE(none.wants(notify::SUCCESS));
}

TEST_CASE("RFC3461-4 stored form round-trips through the message header") {
    EnvelopeParams e;
    e.ret = Ret::Full;
    e.envid = "id with space";
    e.requiretls = true;
    RecipientParams r;
    r.notify = notify::SUCCESS | notify::FAILURE;
    r.orcpt_type = "rfc822";
    r.orcpt = "a=b@example.org";
    smb::MessageHeader h;
    store(h, e, r);
    CHECK(h.get(smb::hf::DSN_ENVELOPE) == "RET=FULL ENVID=id+20with+20space REQUIRETLS");
    CHECK(h.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+3Db@example.org");
    auto e2 = envelope_params(h);
    auto r2 = recipient_params(h);
    CHECK(e2.ret == Ret::Full);
    CHECK(e2.envid == e.envid);
    CHECK(e2.requiretls);
    CHECK(r2.notify == r.notify);
    CHECK(r2.orcpt == r.orcpt);
    smb::MessageHeader plain;
    store(plain, {}, {});
    CHECK(plain.fields.empty());
    CHECK(envelope_params(plain).empty());
    RecipientParams never;
    never.notify = notify::NEVER;
    CHECK(format(never) == "NOTIFY=NEVER");
}

TEST_CASE("RFC3461-4.4 a decoded ENVID is printable ASCII: no line end reaches a report") {
    EnvelopeParams e;
    CHECK_FALSE(take_mail_param("ENVID=a+0D+0ABcc:x@y", e).ok());
    CHECK_FALSE(take_mail_param("ENVID=a+00b", e).ok());
    CHECK_FALSE(take_mail_param("ENVID=a+C3+A9", e).ok());
    CHECK(*take_mail_param("ENVID=a+20b", e));
    CHECK(e.envid == "a b");
}

TEST_CASE("RFC3461-4.2 a decoded rfc822 ORCPT has no control characters; 8-bit bytes as Postfix sends them") {
    RecipientParams r;
    CHECK_FALSE(take_rcpt_param("ORCPT=rfc822;a+0D+0Ab@x", r).ok());
    CHECK_FALSE(take_rcpt_param("ORCPT=rfc822;a+7Fb@x", r).ok());
    CHECK(r.empty());
    CHECK(*take_rcpt_param("ORCPT=rfc822;j+C3+BCrgen@testbbs.example", r));   // Postfix, SMTPUTF8 mail
    CHECK(r.orcpt == "j\xC3\xBCrgen@testbbs.example");
    CHECK(format(r) == "ORCPT=rfc822;j+C3+BCrgen@testbbs.example");
}

TEST_CASE("RFC6533-3 ORCPT=utf-8: xtext form always, raw UTF-8 only under SMTPUTF8, stored as ASCII") {
    RecipientParams x;
    CHECK(*take_rcpt_param("ORCPT=utf-8;j\\x{FC}rgen@b\\x{FC}cher.example", x));
    CHECK(x.orcpt_type == "utf-8");
    CHECK(x.orcpt == "j\xC3\xBCrgen@b\xC3\xBC" "cher.example");
    CHECK(format(x) == "ORCPT=utf-8;j\\x{FC}rgen@b\\x{FC}cher.example");
    RecipientParams raw;
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;j\xC3\xBCrgen@x", raw).ok());          // no SMTPUTF8
    CHECK(*take_rcpt_param("ORCPT=utf-8;j\xC3\xBCrgen@x", raw, true));
    CHECK(raw.orcpt == "j\xC3\xBCrgen@x");
    CHECK(format(raw) == "ORCPT=utf-8;j\\x{FC}rgen@x");
    smb::MessageHeader h;                                                            // the stored form reads back
    store(h, {}, raw);
    CHECK(recipient_params(h).orcpt == raw.orcpt);
    RecipientParams bad;
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;a\\x{0A}b@x", bad).ok());             // a control character
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;a\\x{D800}b@x", bad).ok());           // a surrogate
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;a+2Bb@x", bad).ok());                 // "+" is no QCHAR
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;a\xC3@x", bad, true).ok());            // broken UTF-8
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;a\xC2\x90@x", bad, true).ok());        // a C1 control, raw (fuzz)
    RecipientParams limit;                                                           // 4.2's 500 on the stored value
    std::string at_limit = "utf-8;" + std::string(486, 'a') + "\xC3\xBC@x";         // stored: 6 + 486 + 6 + 2 = 500
    CHECK(*take_rcpt_param("ORCPT=" + at_limit, limit, true));
    RecipientParams over;                                                            // raw 497, stored 501 (fuzz)
    CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;" + std::string(487, 'a') + "\xC3\xBC@x", over, true).ok());
    smb::MessageHeader lh;
    store(lh, {}, limit);
    CHECK(recipient_params(lh).orcpt == limit.orcpt);
}

TEST_CASE("RFC6533-3 raw UTF-8 in an ORCPT is the shortest form of a scalar value (fuzz)") {
    for (std::string bad : {"\xF4\xBE\xB0\xA5", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF5\x80\x80\x80", "\xC1\xBF", "\xFA\xBE\xB0\xA5"}) {
        RecipientParams r;
        INFO(bad);
        CHECK_FALSE(take_rcpt_param("ORCPT=utf-8;a" + bad + "@x", r, true).ok());
    }
    RecipientParams ok;
    CHECK(*take_rcpt_param("ORCPT=utf-8;\xF0\x9F\x98\x80@x", ok, true));
    CHECK(format(ok) == "ORCPT=utf-8;\\x{1F600}@x");
}
