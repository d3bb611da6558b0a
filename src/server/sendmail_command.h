// `sbbsmail --sendmail [-t] [-f sender] [-F name] [-i|-oi] [recipient...]`,
// also run when the binary is called as `sendmail` (issue #17 item 3): a
// message on standard input is queued as mail received over SMTP is, so
// SendMail delivers it (now if the server runs, else at its next start) and
// local recipients get it in their mailbox at once. Exit codes as sysexits.h.
#pragma once

#include <string>
#include <vector>

namespace sbbs {

inline constexpr int kExOk = 0, kExUsage = 64, kExDataErr = 65, kExNoUser = 67, kExSoftware = 70,
                     kExOsErr = 71, kExCantCreat = 73, kExTempFail = 75, kExNoPerm = 77;

// `args` without the program name and without --sendmail.
int run_sendmail(const std::vector<std::string>& args, const char* env_ctrl);

} // namespace sbbs
