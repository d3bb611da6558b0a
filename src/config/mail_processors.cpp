// ctrl/mailproc.ini reading (see mail_processors.h).
#include "config/mail_processors.h"

#include "config/ini_get.h"
#include "util/strings.h"

namespace sbbs {

namespace {

bool list_matches(const std::vector<std::string>& items, std::string_view s1, std::string_view s2) {
    std::string text;
    for (const std::string& i : items) text += i + "\n";
    return PatternList::parse(text, "", nullptr).contains(s1, s2);
}

MailProcessor read_processor(const IniSection& s, const std::string& name, Diagnostics& diags) {
    IniGetter g(&s, diags);
    MailProcessor p;
    p.name = name;
    p.file = s.file;
    p.line = s.line;
    p.command = g.get_string("Command", name);
    p.eval = g.get_string("Eval", "");
    p.to = g.get_list("To", {});
    p.from = g.get_list("From", {});
    p.pass_thru = g.get_bool("PassThru", true);
    p.native = g.get_bool("Native", false);
    p.disabled = g.get_bool("Disabled", false);
    p.ignore_on_error = g.get_bool("IgnoreOnError", false);
    p.process_spam = g.get_bool("ProcessSPAM", true);
    p.process_dnsbl = g.get_bool("ProcessDNSBL", true);
    p.access_requirements = g.get_string("AccessRequirements", "");
    if (p.disabled && !p.pass_thru && !p.to.empty())
        diags.push_back({LogLevel::Warning, s.file, s.line,
                         "[" + name + "] is disabled and not pass-through: the original would still take its "
                         "recipients (delivering them nowhere); this server does not"});
    return p;
}

} // namespace

bool MailProcessor::to_matches(std::string_view rcpt, std::string_view raw_rcpt) const {
    return !to.empty() && list_matches(to, rcpt, raw_rcpt);
}

bool MailProcessor::from_matches(std::string_view sender) const {
    return !from.empty() && list_matches(from, sender, {});
}

std::vector<MailProcessor> load_mail_processors(const std::string& path, Diagnostics& diags) {
    std::vector<MailProcessor> out;
    if (path.empty()) return out;
    auto ini = IniFile::load(path, {}, diags);
    if (!ini) {
        if (ini.error().code != ErrorCode::NotFound)
            diags.push_back({LogLevel::Warning, path, 0, "cannot be read: no mail processors"});
        return out;
    }
    std::vector<std::string> seen;
    for (const IniSection& s : ini->sections()) {
        if (&s == &ini->root() || !s.reachable) continue;
        bool dup = false;
        for (const std::string& n : seen) dup |= iequals(n, s.name);
        if (dup) continue;  // one processor per name (the original's section list)
        seen.push_back(s.name);
        const IniSection* used = ini->section(s.name);  // lookups follow CFG-14
        out.push_back(read_processor(used ? *used : s, s.name, diags));
    }
    return out;
}

} // namespace sbbs
