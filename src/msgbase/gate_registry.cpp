// The process-wide registry of FairGates, one per canonical base path.
#include "msgbase/gate_registry.h"

#include "msgbase/base_registry.h"

namespace sbbs::smb {

std::shared_ptr<FairGate> gate_for_base(const std::string& prefix) { return shared_for_base<FairGate>(prefix); }

} // namespace sbbs::smb
