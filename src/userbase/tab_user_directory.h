// The real UserDirectory: data/user/user.tab and name.dat, shared with the
// running BBS through its locks (userbase.md sections 1-8).
#pragma once

#include "userbase/node_file.h"
#include "userbase/user_directory.h"
#include "userbase/user_paths.h"
#include "userbase/user_tab_file.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sbbs {

struct Config;

struct TabUserDirectoryOptions {
    std::string data_dir;                  // '/'-terminated
    std::string node_dab;                  // "" = no node.dab updates (USER-45)
    unsigned nodes = 0;
    RetryPolicy retry;
    std::function<time_t()> clock;         // default: time(nullptr)
};

class TabUserDirectory : public UserDirectory {
public:
    // USER-3/USER-4: fails when user.tab is missing, naming the path or
    // telling the sysop to run the v3.20 upgrade.
    static Result<std::unique_ptr<TabUserDirectory>> open(TabUserDirectoryOptions options);
    static Result<std::unique_ptr<TabUserDirectory>> open(const Config& cfg);

    // USER-25: record-count and alias mismatches between user.tab and name.dat.
    std::vector<std::string> consistency_warnings();

    uint32_t last_user_number() override;
    Result<User> get(uint32_t number) override;
    uint32_t find_by_alias(std::string_view name) override;
    uint32_t find_by_alias_8bit(std::string_view name) override;
    uint32_t find_by_real_name(std::string_view name) override;
    uint32_t find_by_netmail(std::string_view address) override;
    uint32_t find_by_ip(std::string_view ip) override;
    bool has_name_slot(uint32_t number) override;
    bool available() override;
    Status record_login(uint32_t number, const LoginRecord& login) override;
    Status count_email_sent(uint32_t number, bool to_sysop) override;
    Status count_post(uint32_t number) override;
    bool tag_blocked(uint32_t number, std::string_view tag) override;
    Status record_logout(uint32_t number, time_t login, time_t logout) override;

    const std::string& user_dir() const { return user_dir_; }

private:
    explicit TabUserDirectory(TabUserDirectoryOptions options);
    time_t now() const;
    Result<std::string> read_name_dat() const;
    // First usable record whose field `f` equals `value` ignoring ASCII case.
    uint32_t scan_usable(userfield::Field f, std::string_view value);
    // +1 on each of `counters`, resetting the daily counters first when the
    // RESET date is not today (USER-17, USER-42, USER-43).
    Status bump(uint32_t number, std::vector<userfield::Field> counters);
    void after_write(uint32_t number);

    TabUserDirectoryOptions opt_;
    std::string user_dir_;
    UserTabFile tab_;
    std::optional<NodeFile> nodes_;
};

} // namespace sbbs
