#include "log/capture_logger.h"
#include "log/error_log.h"
#include "log/hack_log.h"
#include "log/file_logger.h"
#include "log/line_stamp.h"
#include "log/printable_text.h"
#include "log/spy_log.h"
#include "log/stream_logger.h"
#include "log/syslog_logger.h"
#include "log/tee_logger.h"
#include "log/threshold_logger.h"

#include <catch.hpp>

#include <filesystem>
#include <cctype>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

using namespace sbbs;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("sbbsmail-log-" + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempDir() { std::error_code ec; fs::remove_all(path, ec); }
};

std::vector<std::string> read_lines(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

// `shape`: 9 = a digit, A = upper-case, a = lower-case letter, else literal.
bool matches_shape(const std::string& s, std::string_view shape) {
    if (s.size() != shape.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const bool ok = shape[i] == '9' ? std::isdigit(c) != 0
                      : shape[i] == 'A' ? std::isupper(c) != 0
                      : shape[i] == 'a' ? std::islower(c) != 0
                                        : s[i] == shape[i];
        if (!ok) return false;
    }
    return true;
}

} // namespace

TEST_CASE("SMTP-251 console stamp is <month>/<day> HH:MM:SS mail", "[log]") {
    const std::string s = console_stamp(std::time(nullptr));
    CHECK((matches_shape(s, "9/9 99:99:99 mail ") || matches_shape(s, "99/9 99:99:99 mail ") ||
           matches_shape(s, "9/99 99:99:99 mail ") || matches_shape(s, "99/99 99:99:99 mail ")));
}

TEST_CASE("file logger appends under <logs>/logs/ and creates the directory", "[log]") {
    TempDir dir;
    const std::string path = mail_log_path(dir.path.string() + "/");
    CHECK(path == dir.path.string() + "/logs/mail.log");
    {
        auto f = FileLogger::open(path);
        REQUIRE(f.ok());
        (*f)->log(LogLevel::Info, "0001 SMTP  [127.0.0.2] first");
    }
    {
        auto f = FileLogger::open(path);
        REQUIRE(f.ok());
        (*f)->log(LogLevel::Info, "second\r\ninjected\x7f  ");
        // Visible immediately (tail -f), before the logger closes.
        auto lines = read_lines(path);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0].find("mail 0001 SMTP  [127.0.0.2] first") != std::string::npos);
        CHECK(lines[1].substr(lines[1].find("mail ")) == "mail second^M^Jinjected^?");
    }
}

TEST_CASE("file logger reopen continues in a new file after rotation", "[log]") {
    TempDir dir;
    const std::string path = (dir.path / "logs" / "mail.log").string();
    auto f = FileLogger::open(path);
    REQUIRE(f.ok());
    (*f)->log(LogLevel::Info, "before");
    fs::rename(path, path + ".1");
    REQUIRE((*f)->reopen().ok());
    (*f)->log(LogLevel::Info, "after");
    CHECK(read_lines(path).size() == 1);
    CHECK(read_lines(path + ".1").size() == 1);
}

TEST_CASE("file logger reports a path it cannot open", "[log]") {
    TempDir dir;
    const fs::path blocker = dir.path / "file";
    std::ofstream(blocker) << "x";
    auto f = FileLogger::open((blocker / "mail.log").string());
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().message.find("file") != std::string::npos);
}

TEST_CASE("concurrent sessions never interleave inside a line", "[log]") {
    TempDir dir;
    const std::string path = (dir.path / "mail.log").string();
    auto f = FileLogger::open(path);
    REQUIRE(f.ok());
    Logger& log = **f;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&log, t] {
            for (int i = 0; i < 200; ++i) log.log(LogLevel::Info, std::string(100, char('a' + t)));
        });
    for (auto& t : threads) t.join();
    auto lines = read_lines(path);
    REQUIRE(lines.size() == 800);
    for (const auto& l : lines) {
        const std::string body = l.substr(l.find("mail ") + 5);
        REQUIRE(body.size() == 100);
        CHECK(body.find_first_not_of(body[0]) == std::string::npos);
    }
}

TEST_CASE("tee sends a line to every enabled sink", "[log]") {
    auto a = std::make_shared<CaptureLogger>();
    auto b = std::make_shared<CaptureLogger>();
    auto quiet_b = std::make_shared<ThresholdLogger>(b, LogLevel::Warning);
    TeeLogger tee({a, quiet_b});
    tee.log(LogLevel::Info, "info line");
    tee.log(LogLevel::Error, "error line");
    CHECK(a->lines().size() == 2);
    REQUIRE(b->lines().size() == 1);
    CHECK(b->lines()[0].text == "error line");
    CHECK(tee.enabled(LogLevel::Debug));
}

TEST_CASE("capture logger finds lines by level and fragment", "[log]") {
    CaptureLogger cap;
    cap.log(LogLevel::Notice, "0001 SMTP  [1.2.3.4] !TEMPORARY BAN");
    CHECK(cap.contains("TEMPORARY BAN"));
    CHECK(cap.contains(LogLevel::Notice, "TEMPORARY"));
    CHECK_FALSE(cap.contains(LogLevel::Info, "TEMPORARY"));
    CHECK(cap.dump().find("5 0001 SMTP") != std::string::npos);
    cap.clear();
    CHECK(cap.lines().empty());
}

TEST_CASE("SMTP-252 error lines also go to error.log with the original's entry shape", "[log]") {
    TempDir dir;
    ErrorLogFile err(dir.path.string() + "/", "sbbsmail/0.1", "bbs.example.com",
                     [] { return std::time_t{1'700'000'000}; });
    auto cap = std::make_shared<CaptureLogger>();
    auto quiet = std::make_shared<ThresholdLogger>(cap, LogLevel::Critical);
    auto err_ptr = std::shared_ptr<Logger>(&err, [](Logger*) {});
    TeeLogger tee({quiet, err_ptr});
    tee.log(LogLevel::Warning, "0003 SMTP  [127.0.0.2] !TIMEOUT");
    tee.log(LogLevel::Error, "0003 SMTP  [127.0.0.2] !ERROR 28 writing");
    CHECK(cap->lines().empty());  // below the console threshold, still in error.log
    std::ifstream in(err.path(), std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), {});
    const std::string stamp = ctime_text(1'700'000'000);
    CHECK((matches_shape(stamp, "Aaa Aaa 99 99:99:99 9999") || matches_shape(stamp, "Aaa Aaa  9 99:99:99 9999")));
    CHECK(all == stamp + " sbbsmail/0.1 bbs.example.com\r\nmail 0003 SMTP  [127.0.0.2] !ERROR 28 writing\r\n\r\n");
}

TEST_CASE("SMTP-79 hack.log entry shape, without the attempted password", "[log]") {
    TempDir dir;
    HackAttempt a{"SMTP LOGIN", "sysop", "Fri Aug 21 2026 10:07 pm", 40123, "<no name>", "192.0.2.7", true};
    REQUIRE(append_hack_log(dir.path.string() + "/", a).ok());
    a.password_given = false;
    REQUIRE(append_hack_log(dir.path.string() + "/", a).ok());
    std::ifstream in(dir.path / "hack.log", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), {});
    const std::string head =
        "SUSPECTED SMTP LOGIN HACK ATTEMPT for user 'sysop' on Fri Aug 21 2026 10:07 pm\r\n"
        "Using port 40123 at <no name> [192.0.2.7]\r\n";
    CHECK(all == head + "Details: ********\r\n\r\n" + head + "\r\n");
}

namespace {
// A login name a client chose to forge a log line with (SEC-9).
const std::string kForged = "x\r\nSUSPECTED FAKE HACK ATTEMPT\x1b[2J\x7f";
const std::string kEscaped = "x^M^JSUSPECTED FAKE HACK ATTEMPT^[[2J^?";

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}
} // namespace

TEST_CASE("SEC-9 control characters are escaped as ^X by the one shared function", "[log]") {
    CHECK(printable(kForged) == kEscaped);
    CHECK(printable(std::string("\0\t\x1f ~", 5)) == "^@^I^_ ~");
    CHECK(printable("caf\xc3\xa9") == "caf\xc3\xa9");          // UTF-8 untouched
    std::string out = "head ";
    append_printable(out, "a\nb");
    CHECK(out == "head a^Jb");
}

// ISSUE14: the escaper copies printable runs whole; controls at either end,
// back to back and DEL still come out one by one.
TEST_CASE("ISSUE14 SEC-9 escaping around runs of printable text", "[log]") {
    CHECK(printable("\x01" "abc") == "^Aabc");
    CHECK(printable("abc\x7f") == "abc^?");
    CHECK(printable("a\r\n\r\nb") == "a^M^J^M^Jb");
    CHECK(printable("\x1b") == "^[");
    CHECK(printable("") == "");
}

// ISSUE14: the stamp is formatted once per second per thread; a new second
// gives a new stamp, and the same second the same one.
TEST_CASE("ISSUE14 SMTP-251 the cached console stamp follows the clock", "[log]") {
    std::time_t t = 1700000000;
    std::string a = console_stamp(t), b = console_stamp(t + 1), c = console_stamp(t + 1), d = console_stamp(t + 3600);
    CHECK(a != b);
    CHECK(b == c);
    CHECK(a.substr(0, a.size() - 8) == b.substr(0, b.size() - 8));   // the same minute
    CHECK(d != b);
    std::string line = "x";
    append_console_stamp(line, t);
    CHECK(line == "x" + a);
}

TEST_CASE("SEC-9 terminal and mail.log lines escape control characters", "[log]") {
    const std::string line = stamped_line(kForged + "  \r\n");
    CHECK(line.substr(line.find("mail ") + 5) == kEscaped + "\n");
}

TEST_CASE("SEC-9 hack.log escapes every field: a forged user name stays on its line", "[log]") {
    TempDir dir;
    HackAttempt a{"SMTP LOGIN", kForged, "Fri Aug 21 2026 10:07 pm", 40123, "evil\nhost", "192.0.2.7", true};
    REQUIRE(append_hack_log(dir.path.string() + "/", a).ok());
    CHECK(file_text(dir.path / "hack.log") ==
          "SUSPECTED SMTP LOGIN HACK ATTEMPT for user '" + kEscaped + "' on Fri Aug 21 2026 10:07 pm\r\n"
          "Using port 40123 at evil^Jhost [192.0.2.7]\r\nDetails: ********\r\n\r\n");
}

TEST_CASE("SEC-9 error.log escapes control characters in the entry text", "[log]") {
    TempDir dir;
    ErrorLogFile err(dir.path.string() + "/", "sbbsmail/0.1", "bbs.example.com",
                     [] { return std::time_t{1'700'000'000}; });
    err.log(LogLevel::Error, "0003 SMTP  " + kForged);
    CHECK(file_text(err.path()) == ctime_text(1'700'000'000) + " sbbsmail/0.1 bbs.example.com\r\nmail 0003 SMTP  " +
                                       kEscaped + "\r\n\r\n");
}

TEST_CASE("SEC-9 the spy log writes one escaped line per received line", "[log]") {
    TempDir dir;
    {
        auto spy = SpyLog::open(dir.path.string() + "/", "SMTP");
        REQUIRE(spy.ok());
        (*spy)->write(kForged);
    }
    CHECK(file_text(dir.path / "smtpspy.txt") == kEscaped + "\n");
}

TEST_CASE("SEC-9 syslog is given escaped text", "[log]") {
    CHECK(syslog_text(kForged) == kEscaped);
}
