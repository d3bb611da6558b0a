// The sendmail(8) entry point (see sendmail_command.h): options, the message
// from standard input, then one SMTP transaction through ScriptIo.
#include "server/sendmail_command.h"

#include "server/install_loader.h"
#include "server/mail_services.h"
#include "server/script_io.h"
#include "smtp/session.h"
#include "util/strings.h"

#include <cstdio>
#include <iostream>
#include <pwd.h>
#include <unistd.h>

namespace sbbs {

namespace {

struct SendmailArgs {
    bool from_header = false;   // -t
    bool dot_ends = true;       // cleared by -i / -oi
    std::string sender, full_name, ctrl;
    std::vector<std::string> recipients;
};

// Options take their value joined (-fuser) or as the next word (-f user).
bool parse(const std::vector<std::string>& args, SendmailArgs& a, std::string& why) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& w = args[i];
        auto value = [&](std::string& out) {
            if (w.size() > 2) { out = w.substr(2); return true; }
            if (i + 1 >= args.size()) { why = w + " needs a value"; return false; }
            out = args[++i];
            return true;
        };
        if (w == "--") { a.recipients.insert(a.recipients.end(), args.begin() + long(i) + 1, args.end()); break; }
        if (w == "--ctrl") { if (i + 1 >= args.size()) { why = "--ctrl needs a value"; return false; } a.ctrl = args[++i]; }
        else if (w == "-t") a.from_header = true;
        else if (w == "-i" || w == "-oi") a.dot_ends = false;
        else if (w.rfind("-f", 0) == 0 || w.rfind("-r", 0) == 0) { if (!value(a.sender)) return false; }
        else if (w.rfind("-F", 0) == 0) { if (!value(a.full_name)) return false; }
        else if (w == "-bm" || w == "-odb" || w == "-odi" || w == "-oem" || w == "-em") {}   // our only mode anyway
        else if (!w.empty() && w[0] == '-') { why = "unknown option " + w; return false; }
        else a.recipients.push_back(w);
    }
    return true;
}

// The lines of standard input without their line ends; a lone "." ends it
// unless -i.
std::vector<std::string> read_message(bool dot_ends) {
    std::vector<std::string> lines;
    std::string l;
    while (std::getline(std::cin, l)) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        if (dot_ends && l == ".") break;
        lines.push_back(std::move(l));
    }
    return lines;
}

// The addresses of one header field's value: <...> where given, else the words.
void addresses_of(const std::string& value, std::vector<std::string>& out) {
    for (std::string part : split(value, ',')) {
        auto lt = part.find('<'), gt = part.rfind('>');
        if (lt != std::string::npos && gt != std::string::npos && gt > lt) part = part.substr(lt + 1, gt - lt - 1);
        part = std::string(trim(part));
        if (!part.empty() && part.find(':') == std::string::npos) out.push_back(part);
    }
}

// -t: recipients from To, Cc and Bcc (folded lines joined); Bcc is removed.
void take_header_recipients(std::vector<std::string>& lines, std::vector<std::string>& rcpts) {
    std::vector<std::string> kept;
    bool in_bcc = false, in_rcpt = false;
    std::string field;
    size_t i = 0;
    auto flush = [&] { if (!field.empty()) addresses_of(field, rcpts); field.clear(); };
    for (; i < lines.size() && !lines[i].empty(); ++i) {
        const std::string& l = lines[i];
        bool folded = l[0] == ' ' || l[0] == '\t';
        if (!folded) {
            flush();
            in_bcc = istarts_with(l, "Bcc:");
            in_rcpt = in_bcc || istarts_with(l, "To:") || istarts_with(l, "Cc:");
            if (in_rcpt) field = l.substr(l.find(':') + 1);
        } else if (in_rcpt) {
            field += " " + l;
        }
        if (!in_bcc) kept.push_back(l);
    }
    flush();
    kept.insert(kept.end(), lines.begin() + long(i), lines.end());
    lines = std::move(kept);
}

bool has_field(const std::vector<std::string>& lines, const char* name) {
    for (const auto& l : lines) {
        if (l.empty()) return false;
        if (istarts_with(l, name)) return true;
    }
    return false;
}

// sendmail(8)'s habit: the invoking user at this host, so a bounce names
// whoever ran the script (the BBS's own Unix account for its scripts).
std::string default_sender(const Config& cfg) {
    const passwd* pw = ::getpwuid(::getuid());
    return std::string(pw ? pw->pw_name : "root") + "@" + cfg.mail.host_name;
}

std::string local_origin() {
    const passwd* pw = ::getpwuid(::getuid());
    return "uid " + std::to_string(::getuid()) + (pw ? std::string(" (") + pw->pw_name + ")" : "");
}

// A file the invoking user cannot write fails with a sentence, not a 451.
int check_access(const Config& cfg) {
    std::string base = cfg.mail_base();
    for (const char* ext : {".shd", ".sdt", ".sid", ".sha", ".sda"}) {
        std::string f = base + ext;
        if (::access(f.c_str(), F_OK) == 0 && ::access(f.c_str(), R_OK | W_OK) != 0) {
            std::fprintf(stderr, "sendmail: cannot write the mail base %s: permission denied (run as the BBS's user or a member of its group)\n", f.c_str());
            return kExNoPerm;
        }
    }
    if (::access(cfg.paths.data.c_str(), W_OK) != 0) {
        std::fprintf(stderr, "sendmail: cannot write %s: permission denied (run as the BBS's user or a member of its group)\n", cfg.paths.data.c_str());
        return kExNoPerm;
    }
    return kExOk;
}

// Only warnings and errors reach the terminal; the session's Info lines do not.
class QuietLogger : public Logger {
public:
    void log(LogLevel level, std::string_view text) override {
        if (enabled(level)) std::fprintf(stderr, "sendmail: %.*s\n", int(text.size()), text.data());
    }
    bool enabled(LogLevel level) const override { return level <= LogLevel::Error; }
};

int exit_code(const std::vector<ScriptReply>& r, size_t rcpts) {
    // 220, EHLO, MAIL, RCPT x n, DATA, final, QUIT
    auto fail = [&](const ScriptReply& x, int code) {
        std::fprintf(stderr, "sendmail: %d %s\n", x.code, x.text.c_str());
        return code;
    };
    if (r.size() < 3) return kExSoftware;
    if (r[0].code != 220) return fail(r[0], kExTempFail);
    if (r[2].code >= 400) return fail(r[2], r[2].code >= 500 ? kExDataErr : kExTempFail);
    int code = kExOk;
    for (size_t i = 3; i < 3 + rcpts && i < r.size(); ++i)
        if (r[i].code >= 400) code = std::max(code, fail(r[i], r[i].code >= 500 ? kExNoUser : kExTempFail));
    size_t data = 3 + rcpts;
    if (data >= r.size()) return kExSoftware;
    if (r[data].code != 354) return code ? code : fail(r[data], kExSoftware);
    if (data + 1 >= r.size()) return kExSoftware;
    const ScriptReply& fin = r[data + 1];
    if (fin.code >= 400) {
        if (fin.text.find("ermission denied") != std::string::npos) return fail(fin, kExNoPerm);
        return fail(fin, fin.code >= 500 ? kExDataErr : kExTempFail);
    }
    return code;
}

} // namespace

int run_sendmail(const std::vector<std::string>& args, const char* env_ctrl) {
    SendmailArgs a;
    std::string why;
    if (!parse(args, a, why)) {
        std::fprintf(stderr, "sendmail: %s\nusage: sendmail [-t] [-i] [-f sender] [-F name] [--ctrl DIR] recipient...\n", why.c_str());
        return kExUsage;
    }
    std::vector<std::string> cli_args;
    if (!a.ctrl.empty()) cli_args = {"--ctrl", a.ctrl};
    auto cli = parse_cli(cli_args, env_ctrl);
    Diagnostics diags;
    auto cfg = cli ? load_install(*cli, diags) : Result<ConfigPtr>(cli.error());
    if (!cfg) {
        std::fprintf(stderr, "sendmail: cannot read the install: %s\n", cfg.error().message.c_str());
        return kExOsErr;
    }
    std::vector<std::string> lines = read_message(a.dot_ends);
    if (a.from_header) take_header_recipients(lines, a.recipients);
    if (a.recipients.empty()) {
        std::fprintf(stderr, "sendmail: no recipients\n");
        return kExUsage;
    }
    if (int rc = check_access(**cfg)) return rc;
    if (a.sender.empty()) a.sender = default_sender(**cfg);
    if (!has_field(lines, "From:"))
        lines.insert(lines.begin(), "From: " + (a.full_name.empty() ? "" : "\"" + a.full_name + "\" ") + "<" + a.sender + ">");
    auto services = MailServices::build(*cfg);
    if (!services) {
        std::fprintf(stderr, "sendmail: %s\n", services.error().message.c_str());
        return services.error().message.find("ermission denied") != std::string::npos ? kExNoPerm : kExTempFail;
    }
    std::vector<std::string> commands = {"EHLO localhost", "MAIL FROM:<" + a.sender + ">"};
    for (const auto& r : a.recipients) commands.push_back("RCPT TO:<" + r + ">");
    commands.push_back("DATA");
    ScriptIo io(std::move(commands), std::move(lines));
    QuietLogger log;
    smtp::SessionExtras extras;
    extras.local_origin = local_origin();
    extras.lists = (*services)->site_lists.get();
    extras.notices = (*services)->notices.get();
    smtp::FilterChain no_filters;   // local submissions are not spam-checked
    try {
        smtp::SmtpSession session(*cfg, smtp::Listener::Transfer, *(*services)->users, *(*services)->store, log,
                                  no_filters, extras);
        session.run(io);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sendmail: internal error: %s\n", e.what());
        return kExSoftware;
    }
    return exit_code(io.replies(), a.recipients.size());
}

} // namespace sbbs
