// Authentication-Results (RFC 8601) and Received-SPF (RFC 7208 9.1) as
// rendered, the removal of a forged one of ours, and SPF policy decisions.
#include "auth/authentication_results.h"
#include "auth/spf_policy.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::auth;

TEST_CASE("RFC8601-2.2 Authentication-Results: authserv-id, one result a line, each method's properties", "[auth]") {
    MessageAuthentication a;
    a.spf_mailfrom = SpfVerdict{SpfResult::Fail, "mailfrom", "example.org", "not ours"};
    a.spf_helo = SpfVerdict{SpfResult::None, "helo", "mx.example.net", ""};
    a.dkim.push_back({DkimResult::Pass, "example.org", "sel", "rsa-sha256", ""});
    a.dmarc = DmarcVerdict{DmarcResult::Fail, "example.org", DmarcPolicy::Reject, false};
    const SpfContext c{"192.0.2.1", "mx.example.net", "alice@example.org"};
    CHECK(authentication_results_field("bbs.example", a, c) ==
          "Authentication-Results: bbs.example;\r\n"
          "\tspf=fail (not ours) smtp.mailfrom=alice@example.org;\r\n"
          "\tspf=none smtp.helo=mx.example.net;\r\n"
          "\tdkim=pass header.d=example.org header.s=sel header.a=rsa-sha256;\r\n"
          "\tdmarc=fail (p=reject) header.from=example.org\r\n");
    CHECK(authentication_results_field("bbs.example", {}, c) == "Authentication-Results: bbs.example; none\r\n");
}

TEST_CASE("RFC8601-2.7.2 an odd local part is left out of smtp.mailfrom, a comment cannot be broken out of", "[auth]") {
    MessageAuthentication a;
    a.spf_mailfrom = SpfVerdict{SpfResult::Permerror, "mailfrom", "example.org", "bad (record)\r\nX-Evil: 1"};
    const SpfContext c{"192.0.2.1", "h", "\"odd; x\"@example.org"};
    const std::string f = authentication_results_field("bbs.example", a, c);
    CHECK(f.find("spf=permerror (bad recordX-Evil: 1) smtp.mailfrom=@example.org\r\n") != std::string::npos);
    CHECK(f.find("\r\nX-Evil") == std::string::npos);
}

TEST_CASE("RFC7208-9.1 Received-SPF: result, comment and the key-value pairs", "[auth]") {
    const SpfContext c{"192.0.2.1", "mx.example.net", "alice@example.org"};
    CHECK(received_spf_field("bbs.example", {SpfResult::Pass, "mailfrom", "example.org", ""}, c) ==
          "Received-SPF: pass (bbs.example: domain of alice@example.org designates 192.0.2.1 as permitted sender)\r\n"
          "\tclient-ip=192.0.2.1; envelope-from=\"alice@example.org\"; helo=\"mx.example.net\";\r\n"
          "\treceiver=\"bbs.example\"; identity=mailfrom;\r\n");
    const std::string perm = received_spf_field("bbs.example", {SpfResult::Permerror, "mailfrom", "example.org",
                                                                "more than 2 void DNS look-ups"}, c);
    CHECK(perm.starts_with("Received-SPF: permerror (bbs.example: permanent error in processing domain of "));
    CHECK(perm.find("problem=\"more than 2 void DNS look-ups\";") != std::string::npos);
}

TEST_CASE("RFC8601-5 an arriving Authentication-Results with our authserv-id goes, folded lines and all", "[auth]") {
    const std::string h =
        "Received: from x\r\n"
        "Authentication-Results: BBS.example;\r\n\tspf=pass smtp.mailfrom=ceo@example.org\r\n"
        "Authentication-Results: (comment) bbs.example; dkim=pass\r\n"
        "Authentication-Results: bbs.example.evil; spf=pass\r\n"
        "Authentication-Results: other.example;\r\n dkim=pass\r\n"
        "Subject: hi\r\n";
    int removed = 0;
    CHECK(without_our_authentication_results(h, "bbs.example", &removed) ==
          "Received: from x\r\n"
          "Authentication-Results: bbs.example.evil; spf=pass\r\n"
          "Authentication-Results: other.example;\r\n dkim=pass\r\n"
          "Subject: hi\r\n");
    CHECK(removed == 2);
}

TEST_CASE("ISSUE16-4 SPF policy: off acts never, tag and reject by result, temperror only with its key", "[auth]") {
    MailAuthSettings s;
    const SpfVerdict fail{SpfResult::Fail, "mailfrom", "example.org", ""};
    const SpfVerdict soft{SpfResult::Softfail, "mailfrom", "example.org", ""};
    const SpfVerdict temp{SpfResult::Temperror, "mailfrom", "example.org", ""};
    const SpfVerdict perm{SpfResult::Permerror, "mailfrom", "example.org", ""};
    CHECK(spf_decision(s, fail, "192.0.2.1").action == PolicyAction::None);
    s.spf_policy = AuthPolicy::Tag;
    CHECK(spf_decision(s, fail, "192.0.2.1").action == PolicyAction::Tag);
    CHECK(spf_decision(s, soft, "192.0.2.1").action == PolicyAction::Tag);
    CHECK(spf_decision(s, perm, "192.0.2.1").action == PolicyAction::None);
    s.spf_policy = AuthPolicy::Reject;
    auto d = spf_decision(s, fail, "192.0.2.1");
    CHECK(d.action == PolicyAction::Reject);
    CHECK(d.code == 550);
    CHECK(d.enhanced == "5.7.1");
    CHECK(d.text == "SPF fail: example.org does not permit 192.0.2.1");
    CHECK(spf_decision(s, soft, "192.0.2.1").action == PolicyAction::Tag);
    CHECK(spf_decision(s, temp, "192.0.2.1").action == PolicyAction::None);             // RFC7208-8.6
    s.spf_defer_temperror = true;
    d = spf_decision(s, temp, "192.0.2.1");
    CHECK(d.action == PolicyAction::Defer);
    CHECK((d.code == 451 && d.enhanced == "4.4.3"));
    s.spf_reject_results |= spf_result_bit::Permerror;
    CHECK(spf_decision(s, perm, "192.0.2.1").enhanced == "5.5.2");                       // RFC7208-8.7
}

TEST_CASE("ISSUE16-4 the SPF tag: subject prefix and header field, like the DNSBL's", "[auth]") {
    MailAuthSettings s;
    const SpfVerdict soft{SpfResult::Softfail, "mailfrom", "example.org", ""};
    CHECK(spf_tagged_header("From: a@example.org\r\nSubject: hello\r\n", s, soft, "192.0.2.1") ==
          "From: a@example.org\r\nSubject: SPAM: hello\r\n"
          "X-SPF: softfail (mailfrom example.org, client 192.0.2.1)\r\n");
    CHECK(has_subject_field("From: x\r\nsubject: y\r\n"));
    CHECK_FALSE(has_subject_field("From: x\r\n"));
}

TEST_CASE("ISSUE16-4 review 2: a bare CR in the MAIL FROM domain never reaches the X-SPF tag or the reply", "[auth]") {
    MailAuthSettings s;
    s.spf_policy = AuthPolicy::Tag;
    const SpfVerdict none{SpfResult::None, "mailfrom", "a\rX-Evil:injected", ""};
    const std::string h = spf_tagged_header("From: a@example.org\r\n", s, none, "192.0.2.1");
    CHECK(h == "From: a@example.org\r\nX-SPF: none (mailfrom a?X-Evil:injected, client 192.0.2.1)\r\n");
    s.spf_policy = AuthPolicy::Reject;
    s.spf_reject_results |= spf_result_bit::None;
    const auto d = spf_decision(s, SpfVerdict{SpfResult::None, "mailfrom", "a\r\nX: 1", "b\nc"}, "192.0.2.1");
    CHECK(d.text == "SPF none: a??X: 1 publishes no SPF record (b?c)");
}

TEST_CASE("RFC8601-2.2 review 3: a quote or ';' in the MAIL FROM domain cannot add results to ours", "[auth]") {
    MessageAuthentication a;
    a.spf_mailfrom = SpfVerdict{SpfResult::None, "mailfrom", "a\";dkim=pass", ""};
    const SpfContext c{"192.0.2.1", "h.example", "x@a\";dkim=pass"};
    CHECK(authentication_results_field("mx.example", a, c) == "Authentication-Results: mx.example;\r\n\tspf=none\r\n");
}
