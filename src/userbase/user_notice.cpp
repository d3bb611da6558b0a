// Notice texts and the .msg append; the built-in texts are the expansion of
// text.dat's InternetMailReceived/InternetMailForwarded defaults.
#include "userbase/user_notice.h"

#include "config/settings.h"
#include "userbase/cp437.h"
#include "userbase/user_paths.h"
#include "util/strings.h"

#include <vector>

namespace sbbs {
namespace {

constexpr std::string_view kReceived = "%.0s\x01n\x01mNew e-mail from \x01h%s\x01\\ \x01n<\x01h%s\x01n>\r\n";
constexpr std::string_view kForwarded = "\x01n\x01m" "and it was automatically forwarded to\x01\\: \x01h%s\x01n\r\n";

// printf with only %s / %.0s / %% (string arguments, in order).
std::string expand(std::string_view fmt, const std::vector<std::string_view>& args) {
    std::string out;
    size_t next = 0;
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') { out += fmt[i]; continue; }
        std::string_view rest = fmt.substr(i + 1);
        if (rest.substr(0, 1) == "%") { out += '%'; ++i; continue; }
        bool swallow = rest.substr(0, 3) == ".0s";
        if (swallow || rest.substr(0, 1) == "s") {
            if (!swallow && next < args.size()) out.append(args[next]);
            ++next;
            i += swallow ? 3 : 1;
            continue;
        }
        out += '%';
    }
    return out;
}

} // namespace

std::string new_mail_notice_text(const NewMailNotice& n) {
    std::string_view addr = n.sender_addr;
    if (iequals(n.sender_name, n.sender_addr)) {
        size_t at = addr.find('@');
        if (at != std::string_view::npos) addr = addr.substr(at + 1);
    }
    std::string_view received = n.received_text.empty() ? kReceived : std::string_view(n.received_text);
    std::string s = expand(received, {"", n.sender_name, addr});
    if (n.utf8) s = utf8_to_cp437(s);
    if (!n.forwarded_to.empty()) {
        std::string_view fwd = n.forwarded_text.empty() ? kForwarded : std::string_view(n.forwarded_text);
        s += expand(fwd, {n.forwarded_to});
    }
    return s;
}

std::string telegram_text(const Telegram& t) {
    std::string s = "\x01n\x01h\x01" "cInstant Message\x01n from \x01h\x01y" + t.sender_addr;
    if (!t.sender_domain_matches_client)
        s += "\r\n\x01w[\x01n" + t.client_ip + "\x01h] (\x01n" + t.client_host + "\x01h)";
    s += "\x01n:\r\n\x01h";
    s += t.text;
    return s;
}

NoticeWriter NoticeWriter::for_config(const Config& cfg, RetryPolicy retry) {
    return NoticeWriter(cfg.paths.data, NodeFile::for_config(cfg, retry), retry);
}

std::string NoticeWriter::path(uint32_t user) const {
    return data_dir_ + "msgs/" + user_file_number(user) + ".msg";
}

Status NoticeWriter::append(uint32_t user, std::string_view text) const {
    if (user == 0) return make_error("no user for notice", ErrorCode::Invalid);
    auto f = open_locked(path(user), platform::OpenMode::AppendCreate,
                         platform::LockKind::Exclusive, 100, retry_);
    if (!f) return f.error();
    if (Status s = f->append(text); !s) return s;
    if (nodes_) (void)nodes_->notify_message_waiting(user);   // USER-59, best effort
    return {};
}

} // namespace sbbs
