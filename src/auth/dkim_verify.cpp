// DKIM verification with libopendkim (see dkim_verify.h). One library handle
// per message, so no state is shared between sessions' threads.
#include "auth/dkim_verify.h"

#include "auth/dkim_verdict_map.h"
#include "auth/header_fields.h"
#include "util/strings.h"

#include "auth/opendkim.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <string>

namespace sbbs::auth {

namespace {

// What the key look-up callback needs, reached through the handle's user context.
struct KeyLookup {
    Resolver& resolver;
    std::chrono::steady_clock::time_point deadline;   // the message's look-up budget (review finding 8)
    std::set<std::string> temp_failed;   // key names whose look-up failed for now
};

std::string key_name(DKIM_SIGINFO* sig) {
    auto* d = dkim_sig_getdomain(sig);
    auto* s = dkim_sig_getselector(sig);
    if (!d || !s) return {};
    return reinterpret_cast<const char*>(s) + std::string("._domainkey.") + reinterpret_cast<const char*>(d);
}

// RFC 6376 3.6.2.2: the key is the TXT record at <selector>._domainkey.<d>.
// A temporary failure is remembered and reported to the library as "no
// key", so it carries on with the other signatures instead of stopping.
DKIM_CBSTAT lookup_key(DKIM* dkim, DKIM_SIGINFO* sig, u_char* buf, size_t buflen) {
    auto* ctx = static_cast<KeyLookup*>(dkim_get_user_context(dkim));
    std::string name = key_name(sig);
    if (!ctx || name.empty()) return DKIM_CBSTAT_NOTFOUND;
    if (std::chrono::steady_clock::now() >= ctx->deadline) {           // ten dead name servers cost 12 s, not 60
        ctx->temp_failed.insert(name);
        return DKIM_CBSTAT_NOTFOUND;
    }
    auto answer = ctx->resolver.txt(name);
    if (answer.status == DnsStatus::TempFail) {
        ctx->temp_failed.insert(name);
        return DKIM_CBSTAT_NOTFOUND;
    }
    // Several records: the library would call it a multiple reply; we take
    // the first, as RFC 6376 3.6.2.2 leaves the choice open.
    if (answer.status != DnsStatus::Ok || answer.records.empty()) return DKIM_CBSTAT_NOTFOUND;
    const std::string& record = answer.records.front();
    if (record.size() >= buflen || std::memchr(record.data(), '\0', record.size())) return DKIM_CBSTAT_NOTFOUND;
    std::memcpy(buf, record.data(), record.size());
    buf[record.size()] = '\0';
    return DKIM_CBSTAT_CONTINUE;
}

// The message with every DKIM-Signature field after the first `cap` left
// out; unchanged (no copy) when there are no more than that.
std::string_view capped(std::string_view message, size_t cap, std::string& storage) {
    size_t seen = 0;
    auto fields = header_fields(message);
    size_t kept_to = 0;
    for (auto& f : fields) {
        if (!iequals(f.name, "DKIM-Signature") || ++seen <= cap) continue;
        storage.append(message.substr(kept_to, f.begin - kept_to));
        kept_to = f.end;
    }
    if (seen <= cap) return message;
    storage.append(message.substr(kept_to));
    return storage;
}

std::string text(const unsigned char* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

// The a= tag as written: the library's own reading of it defaults to
// rsa-sha1 for a signature it stopped parsing before a=.
std::string algorithm_name(DKIM_SIGINFO* sig) {
    return to_lower(trim(text(dkim_sig_gettagvalue(sig, false, reinterpret_cast<u_char*>(const_cast<char*>("a"))))));
}

DkimVerdict verdict_of(DKIM_SIGINFO* sig, const KeyLookup& lookup) {
    DkimSignatureOutcome o;
    o.error = dkim_sig_geterror(sig);
    o.flags = dkim_sig_getflags(sig);
    o.body_hash = dkim_sig_getbh(sig);
    o.algorithm = algorithm_name(sig);
    o.key_lookup_temperror = lookup.temp_failed.count(key_name(sig)) != 0;
    DkimVerdict v = classify_dkim_signature(o);
    v.domain = to_lower(text(dkim_sig_getdomain(sig)));
    v.selector = text(dkim_sig_getselector(sig));
    return v;
}

// libopendkim 2.11.0~beta2 reads past a header field holding a NUL byte
// (a heap over-read found by tests/fuzz/dkim_dmarc.cpp), so such a header
// never reaches it: its signatures are reported neutral, unverified.
std::vector<DkimVerdict> refuse_nul_header(const std::vector<HeaderFieldSpan>& fields) {
    std::vector<DkimVerdict> out;
    for (auto& f : fields)
        if (iequals(f.name, "DKIM-Signature") && out.size() < kMaxDkimSignatures)
            out.push_back(DkimVerdict{DkimResult::Neutral, "", "", "", "NUL byte in the header"});
    return out;
}

bool header_has_nul(std::string_view message) {
    size_t end = std::min(message.find("\n\r\n"), message.find("\n\n"));
    std::string_view header = message.substr(0, end == std::string_view::npos ? message.size() : end);
    return header.find('\0') != std::string_view::npos;
}

struct LibCloser { void operator()(DKIM_LIB* l) const { dkim_close(l); } };
struct HandleFreer { void operator()(DKIM* d) const { dkim_free(d); } };

std::unique_ptr<DKIM_LIB, LibCloser> make_library() {
    std::unique_ptr<DKIM_LIB, LibCloser> lib(dkim_init(nullptr, nullptr));
    if (!lib) return lib;
    // Malformed signatures get handles too, so they are reported (neutral)
    // rather than silently skipped. Not DKIM_LIBFLAGS_FIXCRLF: with it a
    // text starting with a bare LF trips an assert() in dkim_header and
    // aborts the process (found by tests/fuzz/dkim_dmarc.cpp); the intake
    // stores CR LF lines anyway (SEC-2).
    unsigned flags = DKIM_LIBFLAGS_BADSIGHANDLES;
    unsigned min_bits = 1024;                          // RFC 8301 3.2
    dkim_options(lib.get(), DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
    dkim_options(lib.get(), DKIM_OP_SETOPT, DKIM_OPTS_MINKEYBITS, &min_bits, sizeof min_bits);
    dkim_set_key_lookup(lib.get(), lookup_key);
    return lib;
}

} // namespace

std::vector<DkimVerdict> verify_dkim(std::string_view message, Resolver& resolver,
                                     std::chrono::steady_clock::duration budget) {
    return verify_dkim(message, {}, resolver, budget);
}

std::vector<DkimVerdict> verify_dkim(std::string_view message, const std::vector<std::string_view>& more_body,
                                     Resolver& resolver, std::chrono::steady_clock::duration budget) {
    if (header_has_nul(message)) return refuse_nul_header(header_fields(message));
    std::string storage;
    std::string_view text_in = capped(message, kMaxDkimSignatures, storage);
    auto lib = make_library();
    if (!lib) return {DkimVerdict{DkimResult::Temperror, "", "", "", "DKIM library unavailable"}};
    DKIM_STAT status = DKIM_STAT_OK;
    std::unique_ptr<DKIM, HandleFreer> dkim(dkim_verify(lib.get(), reinterpret_cast<const u_char*>("sbbsmail"),
                                                        nullptr, &status));
    if (!dkim) return {DkimVerdict{DkimResult::Temperror, "", "", "", "DKIM library unavailable"}};
    KeyLookup lookup{resolver, std::chrono::steady_clock::now() + budget, {}};
    dkim_set_user_context(dkim.get(), &lookup);
    auto* bytes = reinterpret_cast<u_char*>(const_cast<char*>(text_in.data()));
    status = dkim_chunk(dkim.get(), bytes, text_in.size());
    for (size_t i = 0; i < more_body.size() && status == DKIM_STAT_OK; ++i)   // the body where it lies: no copy
        status = dkim_chunk(dkim.get(), reinterpret_cast<u_char*>(const_cast<char*>(more_body[i].data())),
                            more_body[i].size());
    if (status == DKIM_STAT_OK) status = dkim_chunk(dkim.get(), nullptr, 0);
    if (status == DKIM_STAT_OK) status = dkim_eom(dkim.get(), nullptr);
    if (status == DKIM_STAT_NOSIG) return {};
    DKIM_SIGINFO** sigs = nullptr;
    int count = 0;
    if (dkim_getsiglist(dkim.get(), &sigs, &count) != DKIM_STAT_OK || count <= 0) return {};
    std::vector<DkimVerdict> out;
    for (int i = 0; i < count && out.size() < kMaxDkimSignatures; ++i) out.push_back(verdict_of(sigs[i], lookup));
    return out;
}

} // namespace sbbs::auth
