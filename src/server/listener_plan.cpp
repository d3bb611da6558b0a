// Listener planning from [Mail] ports, interfaces and Options.
#include "server/listener_plan.h"

#include "util/strings.h"

namespace sbbs {

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
    return std::string(listener_name(l.kind)) + " " + (v6 ? "[" + l.ip + "]" : l.ip) + " port " +
           std::to_string(l.port);
}

std::vector<PlannedListener> plan_listeners(const MailSettings& mail, bool tls_ready) {
    std::vector<PlannedListener> plan;
    for (const auto& l : enabled_listeners(mail)) {   // SMTP-10..12, POP3-6 (config/listeners.h)
        std::string ip(trim(l.address));
        if (!ip.empty() && (tls_ready || !is_implicit_tls(l.kind)))   // a blank list item binds nothing
            plan.push_back(PlannedListener{l.kind, ip, l.port});
    }
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
