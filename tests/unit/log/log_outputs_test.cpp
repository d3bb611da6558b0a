#include "log/log_outputs.h"
#include "log/session_log.h"
#include "log/spy_log.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

using namespace sbbs;
namespace fs = std::filesystem;

namespace {

struct TempLogs {
    fs::path path;
    TempLogs() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("sbbsmail-logs-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempLogs() { std::error_code ec; fs::remove_all(path, ec); }
    std::string dir() const { return path.string() + "/"; }
    std::string read(const std::string& name) const {
        std::ifstream in(path / name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

} // namespace

TEST_CASE("SMTP-252 log outputs: LogLevel filters terminal and file, error.log gets every error", "[log]") {
    TempLogs logs;
    LogOutputOptions opt;
    opt.logs_dir = logs.dir();
    opt.level = LogLevel::Notice;
    opt.host_name = "bbs.example.com";
    opt.terminal = false;
    auto log = LogOutputs::open(opt);
    REQUIRE(log.ok());
    CHECK((*log)->file_path() == logs.dir() + "logs/mail.log");
    SessionLog s((*log)->logger(), 4, "SMTP", "127.0.0.2");
    s.info("Connection accepted");
    s.notice("!CLIENT BLOCKED in ip.can");
    s.error("!ERROR 28 writing data/mail.sdt");
    const std::string file = logs.read("logs/mail.log");
    CHECK(file.find("Connection accepted") == std::string::npos);
    CHECK(file.find("mail 0004 SMTP  [127.0.0.2] !CLIENT BLOCKED in ip.can\n") != std::string::npos);
    CHECK(file.find("!ERROR 28") != std::string::npos);
    (*log)->apply(LogLevel::Critical);
    s.error("!ERROR 5 second error");
    CHECK(logs.read("logs/mail.log").find("second error") == std::string::npos);
    const std::string errors = logs.read("error.log");
    CHECK(errors.find("bbs.example.com\r\nmail 0004 SMTP  [127.0.0.2] !ERROR 28 writing data/mail.sdt\r\n\r\n") !=
          std::string::npos);
    CHECK(errors.find("second error") != std::string::npos);
    CHECK(errors.find("CLIENT BLOCKED") == std::string::npos);
}

TEST_CASE("CFG-148 SMTP-34 spied sessions append every line to <logs><protocol>spy.txt", "[log]") {
    TempLogs logs;
    CHECK(spy_log_path(logs.dir(), "SMTPS") == logs.dir() + "smtpsspy.txt");
    {
        auto spy = SpyLog::open(logs.dir(), "SMTP");
        REQUIRE(spy.ok());
        (*spy)->write("EHLO spammer.example  ");
        (*spy)->write("Subject: hello");
    }
    auto again = SpyLog::open(logs.dir(), "SMTP");
    REQUIRE(again.ok());
    (*again)->write("QUIT");
    CHECK(logs.read("smtpspy.txt") == "EHLO spammer.example\nSubject: hello\nQUIT\n");
}

TEST_CASE("SMTP-84 the AUTH PLAIN line reaches the spy log masked", "[log]") {
    TempLogs logs;
    auto spy = SpyLog::open(logs.dir(), "SMTP");
    REQUIRE(spy.ok());
    (*spy)->write("AUTH PLAIN AGpvaG4Ac2VjcmV0");
    (*spy)->write("MAIL FROM:<john@example.com>");  // no continuation state: logged as is
    CHECK(logs.read("smtpspy.txt") == "AUTH PLAIN ********\nMAIL FROM:<john@example.com>\n");
}

TEST_CASE("SMTP-84 AUTH LOGIN's user name and password lines reach the spy log masked", "[log]") {
    TempLogs logs;
    auto spy = SpyLog::open(logs.dir(), "SMTP");
    REQUIRE(spy.ok());
    (*spy)->write("AUTH LOGIN");
    (*spy)->write("am9obg==");       // "john"
    (*spy)->write("c2VjcmV0");       // "secret"
    (*spy)->write("MAIL FROM:<john@example.com>");
    std::string log = logs.read("smtpspy.txt");
    CHECK(log.find("c2VjcmV0") == std::string::npos);
    CHECK(log.find("am9obg==") == std::string::npos);
    CHECK(log.find("MAIL FROM:<john@example.com>\n") != std::string::npos);
}

TEST_CASE("SMTP-260 POP3-118 a repeated error from the same place is a WARNING, kept out of error.log", "[log]") {
    TempLogs logs;
    LogOutputOptions opt;
    opt.logs_dir = logs.dir();
    opt.terminal = false;
    auto log = LogOutputs::open(opt);
    REQUIRE(log.ok());
    SessionLog a((*log)->logger(), 4, "POP3", "127.0.0.2");
    SessionLog b((*log)->logger(), 5, "POP3", "127.0.0.3");
    a.set_repeated_errors(&(*log)->repeated_errors());
    b.set_repeated_errors(&(*log)->repeated_errors());
    a.error_at("pop3.open_mailbox", LogLevel::Error, "!ERROR 1 opening mail base (first)");
    b.error_at("pop3.open_mailbox", LogLevel::Error, "!ERROR 1 opening mail base (again)");
    a.error_at("pop3.read_index", LogLevel::Error, "!ERROR 2 reading index");
    b.error_at("pop3.open_mailbox", LogLevel::Critical, "!ERROR 1 opening mail base (after another)");
    const std::string errors = logs.read("error.log");
    CHECK(errors.find("(first)") != std::string::npos);
    CHECK(errors.find("(again)") == std::string::npos);
    CHECK(errors.find("reading index") != std::string::npos);
    CHECK(errors.find("(after another)") != std::string::npos);
    CHECK(logs.read("logs/mail.log").find("(again)") != std::string::npos);  // still shown
    RepeatedErrors r;
    CHECK(r.level_for(LogLevel::Notice, "x") == LogLevel::Notice);
    CHECK(r.level_for(LogLevel::Notice, "x") == LogLevel::Notice);  // never raised
}
