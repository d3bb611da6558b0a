// A UserDirectory seen through a memo of the records read: one RCPT resolves
// the name (which reads the user's record) and then checks the same record
// again; with the memo the user base is read once per recipient, not twice.
// Lives for one command, so an edit of the user base is seen by the next one.
#pragma once

#include "userbase/user_directory.h"

#include <cstdint>
#include <optional>

namespace sbbs::smtp {

class UserReadMemo : public UserDirectory {
public:
    explicit UserReadMemo(UserDirectory& base) : base_(base) {}

    // The last record read, kept only when it was read (a failure is asked again).
    Result<User> get(uint32_t number) override {
        if (number_ == number && user_) return *user_;
        auto u = base_.get(number);
        if (u.ok()) {
            number_ = number;
            user_ = *u;
        }
        return u;
    }
    uint32_t last_user_number() override { return base_.last_user_number(); }
    uint32_t find_by_alias(std::string_view name) override { return base_.find_by_alias(name); }
    uint32_t find_by_alias_8bit(std::string_view name) override { return base_.find_by_alias_8bit(name); }
    uint32_t find_by_real_name(std::string_view name) override { return base_.find_by_real_name(name); }
    uint32_t find_by_netmail(std::string_view address) override { return base_.find_by_netmail(address); }
    uint32_t find_by_ip(std::string_view ip) override { return base_.find_by_ip(ip); }
    bool has_name_slot(uint32_t number) override { return base_.has_name_slot(number); }
    bool available() override { return base_.available(); }
    // Writes go straight through and forget the memo: the record changed.
    Status record_login(uint32_t number, const LoginRecord& login) override {
        user_.reset();
        return base_.record_login(number, login);
    }
    Status count_email_sent(uint32_t number, bool to_sysop) override {
        user_.reset();
        return base_.count_email_sent(number, to_sysop);
    }
    Status count_post(uint32_t number) override {
        user_.reset();
        return base_.count_post(number);
    }
    bool tag_blocked(uint32_t number, std::string_view tag) override { return base_.tag_blocked(number, tag); }
    Status record_logout(uint32_t number, time_t login, time_t logout) override {
        user_.reset();
        return base_.record_logout(number, login, logout);
    }

private:
    UserDirectory& base_;
    uint32_t number_ = 0;
    std::optional<User> user_;
};

} // namespace sbbs::smtp
