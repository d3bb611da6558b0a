// Envelope addresses and log descriptions (see envelope.h).
#include "sendmail/envelope.h"

#include "dns/idna.h"

#include "util/strings.h"

namespace sbbs::envelope {

using namespace smb;

namespace {
std::string bracketed(std::string s) { return !s.empty() && s[0] == '<' ? s : "<" + s + ">"; }
} // namespace

std::string local_form(const std::string& name) {
    if (name.find('@') != std::string::npos) return name;
    std::string out;
    if (name.find('.') != std::string::npos && name.find(' ') != std::string::npos) {
        for (char c : name) if (c != ' ') out += c;
        return out;
    }
    if (name.find('!') != std::string::npos) return "\"" + name + "\"";
    for (char c : name) out += (c == ' ' || uint8_t(c) >= 0x80) ? '.' : c;
    return out;
}

bool has_sender_ext(const MessageHeader& hdr) { return hdr.last(hf::SENDEREXT) != nullptr; }
uint16_t sender_agent(const MessageHeader& hdr) { return hdr.get_u16(hf::SENDERAGENT).value_or(agent::PERSON); }
uint16_t sender_net_type(const MessageHeader& hdr) { return hdr.get_u16(hf::SENDERNETTYPE).value_or(net::NONE); }

std::optional<std::string> reverse_path(const MessageHeader& hdr) {
    if (auto p = hdr.reverse_path()) return *p;                                    // FMT-36
    return std::nullopt;
}

std::string sender(const MessageHeader& hdr, const std::string& inet_addr) {
    // Ours (RFC 3461 6.2, RFC 5321 4.5.5): a delivery notice goes with a null
    // reverse path, so no notice about it can come back; the original sent
    // its bounces from Mail.Delivery.Subsystem@<host>.
    if (sender_agent(hdr) == agent::SMTPSYSMSG) return "<>";
    auto rp = reverse_path(hdr);
    if (sender_net_type(hdr) == net::INTERNET && rp) return bracketed(*rp);
    std::string local = local_form(hdr.get(hf::SENDER));
    if (local.find('@') == std::string::npos) local += "@" + inet_addr;
    return bracketed(local);
}

// Ours (SEND-25 sends the forward path as stored, which is the whole RCPT
// argument, SMTP-104): a "<path>" is cut after its '>', so the parameters
// the client gave us (NOTIFY=, ORCPT=, anything) are not repeated to the
// next hop, which may not take them; the DSN ones go by their own rule.
std::string recipient(const MessageHeader& hdr) {
    if (auto fp = hdr.last(hf::SMTPFORWARDPATH); fp && !fp->empty()) {
        auto gt = fp->find('>');
        return bracketed(fp->front() == '<' && gt != std::string::npos ? fp->substr(0, gt + 1) : *fp);
    }
    std::string addr = hdr.get(hf::RECIPIENTNETADDR);
    if (auto lt = addr.rfind('<'); lt != std::string::npos) addr = addr.substr(lt + 1);
    if (auto end = addr.find_first_of("> "); end != std::string::npos) addr.resize(end);
    auto at = addr.find('@');
    auto colon = addr.rfind(':');
    if (at != std::string::npos && colon != std::string::npos && colon > at) addr.resize(colon);
    return bracketed(addr);
}

std::string bare_address(const std::string& netaddr) {
    std::string addr = netaddr;
    if (auto end = addr.find_first_of("> "); end != std::string::npos) addr.resize(end);
    return addr;
}

std::string destination_domain(const std::string& netaddr) {
    std::string addr = bare_address(netaddr);
    auto at = addr.rfind('@');
    if (at == std::string::npos) return std::string();
    std::string domain = addr.substr(at + 1);
    // Ours (RFC 6531 3.3): an IDNA domain is looked up in DNS by its A-labels.
    HostPort hp = split_port(domain);
    if (!has_8bit(hp.host)) return domain;
    auto a_label = domain_to_ascii(hp.host);
    return a_label ? *a_label + domain.substr(hp.host.size()) : domain;
}

HostPort split_port(const std::string& domain) {
    auto colon = domain.find(':');
    if (colon == std::string::npos) return {domain, 0};
    std::string port = domain.substr(colon + 1);
    unsigned long p = all_digits(port) && port.size() <= 5 ? std::stoul(port) : 0;
    return {domain.substr(0, colon), uint16_t(p <= 65535 ? p : 0)};
}

std::string sender_info(const MessageHeader& hdr) {
    std::string name = hdr.get(hf::SENDER);
    if (auto ext = hdr.last(hf::SENDEREXT)) return "'" + name + "' #" + *ext;
    std::string env = hdr.get(hf::SMTPREVERSEPATH);
    if (env.empty()) env = hdr.get(hf::SENDERNETADDR);
    std::string from = bracketed(env);
    if (!name.empty() && from.compare(1, name.size(), name) == 0) return from;   // the address starts with the name
    return "'" + name + "' " + from;
}

std::string recipient_info(const MessageHeader& hdr) {
    std::string name = hdr.get(hf::RECIPIENT);
    std::string addr = bracketed(hdr.get(hf::RECIPIENTNETADDR));
    if (bracketed(name) == addr) return addr;
    return "'" + name + "' " + addr;
}

} // namespace sbbs::envelope
