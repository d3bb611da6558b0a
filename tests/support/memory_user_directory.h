// In-memory UserDirectory for protocol unit tests.
#pragma once

#include "userbase/name_index.h"
#include "userbase/user_directory.h"
#include "util/strings.h"

#include <map>
#include <set>

namespace sbbs::test {

class MemoryUserDirectory : public UserDirectory {
public:
    std::map<uint32_t, User> users;
    std::map<uint32_t, std::set<std::string>> blocked_tags;
    std::vector<std::pair<uint32_t, LoginRecord>> logins;

    User& add(uint32_t n, std::string alias, std::string password) {
        User u; u.number = n; u.alias = std::move(alias); u.password = std::move(password); u.level = 50;
        return users[n] = u;
    }
    uint32_t last_user_number() override { return users.empty() ? 0 : users.rbegin()->first; }
    unsigned gets = 0;   // how many records were read (ISSUE14: once per recipient)
    Result<User> get(uint32_t n) override {
        ++gets;
        auto it = users.find(n);
        if (it == users.end()) return make_error("no such user", ErrorCode::NotFound);
        return it->second;
    }
    static std::string fold(std::string_view s) {         // USER-19 comparison
        std::string r;
        for (char c : s) {
            if (c == '@') break;
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) r += c;
            else if (c >= 'A' && c <= 'Z') r += char(c + 32);
        }
        return r;
    }
    uint32_t find_by_alias(std::string_view name) override {
        for (auto& [n, u] : users) if (!u.deleted() && !u.alias.empty() && fold(u.alias) == fold(name)) return n;
        return 0;
    }
    uint32_t find_by_alias_8bit(std::string_view name) override {   // name.dat's order, no record read
        for (auto& [n, u] : users)
            if (!u.deleted() && !u.alias.empty() && fold_user_name_8bit(u.alias) == fold_user_name_8bit(name)) return n;
        return 0;
    }
    uint32_t find_by_real_name(std::string_view name) override {
        for (auto& [n, u] : users) if (u.usable() && iequals(u.name, name)) return n;
        return 0;
    }
    uint32_t find_by_netmail(std::string_view a) override {
        for (auto& [n, u] : users) if (u.usable() && iequals(u.netmail, a)) return n;
        return 0;
    }
    uint32_t find_by_ip(std::string_view ip) override {
        for (auto& [n, u] : users) if (u.usable() && u.ipaddr == ip) return n;
        return 0;
    }
    bool has_name_slot(uint32_t n) override { auto it = users.find(n); return it != users.end() && !it->second.deleted(); }
    Status record_login(uint32_t n, const LoginRecord& l) override { logins.push_back({n, l}); return {}; }
    struct Logout { uint32_t user; time_t login, logout; };
    std::vector<Logout> logouts;
    Status record_logout(uint32_t n, time_t login, time_t logout) override {
        logouts.push_back({n, login, logout});
        return {};
    }
    Status count_email_sent(uint32_t n, bool to_sysop) override {
        auto& u = users[n]; (to_sysop ? u.fbacks : u.emails)++; u.etoday++; return {};
    }
    Status count_post(uint32_t n) override { auto& u = users[n]; u.posts++; u.ptoday++; return {}; }
    bool tag_blocked(uint32_t n, std::string_view tag) override {
        auto it = blocked_tags.find(n);
        return it != blocked_tags.end() && it->second.count(to_lower(tag));
    }
};

} // namespace sbbs::test
