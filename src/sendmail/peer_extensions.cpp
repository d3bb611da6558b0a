// EHLO keywords SendMail acts on (see peer_extensions.h).
#include "sendmail/peer_extensions.h"

#include "util/strings.h"

namespace sbbs {

namespace {
// "RCPTMAX=50" -> 50 when it is `name` and well formed, else 0.
size_t limit_value(const std::string& item, std::string_view name) {
    if (item.size() <= name.size() + 1 || !istarts_with(item, name) || item[name.size()] != '=') return 0;
    std::string_view v = std::string_view(item).substr(name.size() + 1);
    if (v.size() > 6 || !all_digits(v)) return 0;
    return std::stoul(std::string(v));
}
} // namespace

PeerExtensions parse_ehlo(const std::vector<std::string>& lines) {
    PeerExtensions p;
    for (size_t i = 1; i < lines.size(); ++i) {   // the first line names the server
        if (lines[i].size() < 4) continue;
        std::vector<std::string> words;
        for (auto& w : split(trim(std::string_view(lines[i]).substr(4)), ' '))
            if (!w.empty()) words.push_back(w);
        if (words.empty()) continue;
        if (iequals(words[0], "CHUNKING")) p.chunking = true;
        if (iequals(words[0], "SMTPUTF8")) p.smtputf8 = true;
        if (iequals(words[0], "DSN")) p.dsn = true;
        if (iequals(words[0], "REQUIRETLS")) p.requiretls = true;
        if (!iequals(words[0], "LIMITS")) continue;
        for (size_t k = 1; k < words.size(); ++k) {
            if (size_t n = limit_value(words[k], "RCPTMAX")) p.rcpt_max = n;
            if (size_t n = limit_value(words[k], "MAILMAX")) p.mail_max = n;
        }
    }
    return p;
}

} // namespace sbbs
