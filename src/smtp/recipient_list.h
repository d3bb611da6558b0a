// The recipient list file an external mail processor reads and may rewrite
// (SMTP-158): an INI file with one section per recipient, [0], [1], ...
#pragma once

#include "smtp/recipient.h"

#include <string>
#include <string_view>
#include <vector>

namespace sbbs::smtp {

std::string recipient_list_text(const std::vector<Recipient>& rcpts);
// Every section in file order, whatever its name; values are taken as written
// (a processor is the sysop's own program).
std::vector<Recipient> parse_recipient_list(std::string_view text);

} // namespace sbbs::smtp
