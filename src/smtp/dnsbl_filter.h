// The DNSBL rules of src/spam (smtp.md section 17) as one filter of the SMTP
// filter chain, after the connection and list checks of SpamFilter.
#pragma once

#include "smtp/filter.h"
#include "spam/dnsbl.h"

#include <memory>

namespace sbbs::smtp {

class DnsblFilter : public SmtpFilter {
public:
    explicit DnsblFilter(std::shared_ptr<spam::Dnsbl> rules) : rules_(std::move(rules)) {}

    Verdict on_connect(const SessionFacts& f) override;
    Verdict on_mail(const SessionFacts& f, const std::string& argument) override;
    Verdict on_rcpt(const SessionFacts& f, const std::string& address, const std::string& raw) override;
    Verdict on_header(const SessionFacts& f, const ReceivedMessage& m) override;
    Verdict on_store(const SessionFacts& f, const ReceivedMessage& m) override;

private:
    std::shared_ptr<spam::Dnsbl> rules_;
};

} // namespace sbbs::smtp
