// One shared object of a kind per message base for the whole process, keyed
// by the base's canonical path so "data/../data/mail" shares it (the POP3
// sessions, SMTP's group commit and SendMail each hold a store of their own,
// and a SIGHUP builds new stores while old sessions keep theirs).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace sbbs::smb {

// The T of the base at `prefix`; it lives while anyone holds it.
template <class T>
std::shared_ptr<T> shared_for_base(const std::string& prefix) {
    static std::mutex mu;
    static std::map<std::string, std::weak_ptr<T>> objects;   // weak: one ends with its last holder
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(prefix, ec).string();
    if (ec || key.empty()) key = prefix;
    std::lock_guard g(mu);
    for (auto it = objects.begin(); it != objects.end();)     // forget ended ones (bases are few)
        it = it->second.expired() ? objects.erase(it) : std::next(it);
    auto& slot = objects[key];
    auto object = slot.lock();
    if (!object) {
        object = std::make_shared<T>();
        slot = object;
    }
    return object;
}

} // namespace sbbs::smb
