// DKIM signing with OpenSSL (see dkim.h).
#include "sendmail/dkim.h"

#include "util/base64.h"
#include "util/strings.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <map>

namespace sbbs {

struct DkimSigner::Key {
    EVP_PKEY* pkey = nullptr;
    ~Key() { EVP_PKEY_free(pkey); }
};

DkimSigner::~DkimSigner() = default;

namespace dkim {

namespace {
bool wsp(char c) { return c == ' ' || c == '\t'; }
// Collapse runs of WSP to one space and drop trailing WSP.
std::string squeeze(std::string_view s) {
    std::string out;
    bool in_wsp = false;
    for (char c : s) {
        if (wsp(c)) { in_wsp = true; continue; }
        if (in_wsp && !out.empty()) out += ' ';
        in_wsp = false;
        out += c;
    }
    return out;
}
} // namespace

std::string relaxed_body(std::string_view body) {
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < body.size()) {
        size_t nl = body.find('\n', pos);
        size_t end = nl == std::string_view::npos ? body.size() : nl;
        std::string_view line = body.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // Leading WSP is kept (as one space); trailing WSP goes.
        std::string l = squeeze(line);
        if (!line.empty() && wsp(line.front()) && !l.empty()) l.insert(l.begin(), ' ');
        lines.push_back(std::move(l));
        pos = nl == std::string_view::npos ? body.size() : nl + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    std::string out;
    for (auto& l : lines) out += l + "\r\n";
    return out;
}

std::string relaxed_header(std::string_view field) {
    std::string unfolded;
    for (char c : field)
        if (c != '\r' && c != '\n') unfolded += c;
    auto colon = unfolded.find(':');
    if (colon == std::string::npos) return to_lower(trim(unfolded));
    std::string name = to_lower(trim_right(std::string_view(unfolded).substr(0, colon)));
    std::string value = squeeze(std::string_view(unfolded).substr(colon + 1));
    return name + ":" + value;
}

std::vector<std::string> split_header(std::string_view message, std::string_view& body) {
    std::vector<std::string> fields;
    size_t pos = 0;
    body = {};
    while (pos < message.size()) {
        size_t nl = message.find('\n', pos);
        size_t end = nl == std::string_view::npos ? message.size() : nl;
        std::string_view line = message.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        size_t next = nl == std::string_view::npos ? message.size() : nl + 1;
        if (line.empty()) {
            body = message.substr(next);
            break;
        }
        if (wsp(line.front()) && !fields.empty()) fields.back() += "\r\n" + std::string(line);
        else fields.emplace_back(line);
        pos = next;
    }
    return fields;
}

} // namespace dkim

Result<std::shared_ptr<DkimSigner>> DkimSigner::load(const std::string& pem_path, std::string domain,
                                                     std::string selector) {
    FILE* f = std::fopen(pem_path.c_str(), "r");
    if (!f) return make_error("cannot open " + pem_path, ErrorCode::NotFound);
    EVP_PKEY* pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!pkey) return make_error("no private key in " + pem_path, ErrorCode::Invalid);
    std::shared_ptr<DkimSigner> s(new DkimSigner());
    s->key_ = std::make_unique<Key>();
    s->key_->pkey = pkey;
    int type = EVP_PKEY_get_base_id(pkey);
    if (type == EVP_PKEY_ED25519) s->ed25519_ = true;
    else if (type != EVP_PKEY_RSA) return make_error(pem_path + ": key is neither RSA nor Ed25519", ErrorCode::Invalid);
    if (domain.empty() || selector.empty()) return make_error("DKIMDomain or DKIMSelector is empty", ErrorCode::Invalid);
    s->domain_ = std::move(domain);
    s->selector_ = std::move(selector);
    return s;
}

namespace {
const char* const kSigned[] = {"From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "In-Reply-To",
                               "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};

std::string field_name(const std::string& f) {
    auto colon = f.find(':');
    return std::string(trim_right(std::string_view(f).substr(0, colon == std::string::npos ? 0 : colon)));
}

std::string sha256(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<char*>(md), len);
}

// "b=" value folded every 64 characters (SEND-74).
std::string fold_b64(const std::string& b64) {
    std::string out;
    for (size_t i = 0; i < b64.size(); i += 64) {
        if (i) out += "\r\n\t ";
        out += b64.substr(i, 64);
    }
    return out;
}
} // namespace

Result<std::string> DkimSigner::sign(std::string_view message, time_t now) const {
    std::string_view body;
    auto fields = dkim::split_header(message, body);
    std::vector<const std::string*> chosen;
    std::string names;
    for (auto& f : fields) {
        std::string n = field_name(f);
        for (auto* s : kSigned)
            if (iequals(n, s)) {
                chosen.push_back(&f);
                names += (names.empty() ? "" : ":") + n;
                break;
            }
    }
    bool has_from = false;
    for (auto* f : chosen) has_from = has_from || iequals(field_name(*f), "From");
    if (!has_from) return make_error("no From header field", ErrorCode::Invalid);

    std::string bh = base64_encode(sha256(dkim::relaxed_body(body)));
    std::string sig = "DKIM-Signature: v=1; a=" + std::string(ed25519_ ? "ed25519-sha256" : "rsa-sha256") +
                      "; c=relaxed/relaxed;\r\n\td=" + domain_ + "; s=" + selector_ +
                      "; t=" + std::to_string(static_cast<long long>(now)) + ";\r\n\th=" + names + ";\r\n\tbh=" + bh +
                      ";\r\n\tb=";
    // A verifier takes repeated names from the bottom up (RFC 6376 5.4.2).
    std::string data;
    std::map<std::string, std::vector<const std::string*>> by_name;
    for (auto* f : chosen) by_name[to_lower(field_name(*f))].push_back(f);
    for (auto* f : chosen) {
        auto& stack = by_name[to_lower(field_name(*f))];
        data += dkim::relaxed_header(*stack.back()) + "\r\n";
        stack.pop_back();
    }
    data += dkim::relaxed_header(sig);

    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::string input = ed25519_ ? sha256(data) : data;   // RFC 8463: Ed25519 over the SHA-256 hash
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, ed25519_ ? nullptr : EVP_sha256(), nullptr, key_->pkey) != 1)
        return make_error("signing initialisation failed");
    size_t len = 0;
    auto* in = reinterpret_cast<const unsigned char*>(input.data());
    if (EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) return make_error("signing failed");
    std::string out(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in, input.size()) != 1)
        return make_error("signing failed");
    out.resize(len);
    return sig + fold_b64(base64_encode(out)) + "\r\n";
}

} // namespace sbbs
