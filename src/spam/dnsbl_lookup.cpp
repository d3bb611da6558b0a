// DnsblLookup (see dnsbl_lookup.h).
#include "spam/dnsbl_lookup.h"

#include "config/dnsbl_list.h"
#include "dns/libresolv_resolver.h"
#include <algorithm>

namespace sbbs::spam {

namespace {

// res_nquery hands back no message on NXDOMAIN, so the SOA's negative TTL is
// out of reach: "not listed" is remembered for five minutes.
constexpr uint32_t kNegativeTtl = 300;
constexpr uint32_t kMaxTtl = 86400;     // a zone's odd TTL never pins an answer for long
constexpr auto kZoneDownFor = std::chrono::seconds(60);

} // namespace

std::string dnsbl_query_prefix(const std::string& ip) {
    std::string r = reverse_name(ip);
    for (const char* suffix : {".in-addr.arpa", ".ip6.arpa"})
        if (r.ends_with(suffix)) return r.substr(0, r.size() - std::string_view(suffix).size());
    return {};
}

DnsblLookup::DnsblLookup(std::string ctrl_dir, uint32_t cache_interval_s, std::unique_ptr<Resolver> resolver,
                         DnsblCache* cache, UserDirectory* users, Clock::duration budget,
                         std::function<Clock::time_point()> now)
    : ctrl_(std::move(ctrl_dir)), exempt_(ctrl_ + "dnsbl_exempt.cfg", cache_interval_s),
      ipfilter_exempt_(ctrl_ + "ipfilter_exempt.cfg", cache_interval_s),
      resolver_(std::move(resolver)), cache_(cache), users_(users), budget_(budget), now_(std::move(now)) {}

DnsblOutcome DnsblLookup::lookup(const std::string& ip, const std::string& host) {
    return lookup(ip, host, deadline());
}

DnsblOutcome DnsblLookup::lookup(const std::string& ip, const std::string& host, Clock::time_point deadline) {
    DnsblOutcome out;
    if (exempt_.contains(ip, host)) return out;                                      // SMTP-237
    std::string prefix = dnsbl_query_prefix(ip);
    if (prefix.empty()) return out;
    for (const DnsblZone& z : load_dnsbl_list(ctrl_ + "dns_blacklist.cfg", nullptr)) {   // CFG-140: file order
        out.hit = ask(ip, prefix + "." + z.zone, z.zone, z.description, deadline, out.problems);
        if (out.hit) break;
    }
    return out;
}

std::optional<DnsblHit> DnsblLookup::ask(const std::string& ip, const std::string& query, const std::string& zone,
                                         const std::string& line, Clock::time_point deadline,
                                         std::vector<std::string>& problems) {
    if (cache_) {
        if (auto c = cache_->get(ip, zone); c && *c) {
            if (!(*c)->listed) return std::nullopt;
            return DnsblHit{line, (*c)->result};
        }
    }
    const Clock::time_point now = now_();
    if (zone_down(zone, now)) {                                                      // fail open, logged
        problems.push_back("DNSBL look-up of " + query + " skipped (" + zone + " did not answer lately): not listed");
        return std::nullopt;
    }
    if (now >= deadline) {
        problems.push_back("DNSBL look-up of " + query + " skipped (time limit of the check reached): not listed");
        return std::nullopt;
    }
    DnsAnswer<std::string> a = resolver_->a(query);
    if (a.status == DnsStatus::TempFail) {                                           // fail open
        mark_down(zone, now_());
        problems.push_back("DNSBL look-up of " + query + " failed (" + a.error + "): not listed");
        return std::nullopt;
    }
    std::optional<DnsblHit> hit;
    uint32_t ttl = kNegativeTtl;
    if (a.status == DnsStatus::Ok && !a.records.empty()) {
        ttl = std::min(a.ttl, kMaxTtl);
        if (a.records.front().starts_with("127.0.0."))                             // SMTP-237, SMTP-259
            hit = DnsblHit{line, a.records.front()};
        else
            problems.push_back("!DNSBL " + zone + " answered " + a.records.front() + " for " + ip +
                               ": outside 127.0.0.0/24, ignored");
    }
    if (cache_) (void)cache_->put(ip, zone, hit.has_value(), hit ? hit->result : "", ttl);
    return hit;
}

bool DnsblLookup::zone_down(const std::string& zone, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(down_mu_);
    auto it = down_until_.find(zone);
    if (it == down_until_.end()) return false;
    if (now < it->second) return true;
    down_until_.erase(it);
    return false;
}

void DnsblLookup::mark_down(const std::string& zone, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(down_mu_);
    down_until_[zone] = now + kZoneDownFor;
}

bool DnsblLookup::sender_exempt(const std::string& address) {                      // SMTP-240
    std::string a = address;
    if (!a.empty() && a.front() == '<') a.erase(0, 1);
    if (!a.empty() && a.back() == '>') a.pop_back();
    if (a.empty()) return false;
    if (exempt_.contains("<" + a + ">")) return true;
    return users_ && users_->find_by_netmail(a) != 0;
}

} // namespace sbbs::spam
