// Listener list and duplicate check (see listeners.h).
#include "config/listeners.h"

#include "util/strings.h"

namespace sbbs {

const char* listener_name(ListenerKind kind) {
    switch (kind) {
    case ListenerKind::Smtp: return "SMTP";
    case ListenerKind::Submission: return "Submission";
    case ListenerKind::SubmissionTls: return "SMTPS";
    case ListenerKind::Pop3: return "POP3";
    case ListenerKind::Pop3Tls: return "POP3S";
    }
    return "?";
}

std::vector<Listener> enabled_listeners(const MailSettings& mail) {
    std::vector<Listener> out;
    auto add = [&](ListenerKind kind, const std::vector<std::string>& addrs, uint16_t port) {
        for (const std::string& a : addrs) out.push_back({kind, a, port});
    };
    add(ListenerKind::Smtp, mail.interfaces, mail.smtp_port);
    if (mail.has(mail_opt::USE_SUBMISSION_PORT)) add(ListenerKind::Submission, mail.interfaces, mail.submission_port);
    if (mail.has(mail_opt::TLS_SUBMISSION)) add(ListenerKind::SubmissionTls, mail.interfaces, mail.tls_submission_port);
    if (mail.has(mail_opt::ALLOW_POP3)) add(ListenerKind::Pop3, mail.pop3_interfaces, mail.pop3_port);
    if (mail.has(mail_opt::TLS_POP3)) add(ListenerKind::Pop3Tls, mail.pop3_interfaces, mail.tls_pop3_port);
    return out;
}

void check_duplicate_listeners(const MailSettings& mail, const std::string& file, int line, Diagnostics& diags) {
    std::vector<Listener> all = enabled_listeners(mail);
    for (size_t i = 0; i < all.size(); ++i)
        for (size_t j = 0; j < i; ++j) {
            if (all[i].port != all[j].port || !iequals(trim(all[i].address), trim(all[j].address))) continue;
            diags.push_back({LogLevel::Error, file, line,
                             std::string(listener_name(all[i].kind)) + " and " + listener_name(all[j].kind) +
                                 " would both listen on " + all[i].address + " port " +
                                 std::to_string(all[i].port)});
            break;
        }
}

} // namespace sbbs
