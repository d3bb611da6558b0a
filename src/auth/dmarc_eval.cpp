// DMARC evaluation with libopendmarc (see dmarc_eval.h).
#include "auth/dmarc_eval.h"

#include "auth/dmarc_record.h"
#include "auth/org_domain.h"
#include "util/strings.h"

#include <opendmarc/dmarc.h>

#include <memory>
#include <random>

namespace sbbs::auth {

namespace {

struct PolicyCloser {
    void operator()(DMARC_POLICY_T* p) const { opendmarc_policy_connect_shutdown(p); }
};
using Policy = std::unique_ptr<DMARC_POLICY_T, PolicyCloser>;

u_char* bytes(const std::string& s) { return reinterpret_cast<u_char*>(const_cast<char*>(s.c_str())); }

int spf_outcome(SpfResult r) {
    switch (r) {
    case SpfResult::Pass: return DMARC_POLICY_SPF_OUTCOME_PASS;
    case SpfResult::Fail: case SpfResult::Softfail: return DMARC_POLICY_SPF_OUTCOME_FAIL;
    case SpfResult::Temperror: return DMARC_POLICY_SPF_OUTCOME_TMPFAIL;
    default: return DMARC_POLICY_SPF_OUTCOME_NONE;
    }
}

int dkim_outcome(DkimResult r) {
    switch (r) {
    case DkimResult::Pass: return DMARC_POLICY_DKIM_OUTCOME_PASS;
    case DkimResult::Fail: return DMARC_POLICY_DKIM_OUTCOME_FAIL;
    case DkimResult::Temperror: return DMARC_POLICY_DKIM_OUTCOME_TMPFAIL;
    default: return DMARC_POLICY_DKIM_OUTCOME_NONE;
    }
}

DmarcPolicy policy_of(int letter) {
    switch (letter) {
    case DMARC_RECORD_P_NONE: return DmarcPolicy::None;
    case DMARC_RECORD_P_QUARANTINE: return DmarcPolicy::Quarantine;
    case DMARC_RECORD_P_REJECT: return DmarcPolicy::Reject;
    default: return DmarcPolicy::Unset;
    }
}

// p=, or sp= when the record came from the organizational domain and has
// one (RFC 7489 6.6.3 step 3, 6.3 sp).
DmarcPolicy applicable_policy(DMARC_POLICY_T* pctx, bool from_org_domain) {
    int p = 0, sp = 0;
    opendmarc_policy_fetch_p(pctx, &p);
    opendmarc_policy_fetch_sp(pctx, &sp);
    if (from_org_domain && sp != DMARC_RECORD_P_UNSPECIFIED) return policy_of(sp);
    return policy_of(p);
}

// RFC 7489 3.1: strict needs the same domain, relaxed the same
// organizational domain. Checked here because libopendmarc 1.4.2 is looser
// in both: in strict mode it accepts a d= whose organizational domain is the
// From domain, and in relaxed mode any parent of the From domain, a public
// suffix such as "com" included.
bool aligned(const std::string& identifier, const std::string& from_domain, int mode) {
    if (identifier == from_domain) return true;
    if (mode == DMARC_RECORD_A_STRICT) return false;
    return organizational_domain(identifier) == organizational_domain(from_domain);
}

// The aligned identifiers' results handed to the library, which keeps the
// passing one (DKIM) and the MAIL FROM domain (SPF) and picks the policy.
void store_identifiers(DMARC_POLICY_T* pctx, const std::string& from_domain, const std::optional<SpfVerdict>& spf,
                       const std::vector<DkimVerdict>& dkim) {
    int adkim = 0, aspf = 0;
    opendmarc_policy_fetch_adkim(pctx, &adkim);
    opendmarc_policy_fetch_aspf(pctx, &aspf);
    for (auto& v : dkim)
        if (!v.domain.empty() && aligned(to_lower(v.domain), from_domain, adkim))
            (void)opendmarc_policy_store_dkim(pctx, bytes(v.domain), bytes(v.selector), dkim_outcome(v.result),
                                              nullptr);
    if (spf && !spf->domain.empty() && aligned(to_lower(spf->domain), from_domain, aspf))
        (void)opendmarc_policy_store_spf(pctx, bytes(spf->domain), spf_outcome(spf->result),
                                         DMARC_POLICY_SPF_ORIGIN_MAILFROM, nullptr);
}

} // namespace

unsigned random_percent() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return unsigned(rng() % 100);
}

DmarcVerdict evaluate_dmarc(const std::string& from_domain, const std::optional<SpfVerdict>& spf,
                            const std::vector<DkimVerdict>& dkim, Resolver& resolver, const PercentDraw& percent) {
    DmarcVerdict out;
    out.from_domain = from_domain;
    if (from_domain.empty()) {
        out.result = DmarcResult::Permerror;                 // RFC 7489 6.6.1: no single author domain
        return out;
    }
    (void)public_suffix_list_loaded();                       // alignment needs it loaded
    auto found = find_dmarc_record(from_domain, resolver);
    if (found.outcome == DmarcRecordLookup::Outcome::Temperror) out.result = DmarcResult::Temperror;
    if (found.outcome != DmarcRecordLookup::Outcome::Found) return out;

    Policy pctx(opendmarc_policy_connect_init(bytes("0.0.0.0"), 0));   // the address is only for reports
    if (!pctx) {
        out.result = DmarcResult::Temperror;
        return out;
    }
    std::string org = found.from_org_domain ? found.domain : std::string();
    if (opendmarc_policy_store_from_domain(pctx.get(), bytes(from_domain)) != DMARC_PARSE_OKAY ||
        opendmarc_policy_store_dmarc(pctx.get(), bytes(found.record), bytes(from_domain),
                                     org.empty() ? nullptr : bytes(org)) != DMARC_PARSE_OKAY) {
        out.result = DmarcResult::Permerror;                 // RFC 8601 2.7.4: the record does not parse
        return out;
    }
    store_identifiers(pctx.get(), from_domain, spf, dkim);
    out.policy = applicable_policy(pctx.get(), found.from_org_domain);
    int decision = opendmarc_get_policy_to_enforce(pctx.get());
    if (decision == DMARC_POLICY_PASS) {
        out.result = DmarcResult::Pass;
        return out;
    }
    out.result = DmarcResult::Fail;
    int pct = 100;
    opendmarc_policy_fetch_pct(pctx.get(), &pct);
    out.sampled_out = pct < 100 && int(percent()) >= pct;     // RFC 7489 6.6.4
    return out;
}

} // namespace sbbs::auth
