// Session log-line prefixes and secret masking.
#include "log/session_log.h"

#include <algorithm>
#include <cstdio>

namespace sbbs {

SessionLog::SessionLog(Logger& out, long socket, std::string protocol, std::string client_ip)
    : out_(out), socket_(socket), protocol_(std::move(protocol)) {
    if (!client_ip.empty()) set_client_ip(client_ip);
}

void SessionLog::add_secret(std::string_view secret) {
    if (secret.empty()) return;
    if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
    secrets_.emplace_back(secret);
    // Longest first, so a secret that contains another is masked whole.
    std::sort(secrets_.begin(), secrets_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SessionLog::prefix() const {
    char buf[64];
    if (padded_)
        std::snprintf(buf, sizeof buf, "%04ld %-5s ", socket_, protocol_.c_str());
    else
        std::snprintf(buf, sizeof buf, "%04ld %s ", socket_, protocol_.c_str());
    return buf;
}

std::string SessionLog::mask_secrets(std::string line) const {
    for (const auto& s : secrets_) {
        for (size_t at = line.find(s); at != std::string::npos; at = line.find(s, at + kMasked.size()))
            line.replace(at, s.size(), kMasked);
    }
    return line;
}

void SessionLog::emit(LogLevel level, std::string line) {
    out_.log(level, mask_secrets(std::move(line)));
}

void SessionLog::log(LogLevel level, std::string_view text) {
    if (!out_.enabled(level)) return;
    std::string line = prefix();
    if (!client_.empty()) line += client_ + " ";
    line += text;
    emit(level, std::move(line));
}

void SessionLog::log_bare(LogLevel level, std::string_view text) {
    if (!out_.enabled(level)) return;
    emit(level, prefix() + std::string(text));
}

void SessionLog::error_at(std::string_view place, LogLevel level, std::string_view text) {
    log(repeated_ ? repeated_->level_for(level, place) : level, text);
}

void SessionLog::rx(std::string_view line) {
    // Scrub even when DEBUG is off: the scrubber's continuation state must
    // follow the conversation.
    std::string safe = rx_scrubber_.scrub(line);
    log(LogLevel::Debug, "RX: " + safe);
}

void SessionLog::tx(std::string_view line) {
    std::string safe = tx_scrubber_.scrub(line);
    log(LogLevel::Debug, "TX: " + safe);
}

} // namespace sbbs
