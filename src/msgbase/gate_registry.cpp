// The process-wide registry of FairGates, one per canonical base path.
#include "msgbase/gate_registry.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace sbbs::smb {

std::shared_ptr<FairGate> gate_for_base(const std::string& prefix) {
    static std::mutex mu;
    static std::map<std::string, std::weak_ptr<FairGate>> gates;   // weak: a gate ends with its last store
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(prefix, ec).string();
    if (ec || key.empty()) key = prefix;
    std::lock_guard g(mu);
    for (auto it = gates.begin(); it != gates.end();)             // forget ended gates (bases are few)
        it = it->second.expired() ? gates.erase(it) : std::next(it);
    auto& slot = gates[key];
    auto gate = slot.lock();
    if (!gate) {
        gate = std::make_shared<FairGate>();
        slot = gate;
    }
    return gate;
}

} // namespace sbbs::smb
