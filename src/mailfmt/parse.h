// Parsing a received RFC 822 header into SMB header fields, as the
// original's SMTP server stores it (smb.md FMT-110, FMT-111; smtp.md
// SMTP-197..SMTP-201).
#pragma once

#include "msgbase/message.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct Mailbox {
    std::string name;      // display name (quotes removed); the address when none
    std::string address;   // without angle brackets
};

// Every mailbox of an RFC 5322 mailbox-list or address-list (groups, nested
// comments, quoted strings, obsolete routes and empty elements).
struct MailboxList {
    std::vector<Mailbox> mailboxes;   // in order; none has an empty address
    bool malformed = false;           // some part is not a mailbox: trust none
};

struct ParsedHeader {
    std::vector<smb::HeaderField> fields;   // in header order, FMT-110/111 applied
    bool has_date = false;
    smb::When when_written;                 // from Date: (FMT-25)
    uint8_t priority = 0;                   // X-Priority, 0 = unspecified
    bool spam = false;                      // X-Spam-Flag: Yes (SMTP-199)
    bool has_message_id = false;
    bool has_from = false;
    Mailbox from;                           // From:, name MIME-decoded
    MailboxList from_all;                   // every mailbox of every From: field (SMTP-182)
    std::string to_name;                    // display name of To:'s first address
    std::string subject;                    // decoded Subject
    bool utf8 = false;                      // a decoded field is non-ASCII UTF-8
};

// `header`: the header lines as received, CRLF-separated, no blank line.
ParsedHeader parse_rfc822_header(std::string_view header);

// RFC 2047 encoded-words decoded to UTF-8 (B and Q); control characters
// removed from decoded text. `encoded` tells whether any word was decoded.
std::string decode_mime_words(std::string_view value, bool* encoded = nullptr);

// "Name <addr>", "addr (Name)", "\"Name\" <addr>" or a bare address.
Mailbox parse_mailbox(std::string_view value);

// A mailbox-list as RFC 5322 3.4 has it; names as parse_mailbox gives them
// (not MIME-decoded), addresses without comments or blanks.
MailboxList parse_mailbox_list(std::string_view value);

// RFC 822/5322 date -> packed when_t (FMT-24, FMT-25); false if unparsable.
bool parse_rfc822_date(std::string_view text, smb::When& when);

// True when `s` holds at least one byte >= 0x80 and is valid UTF-8.
bool is_non_ascii_utf8(std::string_view s);

} // namespace sbbs
