// DnsblFilter (see dnsbl_filter.h). A session without a DnsblListing (a test
// double's facts) gets no DNSBL rules.
#include "smtp/dnsbl_filter.h"

#include "smtp/spam_filter.h"
#include "util/strings.h"

namespace sbbs::smtp {

Verdict DnsblFilter::on_connect(const SessionFacts& f) {
    if (!f.dnsbl) return Verdict::pass();
    return verdict_of(f, rules_->on_connect(spam_info_of(f), *f.dnsbl));
}

Verdict DnsblFilter::on_mail(const SessionFacts& f, const std::string& argument) {
    if (!f.dnsbl) return Verdict::pass();
    spam::SessionInfo s = spam_info_of(f);
    std::string arg(trim(argument));                                 // SMTP-95: the path is the first word
    s.reverse_path = arg.substr(0, arg.find(' '));
    return verdict_of(f, rules_->on_reverse_path(s, *f.dnsbl));
}

Verdict DnsblFilter::on_rcpt(const SessionFacts& f, const std::string& address, const std::string&) {
    if (!f.dnsbl) return Verdict::pass();
    spam::SessionInfo s = spam_info_of(f);
    s.last_rcpt = address;                                           // spam.log names the refused recipient
    return verdict_of(f, rules_->on_recipient(s, *f.dnsbl));
}

Verdict DnsblFilter::on_header(const SessionFacts& f, const ReceivedMessage& m) {
    if (!f.dnsbl || !m.marks) return Verdict::pass();
    return verdict_of(f, rules_->on_header(spam_info_of(f), *f.dnsbl, m.header, m.body, *m.marks));
}

Verdict DnsblFilter::on_store(const SessionFacts& f, const ReceivedMessage& m) {
    if (!f.dnsbl) return Verdict::pass();
    return verdict_of(f, rules_->on_store(spam_info_of(f), *f.dnsbl, m.header, m.body));
}

} // namespace sbbs::smtp
