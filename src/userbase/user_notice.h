// Notices and telegrams for BBS users: the text of USER-56/57 and the
// append to data/msgs/NNNN.msg (USER-55, USER-59).
#pragma once

#include "userbase/node_file.h"
#include "userbase/record_lock.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace sbbs {

struct Config;

struct NewMailNotice {
    std::string sender_name;
    std::string sender_addr;
    std::string forwarded_to;      // "" = stored for the user, not forwarded
    bool utf8 = false;             // the message was UTF-8: convert to CP437
    std::string received_text;     // "" = built-in InternetMailReceived
    std::string forwarded_text;    // "" = built-in InternetMailForwarded
};

// USER-56: the exact bytes of the new-mail notice (plus the forwarded
// suffix). Custom texts use the original's printf arguments: received gets
// (timestamp, name, address) and may swallow the first with %.0s;
// forwarded gets (address). Only %s, %.0s and %% are expanded.
std::string new_mail_notice_text(const NewMailNotice& n);

struct Telegram {
    std::string sender_addr;
    bool sender_domain_matches_client = false;   // sender's domain resolves to client IP
    std::string client_ip;
    std::string client_host;
    std::string text;                            // the received message text
};

// USER-57: the bytes appended for SEND/SOML/SAML.
std::string telegram_text(const Telegram& t);

class NoticeWriter {
public:
    // `nodes` (may be empty) gets MSGW on the user's nodes after each append.
    NoticeWriter(std::string data_dir, std::optional<NodeFile> nodes, RetryPolicy retry)
        : data_dir_(std::move(data_dir)), nodes_(std::move(nodes)), retry_(std::move(retry)) {}
    // <data>/msgs/ with MSGW flagging on the install's node.dab.
    static NoticeWriter for_config(const Config& cfg, RetryPolicy retry = {});

    // USER-55: append under a whole-file exclusive lock; creates the file,
    // never the msgs/ directory.
    Status append(uint32_t user, std::string_view text) const;
    std::string path(uint32_t user) const;

private:
    std::string data_dir_;
    std::optional<NodeFile> nodes_;
    RetryPolicy retry_;
};

} // namespace sbbs
