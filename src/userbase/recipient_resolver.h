// Local recipient -> user number (CFG-120, CFG-76, USER-19..24, USER-53).
#pragma once

#include "userbase/user_directory.h"

#include <string>
#include <string_view>

namespace sbbs {

struct Config;

enum class RecipientReason {
    Found,            // user is the recipient
    DefaultUser,      // unknown name, delivered to DefaultUser (CFG-76)
    Unknown,          // no user: 550 Unknown User
    BlockedTag,       // name#tag with a tag in NNNN.smtpblock: 550 Unknown User (USER-53)
    Unusable,         // DELETED or INACTIVE: 550 Unknown User (USER-20)
    UnknownDefault,   // DefaultUser set but not found (log it; refuse)
    Unavailable,      // the user base could not be read: a temporary failure
};

struct RecipientMatch {
    uint32_t user = 0;              // 0 unless Found or DefaultUser
    RecipientReason reason = RecipientReason::Unknown;
    std::string tag;                // the part after '#', if any
    bool ok() const { return user != 0; }
};

// USER-53: "name#tag" -> {name, tag}; a leading '#' has no name part, so the
// text after it is the name and there is no tag.
struct SplitLocalPart {
    std::string name, tag;
};
SplitLocalPart split_tag(std::string_view local_part);

// Resolve `local_part` (after any alias.cfg substitution; `aliased` says
// whether one happened, which permits the user-number form).
RecipientMatch resolve_recipient(const Config& cfg, UserDirectory& users,
                                 std::string_view local_part, bool aliased);

// USER-10, RFC 6531: `local_part` in UTF-8 (an SMTPUTF8 recipient) against
// the CP437 names of the user base: resolved in its CP437 form, or as given
// when CP437 cannot write it (then only DefaultUser can take it).
RecipientMatch resolve_utf8_recipient(const Config& cfg, UserDirectory& users,
                                      std::string_view local_part, bool aliased);

} // namespace sbbs
