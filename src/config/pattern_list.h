// The one matching engine of ctrl/*.cfg, text/*.can and NNNN.smtpblock lists
// (config.md section 10: comments, '!', '*', '^', '~', CIDR, TAB metadata).
#pragma once

#include "config/diagnostic.h"

#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct ListEntry {
    std::string pattern;                       // decoded, without '!' and metadata
    bool negated = false;
    std::map<std::string, std::string> meta;   // CFG-130: t, e, q, p, u, r, h
    int line = 0;
    time_t expires() const;                     // e= as a time, 0 = never
    bool quiet() const;                         // q=
};

// A matching list line's t=/r=/p= metadata as the block log lines of SMTP and
// POP3 show it (the original's trash_details()):
// "since Aug 21 22:07:47 2026 for <reason> using <protocol>".
std::string entry_details(const ListEntry& e);

class PatternList {
public:
    // Parse list text; problems go to `diags` (may be null) under `file`.
    static PatternList parse(std::string_view text, const std::string& file, Diagnostics* diags);
    // Read a list file; a missing file is an empty list (CFG-132).
    static PatternList load(const std::string& path, Diagnostics* diags);

    // CFG-127..CFG-131: the entry that decides the scan when `s` (or, when
    // given, `s2`) is listed, or nullptr when not listed. Expired entries
    // (e= at or before `now`; `now` 0 = the current time) never match
    // (ours, CFG-131).
    const ListEntry* find(std::string_view s, std::string_view s2 = {}, time_t now = 0) const;
    // The deciding entry even when it has expired (auto-block appends prune
    // such entries before adding a fresh one, CFG-134).
    const ListEntry* decide(std::string_view s, std::string_view s2 = {}) const;
    bool contains(std::string_view s, std::string_view s2 = {}, time_t now = 0) const {
        return find(s, s2, now) != nullptr;
    }
    const std::vector<ListEntry>& entries() const { return entries_; }

private:
    std::vector<ListEntry> entries_;
    bool last_line_negated_ = false;  // CFG-129 end-of-file rule
};

// CFG-127/128: one pattern against one string (no '!' handling).
bool pattern_matches(std::string_view pattern, std::string_view s);

} // namespace sbbs
