// ctrl/sockopts.ini for accepted mail sockets (SMTP-263): the root section,
// then [tcp], then [mail|<PROTOCOL>] — the section the original meant to
// read but garbled (ours: SMTP, SMTPS, POP3, POP3S as named).
#pragma once

#include "config/diagnostic.h"
#include "config/ini_file.h"
#include "net/acceptor.h"

#include <map>
#include <string>
#include <vector>

namespace sbbs {

class SocketOptionTable {
public:
    SocketOptionTable() = default;
    // A missing file means no options; problems go to `diags`.
    static SocketOptionTable load(const std::string& path, Diagnostics& diags);
    static SocketOptionTable parse(const std::string& text, Diagnostics& diags);
    // The options for a socket of `protocol`, in the order they apply.
    const std::vector<SocketOption>& for_protocol(const std::string& protocol) const;

private:
    static SocketOptionTable from_ini(const IniFile& ini);
    std::map<std::string, std::vector<SocketOption>> cache_;
};

} // namespace sbbs
