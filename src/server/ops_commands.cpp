// Dispatch of --status and --sendmail (see ops_commands.h).
#include "server/ops_commands.h"

#include "server/status_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace sbbs {

std::optional<int> run_ops_command(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
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
