// The [Mail] keys of inbound mail authentication (issue #16 item 4): values,
// defaults, and a Diagnostic naming file and line for each bad value.
#include "config/sbbs_ini.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

MailAuthSettings read(const std::string& mail, Diagnostics& diags) {
    IniFile ini = IniFile::parse("[Mail]\n" + mail, "sbbs.ini", {}, diags);
    return read_mail_section(&ini, GlobalSettings{}, diags).mail.auth;
}

} // namespace

TEST_CASE("ISSUE16-4 the SPF policy keys: defaults check and never act", "[config]") {
    Diagnostics d;
    MailAuthSettings s = read("", d);
    CHECK(d.empty());
    CHECK(s.spf_check);
    CHECK(s.spf_policy == AuthPolicy::Off);
    CHECK(s.spf_reject_results == spf_result_bit::Fail);
    CHECK(s.spf_tag_results == (spf_result_bit::Fail | spf_result_bit::Softfail));
    CHECK_FALSE(s.spf_defer_temperror);
    CHECK(s.dmarc_policy == AuthPolicy::Off);
}

TEST_CASE("ISSUE16-4 the SPF policy keys are read", "[config]") {
    Diagnostics d;
    MailAuthSettings s = read("SPFPolicy = Reject\nSPFRejectResults = fail, permerror\nSPFTagResults = softfail\n"
                              "SPFDeferTempError = true\nSPFSubject = SUSPECT\nSPFHeader = X-Spf-Check\n"
                              "DMARCPolicy = honor\nSPFCheck = false\n", d);
    CHECK(d.empty());
    CHECK(s.spf_policy == AuthPolicy::Reject);
    CHECK(s.spf_reject_results == (spf_result_bit::Fail | spf_result_bit::Permerror));
    CHECK(s.spf_tag_results == spf_result_bit::Softfail);
    CHECK(s.spf_defer_temperror);
    CHECK(s.spf_subject == "SUSPECT");
    CHECK(s.spf_header == "X-Spf-Check");
    CHECK(s.dmarc_policy == AuthPolicy::Honor);
    CHECK_FALSE(s.spf_check);
}

TEST_CASE("ISSUE16-4 a bad policy value is a diagnostic naming file and line, and the default stays", "[config]") {
    Diagnostics d;
    MailAuthSettings s = read("SPFPolicy = rejet\nSPFRejectResults = fail,pass\nSPFPolicy2 = x\n"
                              "SPFHeader = X-SPF: yes\nDMARCPolicy = quarantine\n", d);
    CHECK(s.spf_policy == AuthPolicy::Off);
    CHECK(s.spf_reject_results == spf_result_bit::Fail);
    CHECK(s.spf_header == "X-SPF");
    CHECK(s.dmarc_policy == AuthPolicy::Off);
    REQUIRE(d.size() == 4);
    CHECK(d[0].file == "sbbs.ini");
    CHECK(d[0].line == 2);
    CHECK(d[0].message.find("SPFPolicy: value 'rejet' is not one of off, tag, reject") == 0);
    CHECK(d[1].line == 3);
    CHECK(d[1].message.find("'pass'") != std::string::npos);
    CHECK(d[3].message.find("DMARCPolicy") == 0);
}

TEST_CASE("ISSUE16-4 the new keys are known in [Mail], unknown in [Global]", "[config]") {
    Diagnostics d;
    IniFile ini = IniFile::parse("[Global]\nSPFPolicy = tag\n[Mail]\nSPFPolicy = tag\nDMARCPolicy = off\n",
                                 "sbbs.ini", {}, d);
    report_unknown_sbbs_keys(ini, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 2);
}
