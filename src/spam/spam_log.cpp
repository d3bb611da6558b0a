// Writing spam.log entries (see spam_log.h).
#include "spam/spam_log.h"

#include "log/printable_text.h"
#include "log/system_time.h"
#include "util/platform_file.h"

namespace sbbs::spam {

std::string spam_log_entry(const SpamEvent& e, const std::string& date) {
    std::string to = e.to ? "to: " + printable(e.to->substr(0, 128)) : std::string();
    std::string from = printable((e.from ? *e.from : e.host).substr(0, 128));
    std::string s = "SUSPECTED " + e.protocol + " SPAM " + e.action + " on " + date.substr(0, 24) + "\r\n" +
                    "Host: " + printable(e.host) + " [" + e.ip + "]\r\n" +
                    "From: " + from + " " + to + "\r\n";   // the original keeps the space when `to` is unknown
    if (!e.reason.empty()) s += "Reason: " + printable(e.reason) + "\r\n";
    return s + "\r\n";
}

Status append_spam_log(const std::string& logs_dir, const SpamEvent& e, uint32_t sys_settings, std::time_t now) {
    auto f = PlatformFile::open(logs_dir + "spam.log", FileOpen::AppendCreate);
    if (!f) return f.error();
    return f->append(spam_log_entry(e, system_time_text(now, sys_settings)));
}

void log_spam_event(const std::string& logs_dir, uint32_t sys_settings, const SessionInfo& s, SpamEvent e,
                    Decision& d) {                                                  // SMTP-236
    e.protocol = s.protocol;
    e.host = s.host;
    if (e.ip.empty()) e.ip = s.ip;       // a Received: relay's listing names the relay (SMTP-239)
    if (auto st = append_spam_log(logs_dir, e, sys_settings, std::time(nullptr)); !st)
        d.note(LogLevel::Error, "!ERROR " + st.error().message + " writing spam.log");
}

} // namespace sbbs::spam
