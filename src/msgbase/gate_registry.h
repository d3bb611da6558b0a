// One FairGate per message base for the whole process (issue #13 review):
// the POP3 sessions, SMTP's group commit and SendMail each hold a store of
// their own, and a SIGHUP builds new stores while old sessions keep theirs;
// all of them must still take turns at the same gate for the same base.
#pragma once

#include "msgbase/fair_gate.h"

#include <memory>
#include <string>

namespace sbbs::smb {

// The gate of the base at `prefix` (e.g. "/sbbs/data/mail"), keyed by its
// canonical path so "data/../data/mail" shares it; it lives while any store
// holds it.
std::shared_ptr<FairGate> gate_for_base(const std::string& prefix);

} // namespace sbbs::smb
