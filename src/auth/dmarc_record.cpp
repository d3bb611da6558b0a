// DMARC policy discovery (see dmarc_record.h).
#include "auth/dmarc_record.h"

#include "auth/org_domain.h"
#include "util/strings.h"

#include <vector>

namespace sbbs::auth {

namespace {

// "v=DMARC1" then ";" or the end, blanks allowed around '=' (RFC 7489 6.4).
bool is_dmarc_record(std::string_view r) {
    r = trim(r);
    if (r.size() < 1 || (r[0] != 'v' && r[0] != 'V')) return false;
    r = trim(r.substr(1));
    if (r.empty() || r[0] != '=') return false;
    r = trim(r.substr(1));
    if (r.substr(0, 6) != "DMARC1") return false;
    r = trim(r.substr(6));
    return r.empty() || r[0] == ';';
}

DmarcRecordLookup look_up(const std::string& domain, Resolver& resolver) {
    DmarcRecordLookup out;
    auto answer = resolver.txt("_dmarc." + domain);
    if (answer.status == DnsStatus::TempFail) {
        out.outcome = DmarcRecordLookup::Outcome::Temperror;
        return out;
    }
    std::vector<std::string> found;
    if (answer.status == DnsStatus::Ok)
        for (auto& r : answer.records)
            if (is_dmarc_record(r)) found.push_back(r);
    if (found.size() == 1) {
        out.outcome = DmarcRecordLookup::Outcome::Found;
        out.record = found.front();
        out.domain = domain;
    }
    return out;
}

} // namespace

DmarcRecordLookup find_dmarc_record(const std::string& from_domain, Resolver& resolver) {
    auto first = look_up(from_domain, resolver);
    if (first.outcome != DmarcRecordLookup::Outcome::None) return first;
    std::string org = organizational_domain(from_domain);
    if (org.empty() || org == from_domain) return first;
    auto second = look_up(org, resolver);
    second.from_org_domain = second.outcome == DmarcRecordLookup::Outcome::Found;
    return second;
}

} // namespace sbbs::auth
