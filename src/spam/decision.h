// What an anti-spam rule decided about one session event: pass, refuse with
// a reply, or accept and drop; plus the lines it wants in the session log.
// The SMTP session turns a Decision into its own reply and log prefix.
#pragma once

#include "log/log_level.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs::spam {

struct LogNote {
    LogLevel level = LogLevel::Notice;
    std::string text;
    bool client_id = true;      // prefix with "[ip]" / "<alias>" (most lines do)
};

struct Decision {
    enum class Kind { Pass, Refuse, Discard };
    Kind kind = Kind::Pass;
    int code = 0;
    std::string enhanced;       // RFC 3463 code, as every reply of ours carries
    std::string text;
    bool close = false;         // end the session after the reply
    std::vector<LogNote> notes;

    static Decision refuse(int code, std::string enhanced, std::string text, bool close) {
        return {Kind::Refuse, code, std::move(enhanced), std::move(text), close, {}};
    }
    static Decision discard() { return {Kind::Discard, 250, "2.0.0", "OK", false, {}}; }
    bool decided() const { return kind != Kind::Pass; }
    // A refusal found by a shared check gets the reply of the rule that asked.
    Decision with_reply(int c, std::string enh, std::string t, bool close_session) && {
        code = c;
        enhanced = std::move(enh);
        text = std::move(t);
        close = close_session;
        return std::move(*this);
    }
    Decision& note(LogLevel level, std::string text, bool with_client_id = true) {
        notes.push_back({level, std::move(text), with_client_id});   // the log sinks escape it
        return *this;
    }
};

// What the rules may know about the SMTP session at the moment they run.
struct SessionInfo {
    std::string ip, host = "<no name>", server_ip, protocol = "SMTP";
    std::string client_id;          // "[ip]" or the authenticated alias, as in log lines
    std::string reverse_path;       // raw MAIL argument of the transaction
    std::string last_rcpt;          // address of the last RCPT (SMTP-159)
    bool authenticated = false;
    uint32_t user = 0;              // the authenticated user's number
    bool dnsbl_listed = false;
    bool spam_bait = false;         // the last RCPT hit ctrl/spambait.cfg (SMTP-112)
};

} // namespace sbbs::spam
