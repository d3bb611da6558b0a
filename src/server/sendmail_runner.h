// The SendMail thread with everything it uses, built from one snapshot;
// destroyed (thread stopped and joined) at shutdown or replaced on reload.
#pragma once

#include "config/settings.h"
#include "log/logger.h"

#include <memory>

namespace sbbs {

class Database;

class SendMailRunner {
public:
    // Starts the thread unless NO_SENDMAIL (SEND-6); problems are logged.
    static std::unique_ptr<SendMailRunner> start(ConfigPtr config, std::shared_ptr<Database> db, Logger& log);
    ~SendMailRunner();   // stops and joins the thread
    SendMailRunner(const SendMailRunner&) = delete;
    SendMailRunner& operator=(const SendMailRunner&) = delete;

    struct Parts;

private:
    explicit SendMailRunner(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> parts_;
};

} // namespace sbbs
