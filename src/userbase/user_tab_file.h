// Record-level access to user.tab under the BBS's byte-range locks
// (USER-7, USER-8, USER-46..49).
#pragma once

#include "userbase/record_lock.h"
#include "userbase/user_record.h"
#include "util/result.h"

#include <functional>
#include <string>
#include <vector>

namespace sbbs {

class UserTabFile {
public:
    // Builds the field changes from the freshly re-read record.
    using Edit = std::function<Result<std::vector<FieldChange>>(const UserRecord&)>;

    UserTabFile(std::string path, RetryPolicy retry) : path_(std::move(path)), retry_(std::move(retry)) {}
    const std::string& path() const { return path_; }

    Result<uint32_t> last_user() const;                 // USER-8
    Result<UserRecord> read(uint32_t number) const;     // USER-47
    // USER-48: exclusive lock, re-read, apply `edit`, write the 1000 bytes
    // back, unlock. Never extends the file (USER-1).
    Status update(uint32_t number, const Edit& edit) const;
    // Every whole record, for sequential scans (USER-22, USER-23).
    Result<std::vector<UserRecord>> read_all() const;

private:
    std::string path_;
    RetryPolicy retry_;
};

} // namespace sbbs
