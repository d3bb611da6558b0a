// What a DMARC verdict does under DMARCPolicy: the decision table, pct=
// sampling under honor, and no refusal for anything but a fail.
#include "auth/dmarc_policy.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::auth;

namespace {

DmarcVerdict verdict(DmarcResult r, DmarcPolicy p, bool sampled_out = false) {
    DmarcVerdict v;
    v.result = r;
    v.from_domain = "example.org";
    v.policy = p;
    v.sampled_out = sampled_out;
    return v;
}

PolicyAction action(AuthPolicy key, const DmarcVerdict& v) {
    MailAuthSettings s;
    s.dmarc_policy = key;
    return dmarc_decision(s, v).action;
}

} // namespace

TEST_CASE("RFC7489-6.7 DMARCPolicy off, tag and reject act on a fail whatever p= says", "[auth][dmarc]") {
    auto fail_none = verdict(DmarcResult::Fail, DmarcPolicy::None);
    CHECK(action(AuthPolicy::Off, verdict(DmarcResult::Fail, DmarcPolicy::Reject)) == PolicyAction::None);
    CHECK(action(AuthPolicy::Tag, fail_none) == PolicyAction::Tag);
    MailAuthSettings s;
    s.dmarc_policy = AuthPolicy::Reject;
    auto d = dmarc_decision(s, fail_none);
    CHECK(d.action == PolicyAction::Reject);
    CHECK(d.code == 550);
    CHECK(d.enhanced == "5.7.1");
    CHECK(d.text == "Unauthenticated mail from example.org refused by DMARC (p=none)");
}

TEST_CASE("RFC7489-6.6.4 honor follows p= after pct= sampling: a message left out gets the next policy down",
          "[auth][dmarc]") {
    CHECK(action(AuthPolicy::Honor, verdict(DmarcResult::Fail, DmarcPolicy::Reject)) == PolicyAction::Reject);
    CHECK(action(AuthPolicy::Honor, verdict(DmarcResult::Fail, DmarcPolicy::Reject, true)) == PolicyAction::Tag);
    CHECK(action(AuthPolicy::Honor, verdict(DmarcResult::Fail, DmarcPolicy::Quarantine)) == PolicyAction::Tag);
    CHECK(action(AuthPolicy::Honor, verdict(DmarcResult::Fail, DmarcPolicy::Quarantine, true)) == PolicyAction::None);
    CHECK(action(AuthPolicy::Honor, verdict(DmarcResult::Fail, DmarcPolicy::None)) == PolicyAction::None);
}

TEST_CASE("ISSUE16-4 no DMARCPolicy refuses or tags a pass, none, temperror or permerror", "[auth][dmarc]") {
    for (auto r : {DmarcResult::Pass, DmarcResult::None, DmarcResult::Temperror, DmarcResult::Permerror})
        for (auto key : {AuthPolicy::Tag, AuthPolicy::Reject, AuthPolicy::Honor})
            CHECK(action(key, verdict(r, DmarcPolicy::Reject)) == PolicyAction::None);
}

TEST_CASE("ISSUE16-4 a DMARC tag prefixes the subject and adds X-DMARC naming the domain and its policy",
          "[auth][dmarc]") {
    MailAuthSettings s;
    auto h = dmarc_tagged_header("From: a@example.org\r\nSubject: hi\r\n", s,
                                 verdict(DmarcResult::Fail, DmarcPolicy::Reject, true));
    CHECK(h == "From: a@example.org\r\nSubject: SPAM: hi\r\n"
               "X-DMARC: fail (header.from example.org, p=reject, sampled out by pct=)\r\n");
}
