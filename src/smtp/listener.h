// Which listener accepted the connection: it decides the protocol name,
// implicit TLS and the submission rules (SMTP-10..SMTP-13).
#pragma once

namespace sbbs::smtp {

enum class Listener {
    Transfer,        // SMTPPort (25)
    Submission,      // SubmissionPort (587), USE_SUBMISSION_PORT
    TlsSubmission,   // TLSSubmissionPort (465), implicit TLS, TLS_SUBMISSION
};

inline bool is_submission(Listener l) { return l != Listener::Transfer; }

} // namespace sbbs::smtp
