// Per-IP connection counts under one mutex: the accept thread registers,
// session threads log in and release.
#include "server/admission.h"

#include "server/listener_plan.h"

namespace sbbs {

PerIpConnections::Hold::~Hold() {
    std::lock_guard<std::mutex> lock(owner_.mu_);
    auto it = owner_.by_ip_.find(ip_);
    if (it == owner_.by_ip_.end()) return;
    --it->second.open;
    if (logged_in_.load()) --it->second.logged_in;
    if (it->second.open == 0) owner_.by_ip_.erase(it);
}

void PerIpConnections::Hold::logged_in() {
    if (logged_in_.exchange(true)) return;
    std::lock_guard<std::mutex> lock(owner_.mu_);
    ++owner_.by_ip_[ip_].logged_in;
}

std::shared_ptr<PerIpConnections::Hold> PerIpConnections::try_open(const std::string& ip, uint32_t limit) {
    std::lock_guard<std::mutex> lock(mu_);
    Count& c = by_ip_[ip];
    if (limit && c.open - c.logged_in >= limit) {                                     // SMTP-16
        if (c.open == 0) by_ip_.erase(ip);
        refused_.fetch_add(1);
        return nullptr;
    }
    ++c.open;
    return std::make_shared<Hold>(*this, ip);
}

uint32_t PerIpConnections::open(const std::string& ip) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_ip_.find(ip);
    return it == by_ip_.end() ? 0 : it->second.open;
}

AdmissionLists::AdmissionLists(const Config& config)
    : exempt_(config.paths.ctrl + "ipfilter_exempt.cfg", config.sys.cache_filter_files_s),
      silent_(config.paths.text + "ip-silent.can", config.sys.cache_filter_files_s) {}

std::string concurrent_limit_reply(ListenerKind kind) {
    const char* text = "System Error: Maximum connections exceeded, try again later\r\n";
    return std::string(is_pop3(kind) ? "-ERR " : "421 ") + text;
}

std::string concurrent_limit_log(uint32_t limit, uint64_t total_refused) {
    return "!Maximum concurrent connections without login (" + std::to_string(limit) + ") exceeded (" +
           std::to_string(total_refused) + " total)";
}

} // namespace sbbs
