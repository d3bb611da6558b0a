// Postfix's smtp-sink on 127.0.0.1 and a free port, dumping each message to
// a temp directory; stopped by the destructor. Absent binary: not running().
#pragma once

#include "unit/dns/dnsmasq_server.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace sbbs::test {

class SmtpSink {
public:
    // `extra`: smtp-sink options such as {"-r", "rcpt"}.
    explicit SmtpSink(std::vector<std::string> extra = {}) {
        binary_ = find_binary("smtp-sink");
        if (binary_.empty()) return;
        char tmpl[] = "/tmp/sbbs-sink-XXXXXX";
        if (!mkdtemp(tmpl)) return;
        dir_ = tmpl;
        chmod(dir_.c_str(), 0777);   // it writes as "nobody"
        port_ = free_loopback_port();
        std::vector<std::string> args = {"smtp-sink", "-u", "nobody", "-d", dir_ + "/%H%M%S."};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back("127.0.0.1:" + std::to_string(port_));
        args.push_back("10");
        pid_ = fork();
        if (pid_ == 0) {
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            int devnull = ::open("/dev/null", O_WRONLY);
            if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
            execv(binary_.c_str(), argv.data());
            _exit(127);
        }
        for (int i = 0; i < 100 && !ready_; ++i) {
            int st = 0;
            if (waitpid(pid_, &st, WNOHANG) == pid_) { pid_ = -1; return; }
            int s = socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(port_);
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            ready_ = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            close(s);
            if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ~SmtpSink() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int st = 0;
            waitpid(pid_, &st, 0);
        }
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    bool running() const { return ready_; }
    uint16_t port() const { return port_; }
    std::string why_not() const {
        return binary_.empty() ? "smtp-sink not installed (apt-get install postfix)" : "smtp-sink did not start";
    }
    // Every dumped message file's content.
    std::vector<std::string> dumps() const {
        std::vector<std::string> out;
        for (auto& e : std::filesystem::recursive_directory_iterator(dir_)) {
            if (!e.is_regular_file()) continue;
            std::ifstream in(e.path(), std::ios::binary);
            out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        return out;
    }

private:
    std::string binary_, dir_;
    uint16_t port_ = 0;
    pid_t pid_ = -1;
    bool ready_ = false;
};

} // namespace sbbs::test
