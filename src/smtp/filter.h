// The filter chain: anti-spam rules (DNSBL, .can files, spamblock, spambait,
// mail processors, rate limits) plug in here without touching the session's
// state machine. The session consults the chain at connect, HELO/EHLO,
// MAIL, RCPT and at three points after the data (see ReceivedMessage); the
// first filter that does not say Continue decides.
#pragma once

#include "log/log_level.h"
#include "smtp/reply.h"
#include "util/text_pieces.h"
#include "spam/dnsbl_listing.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sbbs::smtp {

// What a filter may know about the session at the moment it is consulted.
struct SessionFacts {
    std::string client_ip;
    std::string client_host;        // "<no name>" when not looked up
    std::string server_ip;          // our address on this connection (SMTP-24)
    std::string client_id;          // "[ip]", or the alias once authenticated (SMTP-251)
    std::string helo_name;
    std::string protocol;           // "SMTP" / "SMTPS"
    bool submission = false;
    uint32_t auth_user = 0;         // 0 = unauthenticated
    std::string reverse_path;       // raw MAIL argument
    std::string last_rcpt;          // address of the last RCPT, spam baits included (SMTP-159)
    bool spam_bait = false;         // the last RCPT was a spam bait (SMTP-112)
    bool telegram = false;          // SEND/SOML/SAML transaction
    bool dnsbl_listed = false;
    spam::DnsblListing* dnsbl = nullptr;    // the session's own, for the DNSBL rules to set and clear
    // Writes one line to the session log with its "NNNN PROT " prefix.
    std::function<void(LogLevel, const std::string&)> log;
};

struct Verdict {
    enum class Kind {
        Continue,     // no opinion; ask the next filter
        Reject,       // send `reply`; close the session when `close`
        Discard,      // end of data / RCPT: say `reply` (250) but deliver nothing
    };
    Kind kind = Kind::Continue;
    Reply reply;
    bool close = false;

    static Verdict pass() { return {}; }
    static Verdict reject(Reply r, bool close_session = false) { return {Kind::Reject, std::move(r), close_session}; }
    static Verdict discard(Reply r) { return {Kind::Discard, std::move(r), false}; }
    bool decided() const { return kind != Kind::Continue; }
};

// The received message as the end-of-data filters see it. They are asked at
// three points: on_data_end when the data has ended (SMTP-175: before
// telegrams and processors), on_header before the header is parsed for
// storage (SMTP-181) and on_store just before the mail is stored (SMTP-194).
struct ReceivedMessage {
    const std::string& header;      // header lines, CRLF, without the blank line
    const TextPieces& body;
    const std::vector<std::string>& recipients;   // accepted RCPT addresses
    spam::MessageMarks* marks = nullptr;          // on_header: tags for the stored copy (SMTP-186)
};

class SmtpFilter {
public:
    virtual ~SmtpFilter() = default;
    virtual Verdict on_connect(const SessionFacts&) { return Verdict::pass(); }
    virtual Verdict on_helo(const SessionFacts&) { return Verdict::pass(); }
    // `argument`: the MAIL argument as received (after the colon, parameters included).
    virtual Verdict on_mail(const SessionFacts&, const std::string& /*argument*/) { return Verdict::pass(); }
    // `address` is the recipient after prefixes, before routing; `raw` the
    // RCPT argument. A Discard verdict accepts the address as a spam bait.
    virtual Verdict on_rcpt(const SessionFacts&, const std::string& /*address*/, const std::string& /*raw*/) {
        return Verdict::pass();
    }
    virtual Verdict on_data_end(const SessionFacts&, const ReceivedMessage&) { return Verdict::pass(); }
    virtual Verdict on_header(const SessionFacts&, const ReceivedMessage&) { return Verdict::pass(); }
    virtual Verdict on_store(const SessionFacts&, const ReceivedMessage&) { return Verdict::pass(); }
};

class FilterChain {
public:
    void add(std::shared_ptr<SmtpFilter> f) { filters_.push_back(std::move(f)); }
    bool empty() const { return filters_.empty(); }

    template <class Call>
    Verdict consult(Call&& call) const {
        for (auto& f : filters_) {
            Verdict v = call(*f);
            if (v.decided()) return v;
        }
        return Verdict::pass();
    }

private:
    std::vector<std::shared_ptr<SmtpFilter>> filters_;
};

} // namespace sbbs::smtp
