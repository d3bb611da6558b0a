// Credential masking for logged protocol lines.
#include "log/credential_scrubber.h"

#include "util/strings.h"

namespace sbbs {

namespace {

// "VERB rest" split at the first space (rest without leading blanks).
std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
    const size_t sp = s.find(' ');
    if (sp == std::string_view::npos) return {s, {}};
    std::string_view rest = s.substr(sp + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    return {s.substr(0, sp), rest};
}

std::string masked(std::string_view kept) {
    return std::string(kept) + std::string(kMasked);
}

} // namespace

std::string CredentialScrubber::scrub(std::string_view line) {
    if (pending_ > 0) {
        --pending_;
        return std::string(kMasked);
    }
    return mask_command_credentials(line, &pending_);
}

std::string mask_command_credentials(std::string_view line, int* continuation_lines) {
    int ignored = 0;
    int& pending = continuation_lines ? *continuation_lines : ignored;
    pending = 0;
    auto [verb, rest] = first_word(line);
    if (iequals(verb, "PASS") && line.size() > 4) return masked(line.substr(0, 5));
    if (iequals(verb, "APOP")) {
        // The digest is MD5(timestamp + password): as good as the password
        // to an offline guesser.
        const size_t last = line.rfind(' ');
        return last == 4 ? std::string(line) : masked(line.substr(0, last + 1));
    }
    if (!iequals(verb, "AUTH") || rest.empty()) return std::string(line);
    auto [mech, arg] = first_word(rest);
    const std::string_view head = line.substr(0, line.size() - rest.size() + mech.size());
    if (iequals(mech, "LOGIN")) {
        pending = arg.empty() ? 2 : 1;  // user name (unless given), then password
    } else {
        pending = arg.empty() ? 1 : 0;  // PLAIN, CRAM-MD5 and others: one response
    }
    return arg.empty() ? std::string(line) : masked(std::string(head) + " ");
}

} // namespace sbbs
