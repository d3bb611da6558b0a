// Which listeners a configuration asks for: SMTP always, submission, SMTPS,
// POP3 and POP3S by Options flag, each on every configured interface.
#pragma once

#include "config/diagnostic.h"
#include "config/settings.h"
#include "server/session_handler.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs {

struct PlannedListener {
    ListenerKind kind = ListenerKind::Smtp;
    std::string ip;
    uint16_t port = 0;
    bool operator==(const PlannedListener&) const = default;
};

const char* protocol_name(ListenerKind kind);   // SMTP, SMTPS, POP3, POP3S
bool is_pop3(ListenerKind kind);
bool is_implicit_tls(ListenerKind kind);
bool is_submission(ListenerKind kind);
// "SMTP 127.0.0.1 port 25" ("[::1]" for IPv6).
std::string describe(const PlannedListener& l);

// `tls_ready` false drops the implicit-TLS listeners (SMTP-12, POP3-7).
std::vector<PlannedListener> plan_listeners(const MailSettings& mail, bool tls_ready);

// CFG-168: two enabled listeners on the same address and port (fatal).
Diagnostics check_listener_plan(const std::vector<PlannedListener>& plan, const std::string& ini_file);

} // namespace sbbs
