// The configured external mail processors of one configuration snapshot
// (ctrl/mailproc.ini, smtp.md section 15): which of them claim a recipient at
// RCPT time (SMTP-129, SMTP-133) and running them in file order at end of
// data until one handles the message (SMTP-215, SMTP-220). Shared by every
// session of the snapshot; the SMTP session supplies the files and the facts.
#pragma once

#include "config/mail_processors.h"
#include "log/log_level.h"
#include "mailproc/command_line.h"
#include "mailproc/work_files.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::mailproc {

using LogFn = std::function<void(LogLevel, const std::string&)>;

// What decides whether a processor may run for this transaction.
struct Eligibility {
    bool dnsbl_listed = false;
    bool spam_bait = false;
    std::string sender_address;                       // for From lists
    std::function<bool(const std::string& ars)> meets_ars;   // the relay user, or user 0
};

struct ChainOutcome {
    enum class Kind {
        NotHandled,   // deliver (with whatever the processors changed)
        Rejected,     // send reply_lines (SMTP-221)
        Handled,      // 250 OK, deliver nothing (SMTP-222)
    };
    Kind kind = Kind::NotHandled;
    std::vector<std::string> reply_lines;
};

class ProcessorChain {
public:
    struct Setup {
        std::string exec_dir, mods_dir, ctrl_dir;     // '/'-terminated
        std::chrono::milliseconds time_limit{60000};
    };
    ProcessorChain(std::vector<MailProcessor> processors, Setup setup);

    bool empty() const { return processors_.empty(); }
    size_t size() const { return processors_.size(); }

    // SMTP-129/130/133: marks every eligible processor whose To list matches
    // `name` (after aliasing) or `address` in `matched` (sized by the chain);
    // returns the last matching non-pass-through one, which claims the
    // recipient. Ours: disabled processors take part in neither.
    std::optional<std::string> match_recipient(const std::string& name, const std::string& address,
                                               const Eligibility& e, std::vector<bool>& matched) const;

    // Could run() start any processor for this transaction? False when every
    // one is disabled, ineligible or waits for a To it did not get, so the
    // caller can skip writing the work files (From lists count as a maybe:
    // the sender is only known from the header).
    bool may_run_any(const Eligibility& e, const std::vector<bool>& matched) const;

    // SMTP-215..222: the chain, in file order, on files the caller wrote.
    // `stop`: the server is stopping, a running processor is killed.
    ChainOutcome run(const WorkFiles& files, const CommandValues& values, const Eligibility& e,
                     const std::vector<bool>& matched, const LogFn& log, const std::atomic<bool>* stop = nullptr);

private:
    bool eligible(const MailProcessor& p, const Eligibility& e) const;
    bool may_run(size_t i, const Eligibility& e, const std::vector<bool>& matched) const;
    void run_one(const MailProcessor& p, const WorkFiles& files, const CommandValues& values, const LogFn& log,
                 bool& handled, const std::atomic<bool>* stop);
    std::optional<std::vector<std::string>> javascript_argv(const MailProcessor& p, const std::string& command,
                                                            const CommandValues& values, const LogFn& log);

    std::vector<MailProcessor> processors_;
    Setup setup_;
    std::unique_ptr<std::atomic<unsigned long>[]> handled_;   // "N total" per processor
    std::once_flag js_warning_;
};

// A JavaScript string literal of `s` (double-quoted, every control and quote
// character escaped), for the globals handed to jsexec.
std::string js_string(const std::string& s);

} // namespace sbbs::mailproc
