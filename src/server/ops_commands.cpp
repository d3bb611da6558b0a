// Dispatch of --status and --sendmail (see ops_commands.h).
#include "server/ops_commands.h"

#include "server/sendmail_command.h"
#include "server/status_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace sbbs {

std::optional<int> run_ops_command(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string name = argc > 0 ? argv[0] : "";
    if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    if (name == "sendmail") return run_sendmail(args, std::getenv("SBBSCTRL"));   // called through a link
    // --sendmail anywhere before "--": `sbbsmail --ctrl DIR --sendmail -t` works too.
    auto dashes = std::find(args.begin(), args.end(), "--");
    if (auto sm = std::find(args.begin(), dashes, "--sendmail"); sm != dashes) {
        args.erase(sm);
        return run_sendmail(args, std::getenv("SBBSCTRL"));
    }
    auto status = std::find(args.begin(), args.end(), "--status");
    if (status == args.end()) return std::nullopt;
    args.erase(status);   // the rest are the install arguments the server takes
    auto options = parse_cli(args, std::getenv("SBBSCTRL"));
    if (!options) {
        std::fprintf(stderr, "sbbsmail: %s\n", options.error().message.c_str());
        return 2;
    }
    return run_status(*options, stdout, stderr);
}

} // namespace sbbs
