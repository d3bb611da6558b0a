// A real Postfix on 127.0.0.1 and a free port, configured in a temp
// directory of its own (config, queue and data directories), delivering
// every recipient of its virtual domains to one Maildir there; optionally
// requiring SASL AUTH (PLAIN, LOGIN) through a Dovecot auth service run from
// the same directory. Stopped (both) by the destructor. Needs root, postfix
// and, for SASL, dovecot-core; otherwise not running(), with why_not().
#pragma once

#include "unit/dns/dnsmasq_server.h"

#include <filesystem>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <string>
#include <vector>

namespace sbbs::test {

class PostfixServer {
public:
    struct Options {
        std::vector<std::string> domains = {"dest.test"};   // delivered to the Maildir
        std::string sasl_user, sasl_password;              // set: AUTH required to send
        std::string extra_main;                            // more main.cf lines
    };

    explicit PostfixServer(Options o) : o_(std::move(o)) {
        postfix_ = find_binary("postfix");
        if (postfix_.empty()) { why_ = "postfix not installed (apt-get install postfix)"; return; }
        if (geteuid() != 0) { why_ = "Postfix needs root to start"; return; }
        passwd* pw = getpwnam("postfix");   // static storage: copy before the next call
        if (!pw) { why_ = "no postfix user"; return; }
        postfix_uid_ = pw->pw_uid;
        postfix_gid_ = pw->pw_gid;
        passwd* nobody = getpwnam("nobody");
        if (!nobody) { why_ = "no nobody user"; return; }
        uid_t box_uid = nobody->pw_uid;
        gid_t box_gid = nobody->pw_gid;
        char tmpl[] = "/tmp/sbbs-postfix-XXXXXX";
        if (!mkdtemp(tmpl)) { why_ = "mkdtemp failed"; return; }
        dir_ = tmpl;
        namespace fs = std::filesystem;
        fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
        for (const char* d : {"conf", "queue", "data", "mail"}) fs::create_directory(dir_ + "/" + d);
        (void)!chown((dir_ + "/data").c_str(), postfix_uid_, postfix_gid_);
        (void)!chown((dir_ + "/mail").c_str(), box_uid, box_gid);
        port_ = free_loopback_port();
        bool sasl = !o_.sasl_user.empty();
        if (sasl && !start_dovecot()) return;
        write_config(sasl, box_uid, box_gid);
        if (run({postfix_, "-c", dir_ + "/conf", "start"}) != 0) { why_ = "postfix start failed: " + log(); return; }
        started_ = true;
        ready_ = wait_port(port_);
        if (!ready_) why_ = "postfix did not listen: " + log();
    }
    ~PostfixServer() {
        if (started_) run({postfix_, "-c", dir_ + "/conf", "stop"});
        if (dovecot_pid_ > 0) {
            kill(dovecot_pid_, SIGTERM);
            int st = 0;
            waitpid(dovecot_pid_, &st, 0);
        }
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    PostfixServer(const PostfixServer&) = delete;
    PostfixServer& operator=(const PostfixServer&) = delete;

    bool running() const { return ready_; }
    std::string why_not() const { return why_; }
    uint16_t port() const { return port_; }
    std::string log() const {
        std::ifstream in(dir_ + "/maillog");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    // The delivered messages (Maildir new/), waiting up to `n` to arrive
    // (Postfix hands mail to its local delivery agent asynchronously).
    std::vector<std::string> messages(size_t n, int wait_ms = 10000) const {
        std::vector<std::string> out;
        for (int waited = 0;; waited += 50) {
            out.clear();
            std::error_code ec;
            for (auto& e : std::filesystem::directory_iterator(dir_ + "/mail/box/new", ec)) {
                std::ifstream in(e.path(), std::ios::binary);
                out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            }
            if (out.size() >= n || waited >= wait_ms) return out;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

private:
    static int run(const std::vector<std::string>& args) {
        pid_t pid = fork();
        if (pid == 0) {
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            int devnull = ::open("/dev/null", O_WRONLY);
            if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
            execv(argv[0], argv.data());
            _exit(127);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    static bool wait_port(uint16_t port) {
        for (int i = 0; i < 200; ++i) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(port);
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            close(s);
            if (ok) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    bool start_dovecot() {
        std::string dovecot = find_binary("dovecot");
        if (dovecot.empty()) { why_ = "dovecot not installed (apt-get install dovecot-core)"; return false; }
        std::string d = dir_ + "/dovecot";
        std::filesystem::create_directory(d);
        // Postfix's own private/ (postfix, 0700) holds the auth socket.
        std::filesystem::create_directories(dir_ + "/queue/private");
        (void)!chown((dir_ + "/queue/private").c_str(), postfix_uid_, postfix_gid_);
        std::filesystem::permissions(dir_ + "/queue/private", std::filesystem::perms::owner_all);
        std::ofstream(d + "/users") << o_.sasl_user << ":{PLAIN}" << o_.sasl_password << "\n";
        std::ofstream(d + "/dovecot.conf")
            << "base_dir = " << d << "/run\nstate_dir = " << d << "/state\nprotocols =\n"
            << "log_path = " << d << "/dovecot.log\nssl = no\nauth_mechanisms = plain login\nauth_failure_delay = 0\n"
            << "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " << d << "/users\n}\n"
            << "userdb {\n  driver = static\n  args = uid=65534 gid=65534 home=" << d << "/home\n}\n"
            << "service auth {\n  unix_listener " << auth_socket() << " {\n    mode = 0666\n  }\n}\n";
        dovecot_pid_ = fork();
        if (dovecot_pid_ == 0) {
            std::string conf = d + "/dovecot.conf";
            int devnull = ::open("/dev/null", O_WRONLY);
            if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
            execl(dovecot.c_str(), "dovecot", "-F", "-c", conf.c_str(), (char*)nullptr);
            _exit(127);
        }
        for (int i = 0; i < 200; ++i) {
            if (std::filesystem::exists(auth_socket())) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        why_ = "dovecot auth did not start";
        return false;
    }
    std::string auth_socket() const { return dir_ + "/queue/private/auth"; }

    void write_config(bool sasl, uid_t uid, gid_t gid) {
        std::string domains;
        for (auto& d : o_.domains) domains += (domains.empty() ? "" : ", ") + d;
        std::ofstream main(dir_ + "/conf/main.cf");
        main << "compatibility_level = 3.6\nqueue_directory = " << dir_ << "/queue\ndata_directory = " << dir_
             << "/data\nmail_owner = postfix\nsetgid_group = postdrop\ninet_interfaces = 127.0.0.1\n"
             << "inet_protocols = ipv4\nmyhostname = mx.postfix.test\nmydomain = postfix.test\n"
             << "mydestination =\nrelay_domains =\nalias_maps =\nalias_database =\nlocal_recipient_maps =\n"
             << "virtual_mailbox_domains = " << domains << "\nvirtual_mailbox_base = " << dir_ << "/mail\n"
             << "virtual_mailbox_maps = static:box/\nvirtual_uid_maps = static:" << uid
             << "\nvirtual_gid_maps = static:" << gid << "\nvirtual_minimum_uid = 1\n"
             << "maillog_file_prefixes = /tmp\nmaillog_file = " << dir_ << "/maillog\n"
             // Keep the message as sent: no header rewriting for loopback clients.
             << "local_header_rewrite_clients =\nsmtputf8_enable = no\nbiff = no\n" << o_.extra_main;
        if (sasl)
            main << "mynetworks = 192.0.2.0/24\nsmtpd_sasl_auth_enable = yes\nsmtpd_sasl_type = dovecot\n"
                 << "smtpd_sasl_path = " << auth_socket() << "\n"
                 << "smtpd_relay_restrictions = permit_sasl_authenticated, reject\n";
        else
            main << "mynetworks = 127.0.0.0/8\n"
                 << "smtpd_relay_restrictions = reject_unauth_destination\n";
        std::ofstream master(dir_ + "/conf/master.cf");
        master << "127.0.0.1:" << port_ << " inet n - n - - smtpd\n";
        for (const char* line :
             {"cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr", "rewrite unix - - n - - trivial-rewrite",
              "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
              "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
              "smtp unix - - n - - smtp", "relay unix - - n - - smtp", "showq unix n - n - - showq",
              "error unix - - n - - error", "retry unix - - n - - error", "discard unix - - n - - discard",
              "local unix - n n - - local", "virtual unix - n n - - virtual", "anvil unix - - n - 1 anvil",
              "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd"})
            master << line << "\n";
    }

    Options o_;
    std::string postfix_, dir_, why_;
    uint16_t port_ = 0;
    bool started_ = false, ready_ = false;
    pid_t dovecot_pid_ = -1;
    uid_t postfix_uid_ = 0;
    gid_t postfix_gid_ = 0;
};

} // namespace sbbs::test
