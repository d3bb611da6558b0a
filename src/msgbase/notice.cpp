// The process-wide sink for the message-base code's warnings.
#include "msgbase/notice.h"

#include <cstdio>
#include <mutex>

namespace sbbs::smb {

namespace {
std::mutex sink_mu;
NoticeSink sink;
} // namespace

void set_notice_sink(NoticeSink s) {
    std::lock_guard g(sink_mu);
    sink = std::move(s);
}

void notice(const std::string& line) {
    NoticeSink s;
    {
        std::lock_guard g(sink_mu);
        s = sink;
    }
    if (s) s(line);
    else std::fprintf(stderr, "%s\n", line.c_str());
}

} // namespace sbbs::smb
