// DKIM signing of outbound mail (SEND-71..79): relaxed/relaxed, rsa-sha256,
// or ed25519-sha256 (RFC 8463) when the key is Ed25519. Ours: the complete
// unfolded header fields are signed (SEND-78) and the text is rendered once.
#pragma once

#include "util/result.h"

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

class DkimSigner {
public:
    // The PEM private key at `pem_path` (RSA or Ed25519).
    static Result<std::shared_ptr<DkimSigner>> load(const std::string& pem_path, std::string domain,
                                                    std::string selector);
    ~DkimSigner();
    DkimSigner(const DkimSigner&) = delete;
    DkimSigner& operator=(const DkimSigner&) = delete;

    // The DKIM-Signature field (folded, ending in CRLF) to put in front of
    // `message` (CRLF lines, not dot-stuffed). Fails when it has no From.
    Result<std::string> sign(std::string_view message, time_t now) const;
    const std::string& domain() const { return domain_; }
    const std::string& selector() const { return selector_; }
    bool ed25519() const { return ed25519_; }

private:
    DkimSigner() = default;
    struct Key;
    std::unique_ptr<Key> key_;
    std::string domain_, selector_;
    bool ed25519_ = false;
};

namespace dkim {
// RFC 6376 3.4.4 relaxed body canonicalisation.
std::string relaxed_body(std::string_view body);
// RFC 6376 3.4.2 relaxed header canonicalisation of one (possibly folded) field.
std::string relaxed_header(std::string_view field);
// The header fields of `message`, each with its continuation lines and
// without the final CRLF; `body` gets what follows the empty line.
std::vector<std::string> split_header(std::string_view message, std::string_view& body);
} // namespace dkim

} // namespace sbbs
