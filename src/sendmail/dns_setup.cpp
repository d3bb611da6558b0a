// SendMail's resolver set-up (see dns_setup.h).
#include "sendmail/dns_setup.h"

#include "config/options.h"

#include <cctype>

namespace sbbs {

ResolverOptions resolver_options(const SendMailSettings& s) {
    ResolverOptions o;
    // SEND-32: only a value starting with a letter or digit names a server.
    if (!s.dns_server.empty() && std::isalnum(uint8_t(s.dns_server[0]))) o.server = s.dns_server;
    o.port = s.dns_port;
    o.use_tcp = s.has(mail_opt::USE_TCP_DNS);
    o.timeout_s = 30;
    return o;
}

std::unique_ptr<LibresolvResolver> make_resolver(const SendMailSettings& s) {
    return std::make_unique<LibresolvResolver>(resolver_options(s));
}

} // namespace sbbs
