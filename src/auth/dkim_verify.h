// Inbound DKIM verification (RFC 6376, RFC 8463 ed25519-sha256) with
// Debian's libopendkim: every signature of a message, its key fetched
// through our Resolver (and so through its TXT cache when it has one).
#pragma once

#include "auth/verdicts.h"
#include "dns/resolver.h"

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

namespace sbbs::auth {

// Signatures verified per message, the topmost first; the DKIM-Signature
// fields below them are not handed to the library at all, so a message with
// hundreds of them costs no more than one with ten (each distinct c=/l= is a
// body hash; each d=/s= a look-up).
inline constexpr size_t kMaxDkimSignatures = 10;

// One verdict per signature in header order (at most kMaxDkimSignatures);
// empty when the message carries none (RFC 8601 dkim=none). `message` is the
// header and body as received: CRLF lines, not dot-stuffed. x= and a t= in
// the future are judged by the system clock: libopendkim reads time() for
// them (its DKIM_OPTS_FIXEDTIME only sets the time a signer writes).
// `budget`: the most the message's key look-ups spend; a key asked after it
// is a temporary error (the selectors and domains are the sender's choice).
std::vector<DkimVerdict> verify_dkim(std::string_view message, Resolver& resolver,
                                     std::chrono::steady_clock::duration budget = std::chrono::seconds(12));
// The same for a message whose text goes on in `more_body` (the intake's
// body pieces), handed to the library piece by piece so a large message is
// never copied: `message` is then the header and its blank line.
std::vector<DkimVerdict> verify_dkim(std::string_view message, const std::vector<std::string_view>& more_body,
                                     Resolver& resolver,
                                     std::chrono::steady_clock::duration budget = std::chrono::seconds(12));

} // namespace sbbs::auth
