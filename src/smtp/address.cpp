// RCPT argument and destination parsing (see address.h).
#include "smtp/address.h"

#include "util/strings.h"

#include <vector>

namespace sbbs::smtp {

std::string without_angles(std::string s) {
    if (!s.empty() && s.front() == '<') s.erase(0, 1);
    if (!s.empty() && s.back() == '>') s.pop_back();
    return s;
}

std::string rcpt_address(std::string_view raw_arg) {
    std::string s;
    for (char c : raw_arg)
        if (c != '"') s += c;
    auto lt = s.rfind('<');
    if (lt != std::string::npos) s.erase(0, lt + 1);
    auto gt = s.find('>');
    if (gt != std::string::npos) s.erase(gt);
    return s;
}

RcptArgument split_rcpt_argument(std::string_view raw) {
    auto gt = raw.find('>');
    if (raw.empty() || raw.front() != '<' || gt == std::string_view::npos) return {raw, {}};
    return {raw.substr(0, gt + 1), raw.substr(gt + 1)};
}

Destination destination_of(std::string_view address) {
    Destination d;
    auto at = address.rfind('@');
    std::string_view h = at == std::string_view::npos ? address : address.substr(at + 1);
    auto colon = h.rfind(':');
    if (colon != std::string_view::npos && all_digits(h.substr(colon + 1)) && h.size() - colon <= 6) {
        d.port = uint16_t(std::stoul(std::string(h.substr(colon + 1))));
        h = h.substr(0, colon);
    }
    d.host = std::string(h);
    return d;
}

std::optional<std::string> fidonet_address(std::string_view host) {
    constexpr std::string_view suffix = ".fidonet";          // case-sensitive, SMTP-119
    if (host.size() <= suffix.size() || host.substr(host.size() - suffix.size()) != suffix) return std::nullopt;
    auto parts = split(host.substr(0, host.size() - suffix.size()), '.');
    if (parts.size() != 3 && parts.size() != 4) return std::nullopt;
    const char letters[] = {'p', 'f', 'n', 'z'};
    size_t first = 4 - parts.size();
    std::vector<std::string> v;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string& p = parts[i];
        if (p.size() < 2 || p.size() > 6 || p[0] != letters[first + i] || !all_digits(p.substr(1))) return std::nullopt;
        v.push_back(std::to_string(std::stoul(p.substr(1))));
    }
    const std::string& zone = v.back();
    if (zone == "0") return std::nullopt;
    const std::string& net = v[v.size() - 2];
    const std::string& node = v[v.size() - 3];
    std::string ftn = zone + ":" + net + "/" + node;
    if (v.size() == 4 && v[0] != "0") ftn += "." + v[0];
    return ftn;
}

} // namespace sbbs::smtp
