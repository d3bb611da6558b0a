// setuid/setgid with CAP_NET_BIND_SERVICE kept (see privilege_drop.h).
#include "server/privilege_drop.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SBBS_ASAN_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SBBS_ASAN_BUILD 1
#endif

namespace sbbs {

namespace {

Error sys_error(const std::string& what) { return make_error(what + ": " + std::strerror(errno), ErrorCode::Io); }

struct Account { std::string name; uid_t uid; gid_t gid; };

Result<Account> account_by_uid(uid_t uid, const std::string& fallback_name) {
    std::vector<char> buf(16384);
    passwd pw{}, *found = nullptr;
    if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found)
        return Account{pw.pw_name, pw.pw_uid, pw.pw_gid};
    // A uid without a passwd entry (a chown by number): its own number as group.
    return Account{fallback_name, uid, static_cast<gid_t>(uid)};
}

// A name, or a number as `RunAsUser = 1000`.
Result<Account> account_by_name(const std::string& name) {
    std::vector<char> buf(16384);
    passwd pw{}, *found = nullptr;
    if (getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) == 0 && found)
        return Account{pw.pw_name, pw.pw_uid, pw.pw_gid};
    char* end = nullptr;
    unsigned long n = std::strtoul(name.c_str(), &end, 10);
    if (!name.empty() && end && *end == '\0') return account_by_uid(static_cast<uid_t>(n), name);
    return make_error("[Mail] RunAsUser: no user named '" + name + "'", ErrorCode::NotFound);
}

Result<Account> chosen_account(const std::string& run_as_user, const std::string& data_dir) {
    if (!run_as_user.empty()) return account_by_name(run_as_user);
    struct stat st {};
    if (::stat(data_dir.c_str(), &st) != 0) return sys_error(data_dir);
    return account_by_uid(st.st_uid, std::to_string(st.st_uid));
}

// After setuid with PR_SET_KEEPCAPS the permitted set survives: narrow it to
// CAP_NET_BIND_SERVICE (effective too) and drop everything else for good.
Status keep_only_bind_capability() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    data[0].permitted = data[0].effective = 1u << CAP_NET_BIND_SERVICE;
    if (::syscall(SYS_capset, &header, data) != 0) return sys_error("capset(CAP_NET_BIND_SERVICE)");
    return {};
}

Status switch_to(const Account& a) {
    if (::prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0) return sys_error("prctl(PR_SET_KEEPCAPS)");
    if (::initgroups(a.name.c_str(), a.gid) != 0 && ::setgroups(0, nullptr) != 0) return sys_error("setgroups");
    if (::setgid(a.gid) != 0) return sys_error("setgid(" + std::to_string(a.gid) + ")");
    if (::setuid(a.uid) != 0) return sys_error("setuid(" + std::to_string(a.uid) + ")");
    Status caps = keep_only_bind_capability();
    (void)::prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
    if (!caps) return caps;
    if (::setuid(0) == 0) return make_error("setuid(0) still works after the switch", ErrorCode::Invalid);
#ifdef SBBS_ASAN_BUILD
    // setuid made us non-dumpable; LeakSanitizer's exit check must ptrace us.
    (void)::prctl(PR_SET_DUMPABLE, 1L, 0L, 0L, 0L);
#endif
    return {};
}

} // namespace

Result<PrivilegeDrop> drop_privileges(const std::string& run_as_user, const std::string& data_dir) {
    if (::geteuid() != 0) return PrivilegeDrop{};
    auto account = chosen_account(run_as_user, data_dir);
    if (!account) return account.error();
    if (account->uid == 0) return PrivilegeDrop{false, account->name, 0, 0};
    Status s = switch_to(*account);
    if (!s) return s.error();
    return PrivilegeDrop{true, account->name, account->uid, account->gid};
}

} // namespace sbbs
