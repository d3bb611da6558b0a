// AntiSpam's shared parts: paths, spam.log and the sender of a message.
#include "spam/anti_spam.h"

#include "util/strings.h"

namespace sbbs::spam {

namespace {
PatternList load_patterns(const std::string& path) { return PatternList::load(path, nullptr); }
} // namespace

AntiSpamPaths AntiSpamPaths::of(const Config& cfg) {
    AntiSpamPaths p;
    p.ctrl = cfg.paths.ctrl;
    p.text = cfg.paths.text;
    p.logs = cfg.paths.logs;
    p.cache_interval_s = cfg.sys.cache_filter_files_s;
    p.spam_block_duration_s = cfg.mail.spam_block_duration_s;
    p.sys_settings = cfg.sys.settings;
    return p;
}

AntiSpam::AntiSpam(AntiSpamPaths paths)
    : paths_(std::move(paths)),
      ip_can_(paths_.text + "ip.can", paths_.cache_interval_s),
      host_can_(paths_.text + "host.can", paths_.cache_interval_s),
      spam_block_(paths_.ctrl + "spamblock.cfg", paths_.cache_interval_s),
      ipfilter_exempt_(paths_.ctrl + "ipfilter_exempt.cfg", paths_.cache_interval_s),
      email_can_(paths_.text + "email.can", load_patterns), spam_bait_(paths_.ctrl + "spambait.cfg", load_patterns),
      twit_list_(paths_.ctrl + "twitlist.cfg", load_patterns), subject_can_(paths_.text + "subject.can", load_patterns),
      spam_block_exempt_(paths_.ctrl + "spamblock_exempt.cfg", load_patterns) {}

void AntiSpam::spam_log(const SessionInfo& s, SpamEvent e, Decision& d) const {
    log_spam_event(paths_.logs, paths_.sys_settings, s, std::move(e), d);
}

NamedAddress AntiSpam::sender_of(const SessionInfo& s, std::string_view header) {
    NamedAddress sender;
    std::string rp = s.reverse_path;                                                // SMTP-163
    if (!rp.empty() && rp.front() == '<') rp.erase(0, 1);
    if (!rp.empty() && rp.back() == '>') rp.pop_back();
    sender.address = rp;
    if (auto at = rp.find('@'); at != std::string::npos) sender.name = rp.substr(0, at);
    for (const HeaderField& f : header_fields(header))                              // SMTP-167
        if (iequals(f.name, "FROM")) sender = split_mail_address(f.value);
    return sender;
}

} // namespace sbbs::spam
