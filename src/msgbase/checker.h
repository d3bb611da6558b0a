// Structural check of an SMB base like the original's chksmb (smb.md 17):
// what `sbbsmail --check-base PREFIX` prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs::smb {

struct BaseProblem {
    std::string file;            // e.g. "data/mail.shd"
    uint32_t message = 0;        // message number, 0 when not about one message
    std::string what;
};

// Reads every structure of the base at `prefix` (never writes, never
// crashes on damage); an empty list means the base is clean.
std::vector<BaseProblem> check_base(const std::string& prefix);
// "data/mail.shd: message 7: header length 250 does not match computed 251"
std::string describe(const BaseProblem& p);

} // namespace sbbs::smb
