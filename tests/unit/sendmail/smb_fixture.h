// A temp copy of the shared SMB mail base written by the original, opened
// with our SmbMailStore, and its consistency check (tests on a real base).
#pragma once

#include "harness.h"

#include "msgbase/checker.h"
#include "msgbase/smb_mail_store.h"

#include <filesystem>

namespace sbbs::test {

inline std::string fixture_mail_dir() {
    namespace fs = std::filesystem;
    if (const char* e = getenv("SBBSMAIL_FIXTURES")) return std::string(e) + "/msgbase/mail/";
    for (fs::path p = fs::current_path(); !p.empty() && p != p.parent_path(); p = p.parent_path())
        if (fs::exists(p / "shared/fixtures/msgbase/mail")) return (p / "shared/fixtures/msgbase/mail/").string();
    return "/work/shared/fixtures/msgbase/mail/";
}

// The fixture's mail base copied into `dir`; "" when the fixture is absent.
inline std::string copy_mail_base(const TempDir& dir) {
    namespace fs = std::filesystem;
    std::string src = fixture_mail_dir();
    if (!fs::exists(src + "mail.shd")) return {};
    for (const char* ext : {".shd", ".sdt", ".sid", ".sha", ".sda", ".ini"}) {
        if (!fs::exists(src + "mail" + ext)) continue;
        fs::copy_file(src + "mail" + ext, dir.path + "mail" + ext, fs::copy_options::overwrite_existing);
        fs::permissions(dir.path + "mail" + ext, fs::perms::owner_read | fs::perms::owner_write);
    }
    return dir.path + "mail";
}

inline std::unique_ptr<smb::SmbMailStore> open_store(const std::string& prefix) {
    smb::BaseOptions o;
    return std::make_unique<smb::SmbMailStore>(prefix, o, nullptr);
}

inline std::string problems(const std::string& prefix) {
    std::string out;
    for (auto& p : smb::check_base(prefix)) out += smb::describe(p) + "\n";
    return out;
}

} // namespace sbbs::test
