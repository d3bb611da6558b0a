// ArchiveRequirements (SMTP-211, USER-58): verbatim .eml copies of mail
// under data/user/NNNN/smtp_in/ (recipients) and smtp_relay/ (senders).
#pragma once

#include "util/result.h"
#include "util/text_pieces.h"

#include <cstdint>
#include <ctime>
#include <string>

namespace sbbs::smtp {

// "<UTC CCYYMMDDThhmmssZ>-<session id>.eml"
std::string archive_file_name(time_t when, const std::string& session_id);

// Writes `text` to <data>user/<NNNN>/<box>/<name>, creating the directories;
// an existing file is never overwritten (that is not an error).
Status archive_copy(const std::string& data_dir, uint32_t user, const char* box, const std::string& name,
                    const TextPieces& text);

} // namespace sbbs::smtp
