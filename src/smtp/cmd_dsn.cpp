// Ours (RFC 3461 4, not in the original: SMTP-62): the DSN parameters of MAIL
// (RET, ENVID) and RCPT (NOTIFY, ORCPT), checked before anything else of
// the command is done, so a refusal leaves the transaction as it was.
#include "smtp/session.h"

#include "util/strings.h"

namespace sbbs::smtp {

namespace {
Reply syntax_error(const Error& e) { return Reply{501, "5.5.4", e.message}; }   // RFC 3461 4, RFC 3463 5.5.4
} // namespace

std::optional<Reply> SmtpSession::take_dsn_mail_params(const std::string& params, dsn::EnvelopeParams& into) {
    for (auto& p : split(params, ' ')) {
        if (p.empty() || iequals(p, "REQUIRETLS")) continue;   // REQUIRETLS: take_requiretls (TLS only, RFC 8689 4.1)
        auto taken = dsn::take_mail_param(p, into);
        if (!taken.ok()) return syntax_error(taken.error());
    }
    return std::nullopt;
}

// `utf8`: the transaction declared SMTPUTF8, so ORCPT=utf-8; may be raw UTF-8 (RFC 6533 3).
std::optional<Reply> SmtpSession::take_dsn_rcpt_params(std::string_view params, bool utf8,
                                                       dsn::RecipientParams& into) {
    for (auto& p : split(params, ' ')) {
        if (p.empty()) continue;
        auto taken = dsn::take_rcpt_param(p, into, utf8);
        if (!taken.ok()) return syntax_error(taken.error());
    }
    return std::nullopt;
}

} // namespace sbbs::smtp
