// The receive side's anti-spam and access rules (smtp.md sections 4, 10, 11,
// 14 and 16): connection checks against ip.can, host.can and spamblock.cfg,
// email.can on the envelope and header, subject.can, the twit list and spam
// baits. One object per configuration snapshot, shared by its sessions; the
// SMTP session consults it through its filter chain (smtp/spam_filter.h).
#pragma once

#include "config/cached_pattern_list.h"
#include "config/settings.h"
#include "spam/decision.h"
#include "spam/mail_address.h"
#include "spam/spam_log.h"
#include "util/stat_cached_file.h"

#include <atomic>
#include <mutex>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace sbbs::spam {

struct AntiSpamPaths {
    std::string ctrl, text, logs;           // with trailing separators
    uint32_t cache_interval_s = 5;          // main.ini cache_filter_files (CFG-103)
    uint32_t spam_block_duration_s = 0;     // [Mail] SpamBlockDuration
    uint32_t sys_settings = 0;              // main.ini settings (date format of spam.log)

    static AntiSpamPaths of(const Config& cfg);
};

class AntiSpam {
public:
    explicit AntiSpam(AntiSpamPaths paths);

    // SMTP-24..SMTP-30: before the greeting.
    Decision on_connect(const SessionInfo& s);
    // SMTP-94: `arg` is the MAIL argument as received (after the colon).
    Decision on_reverse_path(const SessionInfo& s, std::string_view arg);
    // SMTP-110, SMTP-111, SMTP-113: `address` after prefixes, `raw` the argument.
    Decision on_recipient(const SessionInfo& s, const std::string& address, const std::string& raw);
    // SMTP-175: when the data has ended, before telegrams and processors.
    Decision on_message(const SessionInfo& s, std::string_view header);
    // SMTP-181: header lines in order, for unauthenticated senders.
    Decision on_header(const SessionInfo& s, std::string_view header);
    // SMTP-194: a spam-bait transaction is accepted and dropped.
    Decision on_store(const SessionInfo& s, std::string_view header);

    // The sender the twit list and logs see: the last From: header line, else
    // the reverse path (SMTP-163, SMTP-167).
    static NamedAddress sender_of(const SessionInfo& s, std::string_view header);

private:
    Decision connect_block(const SessionInfo& s);
    Decision blocked_address(const SessionInfo& s, std::string_view text, const char* source,
                             std::optional<std::string> to, std::optional<std::string> from);
    Decision spam_bait(const SessionInfo& s, const std::string& address);
    bool spam_block_exempt(const SessionInfo& s) const;
    void spam_log(const SessionInfo& s, SpamEvent e, Decision& d) const;

    AntiSpamPaths paths_;
    // CFG-133: the cached lists; the others count from the very next check
    // (parsed again when a stat() shows a change, util/stat_cached_file.h).
    CachedPatternList ip_can_, host_can_, spam_block_, ipfilter_exempt_;
    StatCachedFile<PatternList> email_can_, spam_bait_, twit_list_, subject_can_, spam_block_exempt_;
    std::atomic<uint64_t> ip_filtered_{0}, host_filtered_{0}, spam_blocked_{0};
    std::atomic<uint64_t> refused_{0}, ignored_{0};
    std::mutex block_mu_;   // one auto-block append at a time: no duplicate lines between sessions
};

} // namespace sbbs::spam
