// The listening sockets a configuration asks for (CFG-50..CFG-56), and the
// duplicate address+port check of CFG-168.
#pragma once

#include "config/diagnostic.h"
#include "config/settings.h"

#include <string>
#include <vector>

namespace sbbs {

enum class ListenerKind { Smtp, Submission, SubmissionTls, Pop3, Pop3Tls };

struct Listener {
    ListenerKind kind;
    std::string address;  // as written in Interface / POP3Interface
    uint16_t port;
};

const char* listener_name(ListenerKind kind);  // "SMTP", "Submission", "SMTPS", "POP3", "POP3S"

// Enabled listeners in a fixed order: SMTP; submission with
// USE_SUBMISSION_PORT; SMTPS with TLS_SUBMISSION; POP3 with ALLOW_POP3;
// POP3S with TLS_POP3; one per interface address.
std::vector<Listener> enabled_listeners(const MailSettings& mail);

// Error diagnostics (at `file`:`line`, the [Mail] header) for two listeners with one address and port.
void check_duplicate_listeners(const MailSettings& mail, const std::string& file, int line, Diagnostics& diags);

} // namespace sbbs
