// Command-line parsing for sbbsmail.
#include "server/cli.h"

namespace sbbs {

namespace {

Status take_value(const std::vector<std::string>& args, size_t& i, std::string& out) {
    if (i + 1 >= args.size()) return make_error(args[i] + " needs a value", ErrorCode::Invalid);
    out = args[++i];
    return {};
}

} // namespace

Result<CliOptions> parse_cli(const std::vector<std::string>& args, const char* env_ctrl) {
    CliOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        Status s;
        if (a == "--ctrl" || a == "-c") s = take_value(args, i, o.ctrl_dir);
        else if (a.rfind("--ctrl=", 0) == 0) o.ctrl_dir = a.substr(7);
        else if (a == "--check") o.mode = CliMode::Check;
        else if (a == "--check-base") { o.mode = CliMode::CheckBase; s = take_value(args, i, o.base_prefix); }
        else if (a == "--dump-base") { o.mode = CliMode::DumpBase; s = take_value(args, i, o.base_prefix); }
        else if (a == "--help" || a == "-h") o.mode = CliMode::Help;
        else if (a == "--version" || a == "-V") o.mode = CliMode::Version;
        else s = make_error("unknown argument '" + a + "' (see --help)", ErrorCode::Invalid);
        if (!s) return s.error();
    }
    if (env_ctrl) o.env_ctrl = env_ctrl;
    return o;
}

std::string usage_text() {
    return "Usage: sbbsmail [--ctrl DIR] [--check | --check-base PREFIX | --dump-base PREFIX | --help | --version]\n"
           "\n"
           "A drop-in replacement for the Synchronet Mail Server (SMTP, POP3, SendMail).\n"
           "\n"
           "  --ctrl DIR           the install's ctrl directory (default: $SBBSCTRL, else /sbbs/ctrl)\n"
           "  --check              read the whole configuration, print every problem as\n"
           "                       file:line, exit 1 if any is fatal\n"
           "  --check-base PREFIX  check an SMB message base (e.g. data/mail), print every\n"
           "                       problem, exit 1 if there is any\n"
           "  --dump-base PREFIX   print an SMB message base as JSON (one object per message)\n"
           "  --status             the running server's sessions, queue and counters\n"
           "                       (exit 3: not running)\n"
           "  --sendmail [-t] [-i] [-f FROM] [-F NAME] [RCPT...]\n"
           "                       queue a message from standard input (also when\n"
           "                       called as `sendmail`); sysexits.h exit codes\n"
           "  --help               this text\n"
           "  --version            the version\n"
           "\n"
           "TLS: [Mail] TLSCertFile and TLSKeyFile in ctrl/sbbs.ini name a PEM certificate\n"
           "(chain) and key, relative to ctrl/; without them a self-signed pair is created\n"
           "as ctrl/tls-cert.pem and ctrl/tls-key.pem on first start (renewed near its end).\n"
           "Signals: SIGTERM/SIGINT stop the server, SIGHUP re-reads the configuration\n"
           "and the TLS certificate and key (open sessions keep theirs) and reopens the logs.\n"
           "Tests and benches only: SBBSMAIL_TEST_ALLOW_LOOPBACK_MX=1 in the environment lets\n"
           "SendMail deliver to MX hosts on this machine (refused otherwise); never set it\n"
           "on a real install.\n";
}

} // namespace sbbs
