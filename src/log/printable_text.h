// Log text made safe to write on one line: control characters shown as ^X
// (DEL as ^?), as the original's console shows them, so nothing a peer sent
// can start a new line, forge an entry or reach a terminal as an escape
// sequence. Every log sink (terminal, mail.log, syslog, error.log, hack.log,
// the spy logs) writes through it.
#pragma once

#include <string>
#include <string_view>

namespace sbbs {

// Appends `text` to `out` with its control characters escaped.
void append_printable(std::string& out, std::string_view text);
std::string printable(std::string_view text);

} // namespace sbbs
