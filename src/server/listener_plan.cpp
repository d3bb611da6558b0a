// Listener planning from [Mail] ports, interfaces and Options.
#include "server/listener_plan.h"

#include "util/strings.h"

namespace sbbs {

namespace {

// CFG-41: an empty interface list means every IPv4 and IPv6 address.
std::vector<std::string> addresses(const std::vector<std::string>& configured) {
    std::vector<std::string> out;
    for (const auto& a : configured)
        if (!trim(a).empty()) out.emplace_back(trim(a));
    if (out.empty()) out = {"0.0.0.0", "::"};
    return out;
}

void add(std::vector<PlannedListener>& plan, ListenerKind kind, const std::vector<std::string>& ips,
         uint16_t port) {
    for (const auto& ip : ips) plan.push_back(PlannedListener{kind, ip, port});
}

} // namespace

const char* protocol_name(ListenerKind kind) {
    switch (kind) {
    case ListenerKind::Smtp:
    case ListenerKind::Submission: return "SMTP";
    case ListenerKind::SubmissionTls: return "SMTPS";
    case ListenerKind::Pop3: return "POP3";
    case ListenerKind::Pop3Tls: return "POP3S";
    }
    return "?";
}

bool is_pop3(ListenerKind kind) { return kind == ListenerKind::Pop3 || kind == ListenerKind::Pop3Tls; }

bool is_implicit_tls(ListenerKind kind) {
    return kind == ListenerKind::SubmissionTls || kind == ListenerKind::Pop3Tls;
}

bool is_submission(ListenerKind kind) {
    return kind == ListenerKind::Submission || kind == ListenerKind::SubmissionTls;
}

std::string describe(const PlannedListener& l) {
    bool v6 = l.ip.find(':') != std::string::npos;
    const char* label = l.kind == ListenerKind::Submission ? "Submission" : protocol_name(l.kind);
    return std::string(label) + " " + (v6 ? "[" + l.ip + "]" : l.ip) + " port " +
           std::to_string(l.port);
}

std::vector<PlannedListener> plan_listeners(const MailSettings& mail, bool tls_ready) {
    std::vector<PlannedListener> plan;
    auto smtp_ips = addresses(mail.interfaces);
    auto pop3_ips = addresses(mail.pop3_interfaces);
    add(plan, ListenerKind::Smtp, smtp_ips, mail.smtp_port);                                 // SMTP-10
    if (mail.has(mail_opt::USE_SUBMISSION_PORT))
        add(plan, ListenerKind::Submission, smtp_ips, mail.submission_port);                 // SMTP-11
    if (mail.has(mail_opt::TLS_SUBMISSION) && tls_ready)
        add(plan, ListenerKind::SubmissionTls, smtp_ips, mail.tls_submission_port);          // SMTP-12
    if (mail.has(mail_opt::ALLOW_POP3)) add(plan, ListenerKind::Pop3, pop3_ips, mail.pop3_port);  // POP3-6
    if (mail.has(mail_opt::TLS_POP3) && tls_ready)
        add(plan, ListenerKind::Pop3Tls, pop3_ips, mail.tls_pop3_port);
    return plan;
}

Diagnostics check_listener_plan(const std::vector<PlannedListener>& plan, const std::string& ini_file) {
    Diagnostics out;
    for (size_t i = 0; i < plan.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (plan[i].port != 0 && plan[i].port == plan[j].port && plan[i].ip == plan[j].ip)
                out.push_back(Diagnostic{LogLevel::Error, ini_file, 0,
                                         describe(plan[i]) + " is also configured for " +
                                             describe(plan[j]) + " (each listener needs its own port)"});
    return out;
}

} // namespace sbbs
