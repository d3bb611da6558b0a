// Matching and running external mail processors (see processor_chain.h).
#include "mailproc/processor_chain.h"

#include "mailproc/child_process.h"
#include "util/strings.h"

#include <cstdio>
#include <unistd.h>

namespace sbbs::mailproc {

namespace {

constexpr size_t kMaxErrorText = 64 * 1024;    // replies a processor may have sent
constexpr size_t kMaxDebugText = 256 * 1024;   // debug lines worth logging

std::string joined(const std::vector<std::string>& argv) {
    std::string s;
    for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
}

bool non_empty(const std::string& path) {
    auto t = read_text(path, 1);
    return t && !t->empty();
}

} // namespace

ProcessorChain::ProcessorChain(std::vector<MailProcessor> processors, Setup setup)
    : processors_(std::move(processors)), setup_(std::move(setup)),
      handled_(std::make_unique<std::atomic<unsigned long>[]>(processors_.size())) {}

bool ProcessorChain::eligible(const MailProcessor& p, const Eligibility& e) const {
    if (!p.process_dnsbl && e.dnsbl_listed) return false;
    if (!p.process_spam && e.spam_bait) return false;
    return !e.meets_ars || e.meets_ars(p.access_requirements);
}

std::optional<std::string> ProcessorChain::match_recipient(const std::string& name, const std::string& address,
                                                           const Eligibility& e, std::vector<bool>& matched) const {
    matched.resize(processors_.size());
    std::optional<std::string> claimed;
    for (size_t i = 0; i < processors_.size(); ++i) {
        const MailProcessor& p = processors_[i];
        if (p.disabled || !eligible(p, e) || !p.to_matches(name, address)) continue;   // ours: SMTP-130
        matched[i] = true;
        if (!p.pass_thru) claimed = p.name;                                          // the last one, SMTP-133
    }
    return claimed;
}

bool ProcessorChain::may_run(size_t i, const Eligibility& e, const std::vector<bool>& matched) const {
    const MailProcessor& p = processors_[i];
    if (p.disabled || !eligible(p, e)) return false;
    return p.to.empty() || (i < matched.size() && matched[i]);
}

bool ProcessorChain::may_run_any(const Eligibility& e, const std::vector<bool>& matched) const {
    for (size_t i = 0; i < processors_.size(); ++i)
        if (may_run(i, e, matched)) return true;
    return false;
}

ChainOutcome ProcessorChain::run(const WorkFiles& files, const CommandValues& values, const Eligibility& e,
                                 const std::vector<bool>& matched, const LogFn& log, const std::atomic<bool>* stop) {
    std::remove(files.error.c_str());
    const MailProcessor* by = nullptr;
    bool handled = false;
    for (size_t i = 0; i < processors_.size() && !handled; ++i) {                   // SMTP-215
        const MailProcessor& p = processors_[i];
        if (!may_run(i, e, matched)) continue;
        if (!p.from.empty() && !p.from_matches(e.sender_address)) continue;
        run_one(p, files, values, log, handled, stop);
        if (!p.pass_thru || non_empty(files.error) || !file_exists(files.message) ||  // SMTP-220
            !file_exists(files.recipient_list)) {
            by = &p;
            handled = true;
            ++handled_[i];
        }
    }
    ChainOutcome out;
    if (!handled) return out;
    std::string name = by ? by->name : "";
    auto log_handled = [&] {                                      // the original logs it after either
        if (by)
            log(LogLevel::Notice, "Message handled by external mail processor (" + name + ", " +
                                      std::to_string(handled_[size_t(by - processors_.data())].load()) + " total)");
    };
    if (auto err = read_text(files.error, kMaxErrorText); err && !err->empty()) {   // SMTP-221
        log(LogLevel::Notice, "!External mail processor (" + name + ") created: " + files.error);
        for (const std::string& l : text_lines(*err))
            log(LogLevel::Warning, "!External mail processor (" + name + ") error: " + l);
        out.kind = ChainOutcome::Kind::Rejected;
        out.reply_lines = error_reply_lines(*err);
        std::remove(files.error.c_str());
        log_handled();
        return out;
    }
    if (by && (!file_exists(files.message) || !file_exists(files.recipient_list)))  // SMTP-222
        log(LogLevel::Notice, "External mail processor (" + name + ") removed " +
                                  (file_exists(files.message) ? "recipient list" : "message text") + " file");
    log_handled();
    out.kind = ChainOutcome::Kind::Handled;
    return out;
}

void ProcessorChain::run_one(const MailProcessor& p, const WorkFiles& files, const CommandValues& values,
                             const LogFn& log, bool& handled, const std::atomic<bool>* stop) {
    std::optional<std::vector<std::string>> argv;
    if (p.native) argv = command_argv(p.command, values);                           // SMTP-216, SMTP-217
    else argv = javascript_argv(p, p.command, values, log);                          // SMTP-218
    if (!argv) return;
    log(LogLevel::Info, "Executing external mail processor: " + p.name);
    log(LogLevel::Debug, "Executing external command: " + joined(*argv));
    auto done = run_child(*argv, setup_.time_limit, stop);
    std::string failure;
    if (!done) failure = "could not be started: " + done.error().message;
    else if (done->timed_out)                                                        // ours: a time limit
        failure = "timed out after " + std::to_string(setup_.time_limit.count() / 1000) + " seconds (killed)";
    else if (!done->ok())
        failure = done->signalled ? "ended by signal " + std::to_string(done->status)
                                  : "returned " + std::to_string(done->status);
    if (!failure.empty() && p.native) {
        log(LogLevel::Notice, "!External mail processor (" + p.name + ") " + failure);
        if (p.ignore_on_error) {
            log(LogLevel::Warning, "!IGNORED MAIL due to mail processor (" + p.name + ") error: " + failure);
            handled = true;
        }
    } else if (!failure.empty()) {                                                   // SMTP-218: exit code ignored
        log(LogLevel::Debug, "JavaScript mail processor (" + p.name + ") " + failure);
    }
    if (auto dbg = read_text(files.debug_log, kMaxDebugText); dbg && !dbg->empty())  // SMTP-219
        for (const std::string& l : text_lines(*dbg))
            log(LogLevel::Debug, "External mail processor (" + p.name + ") debug: " + l);
    std::remove(files.debug_log.c_str());
}

std::optional<std::vector<std::string>> ProcessorChain::javascript_argv(const MailProcessor& p,
                                                                        const std::string& command,
                                                                        const CommandValues& v, const LogFn& log) {
    const std::string jsexec = setup_.exec_dir + "jsexec";
    if (access(jsexec.c_str(), X_OK) != 0) {                                         // SMTP-224: say so, once
        std::call_once(js_warning_, [&] {
            std::string names;
            for (const MailProcessor& q : processors_)
                if (!q.native && !q.disabled) names += (names.empty() ? "" : ", ") + q.name;
            log(LogLevel::Warning, "!" + jsexec + " not found: JavaScript mail processors are skipped (" + names + ")");
        });
        return std::nullopt;
    }
    std::vector<std::string> words = command_argv(command, v);
    std::string code;
    if (!p.eval.empty()) {
        code = p.eval;
        words.clear();
    } else {
        if (words.empty()) return std::nullopt;
        std::string script = words.front();
        words.erase(words.begin());
        if (script.find('.', script.rfind('/') + 1) == std::string::npos) script += ".js";
        if (script.front() != '/') {
            std::string in_mods = setup_.mods_dir + script;
            script = file_exists(in_mods) ? in_mods : setup_.exec_dir + script;
        }
        if (!file_exists(script)) {
            log(LogLevel::Warning, "!JavaScript mail processor (" + p.name + ") not found: " + script);
            return std::nullopt;
        }
        code = "load.apply(this, [" + js_string(script) + "].concat(argv));";
    }
    std::string globals;
    auto global = [&](const char* name, const std::string& value) {
        globals += std::string("var ") + name + "=" + js_string(value) + ";";
    };
    global("message_text_filename", v.message_file);
    global("new_message_text_filename", v.new_message_file);
    global("log_text_filename", v.debug_log);
    global("recipient_address", v.recipient);
    global("recipient_list_filename", v.recipient_list);
    global("processing_error_filename", v.error_file);
    global("sender_name", v.sender_name);
    global("sender_address", v.sender_address);
    global("reverse_path", v.reverse_path);
    global("hello_name", v.hello_name);
    std::vector<std::string> argv{jsexec, "-c" + setup_.ctrl_dir, "-r" + globals + code};
    argv.insert(argv.end(), words.begin(), words.end());
    return argv;
}

std::string js_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') { out += '\\'; out += char(c); }
        else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else out += char(c);
    }
    return out + "\"";
}

} // namespace sbbs::mailproc
