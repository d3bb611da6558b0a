// MAIL FROM ... REQUIRETLS (RFC 8689 2, 4.1): taken only inside TLS, where
// EHLO offers it; the message is then stored marked (dsn::store), and
// SendMail sends it on only over verified TLS to a server that offers
// REQUIRETLS, or returns it.
#include "smtp/session.h"

#include "util/strings.h"

namespace sbbs::smtp {

std::optional<Reply> SmtpSession::take_requiretls(const std::string& params, dsn::EnvelopeParams& into) {
    for (auto& p : split(params, ' ')) {
        if (!istarts_with(p, "REQUIRETLS")) continue;
        if (p.size() > 10 && p[10] != '=') continue;   // another keyword that starts alike
        // RFC 8689 2: the parameter has no value.
        if (p.size() > 10) return Reply{501, "5.5.4", "Syntax error in REQUIRETLS parameter"};
        // RFC 8689 2 and 4.1: only in a session protected by TLS (the keyword
        // is not offered outside one). 530 as RFC 3207 4 answers a command
        // that needs TLS first; X.7.10 "Encryption Needed", which RFC 8689 5
        // also uses for a missing TLS session.
        if (!io_->is_tls()) return Reply{530, "5.7.10", "REQUIRETLS needs a TLS session: issue STARTTLS first"};
        auto taken = dsn::take_mail_param(p, into);
        if (!taken) return Reply{501, "5.5.4", taken.error().message};   // a second REQUIRETLS
    }
    return std::nullopt;
}

} // namespace sbbs::smtp
