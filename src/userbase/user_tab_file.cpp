// user.tab is opened anew for each operation, as the original does, so two
// of our own threads hold distinct open file descriptions and their
// byte-range locks exclude each other as well as the BBS's.
#include "userbase/user_tab_file.h"

namespace sbbs {
namespace {

Status check_number(uint32_t number, uint64_t size, const std::string& path) {
    if (number == 0 || number > size / kUserRecordLen)
        return make_error(path + ": no such user #" + std::to_string(number), ErrorCode::NotFound);
    return {};
}

// user.tab itself missing (a restore in progress, a slip of the sysop) is
// a fault of the install, not "no such user": callers answer it as a
// temporary failure, never as a permanent 550 Unknown User.
Result<platform::File> open_tab(const std::string& path, platform::OpenMode mode) {
    auto f = platform::File::open(path, mode);
    if (!f && f.error().code == ErrorCode::NotFound)
        return make_error(path + ": user base file missing", ErrorCode::Io);
    return f;
}

} // namespace

Result<uint32_t> UserTabFile::last_user() const {
    auto f = open_tab(path_, platform::OpenMode::Read);
    if (!f) return f.error();
    auto size = f->size();
    if (!size) return size.error();
    return static_cast<uint32_t>(*size / kUserRecordLen);
}

Result<UserRecord> UserTabFile::read(uint32_t number) const {
    auto f = open_tab(path_, platform::OpenMode::Read);
    if (!f) return f.error();
    auto size = f->size();
    if (!size) return size.error();
    if (Status s = check_number(number, *size, path_); !s) return s.error();
    const uint64_t offset = uint64_t(number - 1) * kUserRecordLen;
    auto lock = lock_range(*f, offset, kUserRecordLen, platform::LockKind::Shared, retry_);
    if (!lock) return lock.error();
    std::string raw(kUserRecordLen, '\0');
    if (Status s = f->read_at(offset, raw.data(), raw.size()); !s) return s.error();
    return UserRecord(std::move(raw));
}

Status UserTabFile::update(uint32_t number, const Edit& edit) const {
    auto f = open_tab(path_, platform::OpenMode::ReadWrite);
    if (!f) return f.error();
    auto size = f->size();
    if (!size) return size.error();
    if (Status s = check_number(number, *size, path_); !s) return s;
    const uint64_t offset = uint64_t(number - 1) * kUserRecordLen;
    auto lock = lock_range(*f, offset, kUserRecordLen, platform::LockKind::Exclusive, retry_);
    if (!lock) return lock.error();
    std::string raw(kUserRecordLen, '\0');
    if (Status s = f->read_at(offset, raw.data(), raw.size()); !s) return s;
    UserRecord record(std::move(raw));
    auto changes = edit(record);
    if (!changes) return changes.error();
    if (changes->empty()) return {};
    auto updated = record.with(*changes);
    if (!updated) return updated.error();
    return f->write_at(offset, *updated);
}

Result<std::vector<UserRecord>> UserTabFile::read_all() const {
    auto f = open_tab(path_, platform::OpenMode::Read);
    if (!f) return f.error();
    auto bytes = f->read_all();
    if (!bytes) return bytes.error();
    std::vector<UserRecord> out;
    const size_t n = bytes->size() / kUserRecordLen;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i)
        out.emplace_back(bytes->substr(i * kUserRecordLen, kUserRecordLen));
    return out;
}

} // namespace sbbs
