// sockopts.ini values: true/yes/on = 1, false/no/off = 0, else a number.
#include "server/socket_options.h"

#include "config/ini_file.h"
#include "util/strings.h"

#include <fstream>
#include <sstream>

namespace sbbs {

namespace {

int option_value(const std::string& v) {
    if (iequals(v, "true") || iequals(v, "yes") || iequals(v, "on")) return 1;
    if (iequals(v, "false") || iequals(v, "no") || iequals(v, "off")) return 0;
    try {
        return std::stoi(v, nullptr, 0);
    } catch (...) {
        return 0;
    }
}

void append(const IniSection* s, std::vector<SocketOption>& out) {
    if (!s) return;
    for (const auto& e : s->entries) out.push_back({e.key, option_value(e.value)});
}

} // namespace

SocketOptionTable SocketOptionTable::load(const std::string& path, Diagnostics& diags) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return {};
    std::stringstream text;
    text << f.rdbuf();
    return parse(text.str(), diags);
}

SocketOptionTable SocketOptionTable::parse(const std::string& text, Diagnostics& diags) {
    IniFile ini = IniFile::parse(text, "sockopts.ini", IniOptions{}, diags);
    SocketOptionTable t;
    for (const char* protocol : {"SMTP", "SMTPS", "POP3", "POP3S"}) {
        std::vector<SocketOption> opts;
        append(&ini.root(), opts);
        for (const auto& sec : ini.sections())
            if (iequals(sec.name, "tcp")) append(&sec, opts);
        // The whole name, not any '|' alternative: [mail|POP3] must not
        // answer for SMTP just because both name "mail".
        for (const auto& sec : ini.sections())
            if (iequals(sec.name, std::string("mail|") + protocol)) append(&sec, opts);
        t.cache_[protocol] = std::move(opts);
    }
    return t;
}

std::vector<SocketOption> SocketOptionTable::for_protocol(const std::string& protocol) const {
    auto it = cache_.find(protocol);
    return it == cache_.end() ? std::vector<SocketOption>{} : it->second;
}

} // namespace sbbs
