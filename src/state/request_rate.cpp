// The request rate limiter (see request_rate.h).
#include "state/request_rate.h"

#include "config/ip_address.h"

#include <cstdio>

namespace sbbs {

namespace {
constexpr size_t kMaxMembers = 1024;     // distinct IPs remembered per subnet key
constexpr size_t kSweepKeys = 4096;      // sweep at once past this many keys

// RFC 5952 text of an IPv6 address (as inet_ntop writes it): lower-case hex
// groups, the longest run of two or more zero groups written "::".
std::string ipv6_text(const Ipv6Bytes& a) {
    unsigned g[8];
    for (int i = 0; i < 8; ++i) g[i] = unsigned(a[2 * i]) << 8 | a[2 * i + 1];
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0) ++j;
        if (j - i > best_len) best = i, best_len = j - i;
        i = j == i ? i + 1 : j;
    }
    std::string s;
    char buf[8];
    for (int i = 0; i < 8; ++i) {
        if (i == best) {
            s += "::";
            i += best_len - 1;
            continue;
        }
        if (!s.empty() && s.back() != ':') s += ':';
        std::snprintf(buf, sizeof buf, "%x", g[i]);
        s += buf;
    }
    return s;
}

} // namespace

std::string rate_limit_key(const std::string& ip, const RateLimitSettings& rl) {    // SMTP-53
    if (auto v4 = parse_ipv4(ip)) {
        const uint32_t prefix = rl.subnet_prefix4;
        if (prefix == 0 || prefix >= 32) return ip;
        const uint32_t net = *v4 & (0xFFFFFFFFu << (32 - prefix));
        return std::to_string(net >> 24) + "." + std::to_string(net >> 16 & 255) + "." +
               std::to_string(net >> 8 & 255) + "." + std::to_string(net & 255) + "/" + std::to_string(prefix);
    }
    auto v6 = parse_ipv6(ip);
    const uint32_t prefix = rl.subnet_prefix6;
    if (!v6 || prefix == 0 || prefix >= 128) return ip;
    for (uint32_t bit = prefix; bit < 128; ++bit) (*v6)[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
    return ipv6_text(*v6) + "/" + std::to_string(prefix);
}

std::optional<RateDenial> RequestRateLimiter::request(const std::string& ip, const RateLimitSettings& rl,
                                                      uint32_t max, uint32_t period_s, std::time_t now) {
    if (max == 0 || period_s == 0) return std::nullopt;                              // SMTP-52
    const std::string key = rate_limit_key(ip, rl);
    std::lock_guard<std::mutex> lock(mu_);
    // A full sweep walks every key: once a period, or once a second (or when
    // the keys doubled since) while there are many.
    const bool many = buckets_.size() >= kSweepKeys && (now != last_sweep_ || buckets_.size() >= 2 * swept_size_);
    if (many || now - last_sweep_ >= std::time_t(period_s)) sweep(now, period_s);
    if (buckets_.size() >= kMaxKeys && !buckets_.contains(key)) evict_oldest();
    Bucket& b = buckets_[key];
    expire(b, now, period_s);
    if (b.allowed < max) {
        if (b.times.empty() || b.times.back().first != now) b.times.emplace_back(now, 0);
        ++b.times.back().second;
        ++b.allowed;
        return std::nullopt;
    }
    ++b.denials;
    if (key != ip && b.denied_ips.size() < kMaxMembers) b.denied_ips.insert(ip);
    return RateDenial{key, b.denials, key == ip ? size_t(1) : b.denied_ips.size()};
}

void RequestRateLimiter::expire(Bucket& b, std::time_t now, uint32_t period_s) {
    auto live = b.times.begin();
    for (; live != b.times.end() && now - live->first >= std::time_t(period_s); ++live) b.allowed -= live->second;
    b.times.erase(b.times.begin(), live);
}

void RequestRateLimiter::sweep(std::time_t now, uint32_t period_s) {
    last_sweep_ = now;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        expire(it->second, now, period_s);
        it = it->second.times.empty() ? buckets_.erase(it) : std::next(it);
    }
    swept_size_ = buckets_.size();
}

void RequestRateLimiter::evict_oldest() {
    std::vector<std::time_t> last;
    last.reserve(buckets_.size());
    for (const auto& [key, b] : buckets_) last.push_back(b.times.empty() ? 0 : b.times.back().first);
    const size_t drop = buckets_.size() - kMaxKeys * 3 / 4;
    std::nth_element(last.begin(), last.begin() + drop - 1, last.end());
    const std::time_t cutoff = last[drop - 1];
    size_t dropped = 0;
    for (auto it = buckets_.begin(); it != buckets_.end() && dropped < drop;) {
        const std::time_t t = it->second.times.empty() ? 0 : it->second.times.back().first;
        if (t <= cutoff) {
            it = buckets_.erase(it);
            ++dropped;
        } else {
            ++it;
        }
    }
    swept_size_ = buckets_.size();
}

size_t RequestRateLimiter::keys() const {
    std::lock_guard<std::mutex> lock(mu_);
    return buckets_.size();
}

} // namespace sbbs
