// SMTPUTF8 decisions for SendMail (see smtputf8.h).
#include "sendmail/smtputf8.h"

#include "dns/idna.h"
#include "mailfmt/parse.h"

namespace sbbs::smtputf8 {

bool utf8_header(std::string_view text) {
    size_t end = text.find("\r\n\r\n");
    std::string_view header = text.substr(0, end == std::string_view::npos ? text.size() : end);
    return has_8bit(header) && is_non_ascii_utf8(header);
}

std::optional<std::string> ascii_address(const std::string& address) {
    if (!has_8bit(address)) return address;
    auto at = address.rfind('@');
    if (at == std::string::npos || has_8bit(std::string_view(address).substr(0, at))) return std::nullopt;
    std::string domain = address.substr(at + 1);
    bool closed = !domain.empty() && domain.back() == '>';
    if (closed) domain.pop_back();
    auto a_label = domain_to_ascii(domain);
    if (!a_label) return std::nullopt;
    return address.substr(0, at + 1) + *a_label + (closed ? ">" : "");
}

Plan plan(const std::string& from, const std::vector<std::string>& to, std::string_view text) {
    Plan p;
    p.needs_smtputf8 = utf8_header(text);
    auto downgrade = [&](const std::string& a) {
        auto ascii = ascii_address(a);
        if (!ascii) p.needs_smtputf8 = true;
        return ascii ? *ascii : a;
    };
    p.from = downgrade(from);
    for (auto& t : to) p.to.push_back(downgrade(t));
    return p;
}

} // namespace sbbs::smtputf8
