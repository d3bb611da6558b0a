// One POP3 session per mailbox (RFC 1939 section 8, RFC 2449 [IN-USE]): an
// in-process registry shared by the server's sessions plus a lock file that
// also excludes other processes on the same data directory.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace sbbs::pop3 {

// A held exclusive lock on a file; released (not removed) on destruction.
class LockFile {
public:
    // nullptr when another holder has it or the file cannot be opened;
    // `unavailable` tells the two apart (true = could not open at all).
    static std::unique_ptr<LockFile> try_lock(const std::string& path, bool& unavailable);
    ~LockFile();
    LockFile(const LockFile&) = delete;
    LockFile& operator=(const LockFile&) = delete;

private:
    explicit LockFile(intptr_t handle) : handle_(handle) {}
    intptr_t handle_;
};

class MailboxLockRegistry {
public:
    class Hold {
    public:
        Hold(MailboxLockRegistry& r, uint32_t user) : registry_(r), user_(user) {}
        ~Hold() { registry_.release(user_); }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

    private:
        MailboxLockRegistry& registry_;
        uint32_t user_;
    };
    // nullptr when a session of this process already holds `user`'s mailbox.
    std::unique_ptr<Hold> try_acquire(uint32_t user);

private:
    void release(uint32_t user);
    std::mutex mu_;
    std::set<uint32_t> held_;
};

// Both locks for one session: the registry's (when the server gave one) and
// the file <data>user/NNNN.pop3.lock (when that directory exists).
class MailboxLock {
public:
    static std::unique_ptr<MailboxLock> acquire(MailboxLockRegistry* registry, const std::string& data_dir,
                                                uint32_t user);

private:
    std::unique_ptr<MailboxLockRegistry::Hold> hold_;
    std::unique_ptr<LockFile> file_;
};

} // namespace sbbs::pop3
