// Recipient list files (see recipient_list.h).
#include "smtp/recipient_list.h"

#include "config/ini_file.h"
#include "msgbase/smb_defs.h"

#include <cstdlib>

namespace sbbs::smtp {

namespace {

// Keys and values go to an INI file: a line break inside one would start a
// key of the processor's choosing.
std::string one_line(const std::string& s) {
    std::string out;
    for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
    return out;
}

unsigned long number(const IniSection& s, const char* key) {
    const IniEntry* e = s.find(key);
    return e ? std::strtoul(e->value.c_str(), nullptr, 10) : 0;
}

std::string text(const IniSection& s, const char* key) {
    const IniEntry* e = s.find(key);
    return e ? e->value : std::string();
}

} // namespace

std::string recipient_list_text(const std::vector<Recipient>& rcpts) {
    std::string out;
    for (size_t i = 0; i < rcpts.size(); ++i) {
        const Recipient& r = rcpts[i];
        out += "[" + std::to_string(i) + "]\n";
        out += "To=" + one_line(r.to) + "\n";
        if (r.ext) out += "ToExt=" + std::to_string(r.ext) + "\n";
        if (r.net_type) {
            out += "ToNetType=" + std::to_string(r.net_type) + "\n";
            out += "ToNetAddr=" + one_line(r.net_addr) + "\n";
        }
        if (!r.forward_path.empty()) out += "SMTPForwardPath=" + one_line(r.forward_path) + "\n";
    }
    return out;
}

std::vector<Recipient> parse_recipient_list(std::string_view list) {
    Diagnostics ignored;
    IniFile ini = IniFile::parse(list, "recipient list", {}, ignored);
    std::vector<Recipient> out;
    for (const IniSection& s : ini.sections()) {
        if (&s == &ini.root() || !s.reachable) continue;
        Recipient r;
        r.to = text(s, "To");
        r.ext = uint32_t(number(s, "ToExt"));
        r.net_type = uint16_t(number(s, "ToNetType"));
        r.net_addr = text(s, "ToNetAddr");
        r.forward_path = text(s, "SMTPForwardPath");
        // A local user's copy that leaves the system (SMTP-151) is the only
        // entry with both a user number and an Internet address and no path.
        r.forwarded = r.ext && r.net_type == smb::net::INTERNET && r.forward_path.empty();
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace sbbs::smtp
