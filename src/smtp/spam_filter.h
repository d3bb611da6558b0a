// The anti-spam rules of src/spam as one filter of the SMTP filter chain:
// turns the session's facts into the rules' view and their decisions into
// verdicts and session log lines.
#pragma once

#include "smtp/filter.h"
#include "spam/anti_spam.h"

#include <memory>

namespace sbbs::smtp {

// Shared with the DNSBL filter: the rules' view of the session, and their
// decision as a verdict (its notes written to the session log).
spam::SessionInfo spam_info_of(const SessionFacts& f);
Verdict verdict_of(const SessionFacts& f, const spam::Decision& d);

class SpamFilter : public SmtpFilter {
public:
    explicit SpamFilter(std::shared_ptr<spam::AntiSpam> rules) : rules_(std::move(rules)) {}

    Verdict on_connect(const SessionFacts& f) override;
    Verdict on_mail(const SessionFacts& f, const std::string& argument) override;
    Verdict on_rcpt(const SessionFacts& f, const std::string& address, const std::string& raw) override;
    Verdict on_data_end(const SessionFacts& f, const ReceivedMessage& m) override;
    Verdict on_header(const SessionFacts& f, const ReceivedMessage& m) override;
    Verdict on_store(const SessionFacts& f, const ReceivedMessage& m) override;

private:
    std::shared_ptr<spam::AntiSpam> rules_;
};

} // namespace sbbs::smtp
