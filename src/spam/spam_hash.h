// data/spam.hash (FMT-104, SMTP-192, SMTP-242): body hashes of messages
// judged spam, in the SMB hash record format, looked up for every message
// and appended to for spam. The file is locked whole while it is read or
// appended, as the original locks it.
#pragma once

#include "util/result.h"
#include "util/text_pieces.h"

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace sbbs::spam {

class SpamHashBase {
public:
    explicit SpamHashBase(std::string path) : path_(std::move(path)) {}

    // When the body's hash is in the base: the time it was added.
    std::optional<std::time_t> find(const TextPieces& body) const;
    // Appends the body's hash unless it is there already.
    Status add(const TextPieces& body, std::time_t now) const;

private:
    std::string path_;
};

} // namespace sbbs::spam
