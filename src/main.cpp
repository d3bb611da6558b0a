// sbbsmail entry point: parse the command line and hand over to the server.
#include "server/app.h"
#include "server/cli.h"
#include "server/dump_base.h"
#include "server/ops_commands.h"
#include "server/version.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    using namespace sbbs;
    if (auto rc = run_ops_command(argc, argv)) return *rc;   // --status, --sendmail (issue #17)
    auto options = parse_cli(std::vector<std::string>(argv + 1, argv + argc), std::getenv("SBBSCTRL"));
    if (!options) {
        std::fprintf(stderr, "sbbsmail: %s\n", options.error().message.c_str());
        return 2;
    }
    switch (options->mode) {
    case CliMode::Help: std::fputs(usage_text().c_str(), stdout); return 0;
    case CliMode::Version: std::printf("sbbsmail %s (%s compatible)\n", kProgramVersion, kCompatibleWith); return 0;
    case CliMode::Check: return run_check(*options, stdout);
    case CliMode::CheckBase: return run_check_base(*options, stdout);
    case CliMode::DumpBase: return dump_base(options->base_prefix, stdout, stderr);
    case CliMode::Run: break;
    }
    return run_server(*options);
}
