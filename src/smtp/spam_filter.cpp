// SpamFilter (see spam_filter.h).
#include "smtp/spam_filter.h"

namespace sbbs::smtp {

spam::SessionInfo spam_info_of(const SessionFacts& f) {
    spam::SessionInfo s;
    s.ip = f.client_ip;
    s.host = f.client_host;
    s.server_ip = f.server_ip;
    s.protocol = f.protocol;
    s.client_id = f.client_id;
    s.reverse_path = f.reverse_path;
    s.last_rcpt = f.last_rcpt;
    s.authenticated = f.auth_user != 0;
    s.user = f.auth_user;
    s.dnsbl_listed = f.dnsbl_listed;
    s.spam_bait = f.spam_bait;
    return s;
}

Verdict verdict_of(const SessionFacts& f, const spam::Decision& d) {
    if (f.log)
        for (const spam::LogNote& n : d.notes) f.log(n.level, n.client_id ? f.client_id + " " + n.text : n.text);
    Reply r{d.code, d.enhanced, d.text};
    switch (d.kind) {
    case spam::Decision::Kind::Refuse: return Verdict::reject(std::move(r), d.close);
    case spam::Decision::Kind::Discard: return Verdict::discard(std::move(r));
    case spam::Decision::Kind::Pass: break;
    }
    return Verdict::pass();
}

Verdict SpamFilter::on_connect(const SessionFacts& f) { return verdict_of(f, rules_->on_connect(spam_info_of(f))); }

Verdict SpamFilter::on_mail(const SessionFacts& f, const std::string& argument) {
    return verdict_of(f, rules_->on_reverse_path(spam_info_of(f), argument));
}

Verdict SpamFilter::on_rcpt(const SessionFacts& f, const std::string& address, const std::string& raw) {
    return verdict_of(f, rules_->on_recipient(spam_info_of(f), address, raw));
}

Verdict SpamFilter::on_data_end(const SessionFacts& f, const ReceivedMessage& m) {
    return verdict_of(f, rules_->on_message(spam_info_of(f), m.header));
}

Verdict SpamFilter::on_header(const SessionFacts& f, const ReceivedMessage& m) {
    return verdict_of(f, rules_->on_header(spam_info_of(f), m.header));
}

Verdict SpamFilter::on_store(const SessionFacts& f, const ReceivedMessage& m) {
    return verdict_of(f, rules_->on_store(spam_info_of(f), m.header));
}

} // namespace sbbs::smtp
