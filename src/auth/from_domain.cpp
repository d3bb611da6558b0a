// Finding the author domain of a message (see from_domain.h).
#include "auth/from_domain.h"

#include "auth/header_fields.h"
#include "mailfmt/parse.h"
#include "util/strings.h"

namespace sbbs::auth {

namespace {

AuthorDomain none(std::string why) { return {"", std::move(why)}; }

std::string domain_of(const std::string& address) {
    auto at = address.rfind('@');
    if (at == std::string::npos) return {};
    std::string d = to_lower(trim(std::string_view(address).substr(at + 1)));
    if (!d.empty() && d.back() == '.') d.pop_back();
    // A domain literal ([192.0.2.1]) has no DNS policy to look up.
    if (d.empty() || d.front() == '[') return {};
    return d;
}

} // namespace

AuthorDomain rfc5322_from_domain(std::string_view message) {
    const HeaderFieldSpan* from = nullptr;
    auto fields = header_fields(message);
    for (auto& f : fields) {
        if (!iequals(f.name, "From")) continue;
        if (from) return none("more than one From field");
        from = &f;
    }
    if (!from) return none("no From field");
    MailboxList list = parse_mailbox_list(from->value);
    if (list.malformed || list.mailboxes.empty()) return none("From field does not parse");
    std::string domain;
    for (auto& m : list.mailboxes) {
        std::string d = domain_of(m.address);
        if (d.empty()) return none("From address without a domain");
        if (!domain.empty() && d != domain) return none("From names more than one domain");
        domain = d;
    }
    return {domain, ""};
}

} // namespace sbbs::auth
