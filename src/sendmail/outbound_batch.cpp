// Grouping of claimed messages into destinations and transactions (see
// outbound_batch.h).
#include "sendmail/outbound_batch.h"

#include <algorithm>
#include <map>

namespace sbbs {

std::string route_key(const Route& r) {
    std::string key = std::to_string(int(r.kind));
    for (auto& h : r.hosts) key += "|" + h.name + ":" + std::to_string(h.port);
    return key;
}

namespace {
// The same address twice in one transaction would reach its mailbox once.
bool has_rcpt(const OutboundBatch& b, const std::vector<OutboundJob>& jobs, const std::string& to) {
    for (size_t k : b.jobs)
        if (jobs[k].to == to) return true;
    return false;
}
} // namespace

std::vector<OutboundGroup> group_jobs(const std::vector<OutboundJob>& jobs, size_t max_rcpts) {
    if (max_rcpts == 0) max_rcpts = 1;
    std::vector<OutboundGroup> groups;
    std::map<std::string, size_t> by_route;
    for (size_t i = 0; i < jobs.size(); ++i) {
        const OutboundJob& j = jobs[i];
        auto [it, fresh] = by_route.emplace(session_key(route_key(j.route), j.tls), groups.size());
        if (fresh) groups.push_back({j.route, j.tls, {}});
        auto& batches = groups[it->second].batches;
        OutboundBatch* into = nullptr;
        for (auto& b : batches)
            if (b.jobs.size() < max_rcpts && b.from == j.from && b.text == j.text && b.dsn_mail == j.dsn_mail &&
                !has_rcpt(b, jobs, j.to))
                into = &b;
        if (!into) {
            batches.push_back({j.from, j.text, j.dsn_mail, {}});
            into = &batches.back();
        }
        into->jobs.push_back(i);
    }
    return groups;
}

std::vector<RcptSlice> rcpt_slices(size_t rcpts, size_t rcpt_max) {
    if (rcpt_max == 0) rcpt_max = rcpts;
    std::vector<RcptSlice> out;
    for (size_t b = 0; b < rcpts; b += rcpt_max) out.push_back({b, std::min(rcpts, b + rcpt_max)});
    return out;
}

} // namespace sbbs
