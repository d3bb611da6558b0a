// sockopts.ini values: true/yes/on = 1, false/no/off = 0, else a number.
#include "server/socket_options.h"

#include "config/ini_file.h"
#include "config/value_parse.h"
#include "util/strings.h"

namespace sbbs {

namespace {

// CFG-23's reading: true/yes/on = 1, else the leading number (false = 0).
void append(const IniSection* s, std::vector<SocketOption>& out) {
    if (!s) return;
    for (const auto& e : s->entries) out.push_back({e.key, int(parse_integer(e.value).value)});
}

} // namespace

SocketOptionTable SocketOptionTable::load(const std::string& path, Diagnostics& diags) {
    auto ini = IniFile::load(path, IniOptions{}, diags);
    return ini ? from_ini(*ini) : SocketOptionTable{};
}

SocketOptionTable SocketOptionTable::parse(const std::string& text, Diagnostics& diags) {
    return from_ini(IniFile::parse(text, "sockopts.ini", IniOptions{}, diags));
}

SocketOptionTable SocketOptionTable::from_ini(const IniFile& ini) {
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

const std::vector<SocketOption>& SocketOptionTable::for_protocol(const std::string& protocol) const {
    static const std::vector<SocketOption> none;
    auto it = cache_.find(protocol);
    return it == cache_.end() ? none : it->second;
}

} // namespace sbbs
