// The DNSBL rules of smtp.md section 17 at each point of a session: refusal
// at connect (DNSBL_REFUSE), sender exemption at MAIL, DNSBL_BADUSER at RCPT,
// Received: relays (DNSBL_CHKRECVHDRS), tagging (DNSBlacklistSubject and
// DNSBlacklistHeader, the SPAM attribute), DNSBL_IGNORE and the spam hash
// base (DNSBL_SPAMHASH). One object per configuration snapshot; the session's
// own DnsblListing carries what was found.
#pragma once

#include "config/settings.h"
#include "spam/decision.h"
#include "spam/dnsbl_listing.h"
#include "spam/dnsbl_lookup.h"
#include "spam/spam_hash.h"
#include "spam/spam_log.h"

#include <atomic>
#include <memory>
#include <string_view>

namespace sbbs::spam {

struct DnsblSettings {
    std::string logs;
    uint32_t options = 0;           // [Mail] Options (DNSBL_*)
    std::string header, subject;    // DNSBlacklistHeader, DNSBlacklistSubject
    uint32_t sys_settings = 0;      // spam.log's date format

    static DnsblSettings of(const Config& cfg);
    bool has(uint32_t option) const { return (options & option) != 0; }
};

class Dnsbl {
public:
    Dnsbl(DnsblSettings settings, std::unique_ptr<DnsblLookup> lookup, SpamHashBase hashes);

    // SMTP-31: after the other connection checks; may set `l`.
    Decision on_connect(const SessionInfo& s, DnsblListing& l);
    // SMTP-100: an exempt reverse path clears the listing.
    Decision on_reverse_path(const SessionInfo& s, DnsblListing& l);
    // SMTP-114: DNSBL_BADUSER.
    Decision on_recipient(const SessionInfo& s, const DnsblListing& l);
    // SMTP-183, SMTP-185, SMTP-186: before the header is parsed for storage;
    // a spam bait's body goes to the hash base here (SMTP-192), as the
    // anti-spam filter drops the message before on_store.
    Decision on_header(const SessionInfo& s, DnsblListing& l, std::string_view header, const TextPieces& body,
                       MessageMarks& marks);
    // SMTP-192, SMTP-194: just before the message is stored.
    Decision on_store(const SessionInfo& s, DnsblListing& l, std::string_view header, const TextPieces& body);

private:
    bool listed_unauthenticated(const SessionInfo& s, const DnsblListing& l) const {
        return l.listed && !s.authenticated;                                         // SMTP-250
    }
    std::optional<DnsblListing> received_listing(std::string_view header, Decision& d);
    void note_problems(const DnsblOutcome& o, Decision& d) const;
    void spam_log(const SessionInfo& s, SpamEvent e, Decision& d) const;

    DnsblSettings settings_;
    std::unique_ptr<DnsblLookup> lookup_;
    SpamHashBase hashes_;
    std::atomic<uint64_t> refused_{0}, ignored_{0};
};

// SMTP-186: the header with `<tag>: ` before the Subject and the
// `<hdr>: <ip> is listed on <dnsbl> as <result>` line added at its end.
std::string tagged_header(std::string_view header, const std::string& subject_tag, const std::string& header_name,
                          const DnsblListing& l);

} // namespace sbbs::spam
