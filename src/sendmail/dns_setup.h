// The resolver SendMail uses, built from DNSServer and USE_TCP_DNS (SEND-32..34).
#pragma once

#include "dns/libresolv_resolver.h"
#include "sendmail/sendmail_settings.h"

#include <memory>

namespace sbbs {

ResolverOptions resolver_options(const SendMailSettings& s);
// Check usable()/init_error() before use (SEND-33).
std::unique_ptr<LibresolvResolver> make_resolver(const SendMailSettings& s);

} // namespace sbbs
