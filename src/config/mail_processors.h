// ctrl/mailproc.ini (config.md section 13): external mail processors, one
// per section, in file order. Running them belongs to the SMTP server.
#pragma once

#include "config/diagnostic.h"
#include "config/pattern_list.h"

#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct MailProcessor {                   // CFG-161
    std::string name;                    // the section name
    std::string command;                 // default: the section name
    std::string eval;
    std::vector<std::string> to;         // CFG-162 patterns (section 10 rules)
    std::vector<std::string> from;
    bool pass_thru = true;
    bool native = false;
    bool disabled = false;
    bool ignore_on_error = false;
    bool process_spam = true;
    bool process_dnsbl = true;
    std::string access_requirements;     // ARS, "" = everyone
    std::string file;
    int line = 0;

    // CFG-162: whether a To entry matches the recipient (after alias
    // substitution) or the raw RCPT address; false when there is no To list.
    bool to_matches(std::string_view rcpt, std::string_view raw_rcpt = {}) const;
    // Whether a From entry matches the sender address.
    bool from_matches(std::string_view sender) const;
    // Ours (CFG-163): only enabled, non-pass-through processors claim recipients.
    bool claims_recipients() const { return !pass_thru && !disabled && !to.empty(); }
};

// CFG-160/166: `path` "" or a missing file = no processors. !include is not
// honoured. Disabled non-pass-through processors get a Warning (CFG-163).
std::vector<MailProcessor> load_mail_processors(const std::string& path, Diagnostics& diags);

} // namespace sbbs
