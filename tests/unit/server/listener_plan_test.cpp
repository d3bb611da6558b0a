// Which listeners a configuration opens.
#include "server/listener_plan.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

MailSettings mail(uint32_t options) {
    MailSettings m;
    m.interfaces = {"127.0.0.1", "::1"};
    m.pop3_interfaces = {"127.0.0.2"};
    m.smtp_port = 2525;
    m.submission_port = 2587;
    m.tls_submission_port = 2465;
    m.pop3_port = 2110;
    m.tls_pop3_port = 2995;
    m.options = options;
    return m;
}

size_t count(const std::vector<PlannedListener>& plan, ListenerKind kind) {
    size_t n = 0;
    for (const auto& l : plan) n += l.kind == kind;
    return n;
}

} // namespace

TEST_CASE("SMTP-10 CFG-52 CFG-50 SMTP always listens on SMTPPort on every Interface address") {
    auto plan = plan_listeners(mail(0), true);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0] == PlannedListener{ListenerKind::Smtp, "127.0.0.1", 2525});
    CHECK(plan[1] == PlannedListener{ListenerKind::Smtp, "::1", 2525});
}

TEST_CASE("SMTP-11 CFG-53 the submission port needs USE_SUBMISSION_PORT") {
    CHECK(count(plan_listeners(mail(0), true), ListenerKind::Submission) == 0);
    auto plan = plan_listeners(mail(mail_opt::USE_SUBMISSION_PORT), true);
    REQUIRE(count(plan, ListenerKind::Submission) == 2);
    CHECK(plan[2].port == 2587);
    CHECK(is_submission(ListenerKind::Submission));
    CHECK_FALSE(is_implicit_tls(ListenerKind::Submission));
}

TEST_CASE("SMTP-12 CFG-54 TLS_SUBMISSION opens TLSSubmissionPort with implicit TLS, not without TLS") {
    auto plan = plan_listeners(mail(mail_opt::TLS_SUBMISSION), true);
    REQUIRE(count(plan, ListenerKind::SubmissionTls) == 2);
    CHECK(plan.back().port == 2465);
    CHECK(is_implicit_tls(ListenerKind::SubmissionTls));
    CHECK(is_submission(ListenerKind::SubmissionTls));
    CHECK(count(plan_listeners(mail(mail_opt::TLS_SUBMISSION), false), ListenerKind::SubmissionTls) == 0);
}

TEST_CASE("SMTP-13 POP3-12 protocol names of the listeners") {
    CHECK(std::string(protocol_name(ListenerKind::Smtp)) == "SMTP");
    CHECK(std::string(protocol_name(ListenerKind::Submission)) == "SMTP");
    CHECK(std::string(protocol_name(ListenerKind::SubmissionTls)) == "SMTPS");
    CHECK(std::string(protocol_name(ListenerKind::Pop3)) == "POP3");
    CHECK(std::string(protocol_name(ListenerKind::Pop3Tls)) == "POP3S");
}

TEST_CASE("POP3-6 CFG-55 CFG-56 CFG-51 POP3 and POP3S flags are independent and use POP3Interface") {
    CHECK(count(plan_listeners(mail(0), true), ListenerKind::Pop3) == 0);
    auto pop3 = plan_listeners(mail(mail_opt::ALLOW_POP3), true);
    REQUIRE(count(pop3, ListenerKind::Pop3) == 1);
    CHECK(pop3.back() == PlannedListener{ListenerKind::Pop3, "127.0.0.2", 2110});
    auto tls_only = plan_listeners(mail(mail_opt::TLS_POP3), true);
    CHECK(count(tls_only, ListenerKind::Pop3) == 0);
    REQUIRE(count(tls_only, ListenerKind::Pop3Tls) == 1);
    CHECK(tls_only.back() == PlannedListener{ListenerKind::Pop3Tls, "127.0.0.2", 2995});
}

TEST_CASE("POP3-7 without usable TLS the POP3S listener is not opened") {
    CHECK(count(plan_listeners(mail(mail_opt::TLS_POP3 | mail_opt::ALLOW_POP3), false), ListenerKind::Pop3Tls) == 0);
}

TEST_CASE("blank interface items bind nothing and addresses are trimmed") {
    MailSettings m = mail(mail_opt::ALLOW_POP3);
    m.interfaces = {" 127.0.0.1 ", ""};
    m.pop3_interfaces = {" "};
    auto plan = plan_listeners(m, true);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].ip == "127.0.0.1");
}

TEST_CASE("CFG-168 two enabled listeners on one address and port are a fatal diagnostic") {
    MailSettings m = mail(mail_opt::ALLOW_POP3);
    m.pop3_interfaces = {"127.0.0.1"};
    CHECK(check_listener_plan(plan_listeners(m, true), "ctrl/sbbs.ini").empty());
    m.pop3_port = 2525;
    auto d = check_listener_plan(plan_listeners(m, true), "ctrl/sbbs.ini");
    REQUIRE(d.size() == 1);
    CHECK(d[0].fatal());
    CHECK(d[0].file == "ctrl/sbbs.ini");
    CHECK(d[0].message.find("POP3 127.0.0.1 port 2525") != std::string::npos);
}

TEST_CASE("listener description shows IPv6 in brackets") {
    CHECK(describe(PlannedListener{ListenerKind::Pop3Tls, "::1", 995}) == "POP3S [::1] port 995");
    CHECK(describe(PlannedListener{ListenerKind::Submission, "0.0.0.0", 587}) == "Submission 0.0.0.0 port 587");
}
