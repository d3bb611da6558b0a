// The in-process mailbox registry and the combined per-session mailbox lock.
#include "pop3/mailbox_lock.h"

#include <cstdio>

namespace sbbs::pop3 {

std::unique_ptr<MailboxLockRegistry::Hold> MailboxLockRegistry::try_acquire(uint32_t user) {
    std::lock_guard lk(mu_);
    if (!held_.insert(user).second) return nullptr;
    return std::make_unique<Hold>(*this, user);
}

void MailboxLockRegistry::release(uint32_t user) {
    std::lock_guard lk(mu_);
    held_.erase(user);
}

std::unique_ptr<MailboxLock> MailboxLock::acquire(MailboxLockRegistry* registry, const std::string& data_dir,
                                                  uint32_t user) {
    auto lock = std::make_unique<MailboxLock>();
    if (registry && !(lock->hold_ = registry->try_acquire(user))) return nullptr;
    if (data_dir.empty()) return lock;
    char name[32];
    std::snprintf(name, sizeof name, "user/%04u.pop3.lock", unsigned(user));
    bool unavailable = false;
    lock->file_ = LockFile::try_lock(data_dir + name, unavailable);
    if (!lock->file_ && !unavailable) return nullptr;   // held by another session or process
    return lock;
}

} // namespace sbbs::pop3
