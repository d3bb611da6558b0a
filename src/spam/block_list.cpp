// Auto-block list appends (see block_list.h).
#include "spam/block_list.h"

#include "config/list_file.h"
#include "config/list_time.h"
#include "log/printable_text.h"
#include "spam/whole_file_lock.h"
#include "util/platform_clock.h"
#include "util/platform_file.h"

#include <cstdio>
#include <cstdlib>

namespace sbbs::spam {

std::string list_time_text(std::time_t t) {
    os::LocalTime l = os::local_time(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", l.year, l.month, l.day, l.hour, l.minute, l.second);
    std::string s = buf;
    if (l.utc_offset_min == 0) return s + "Z";                                      // CFG-134
    int off = std::abs(l.utc_offset_min);
    std::snprintf(buf, sizeof buf, "%c%02d%02d", l.utc_offset_min < 0 ? '-' : '+', off / 60, off % 60);
    return s + buf;
}

std::string block_line(const BlockRequest& r, std::time_t now) {                    // SMTP-235
    std::string line = printable(r.ip) + "\tt=" + list_time_text(now);
    if (!r.protocol.empty()) line += "\tp=" + printable(r.protocol);
    if (!r.reason.empty()) line += "\tr=" + printable(r.reason);
    if (r.duration_s) line += "\te=" + list_time_text(now + r.duration_s);
    if (!r.user.empty()) line += "\tu=" + printable(r.user);
    if (!r.host.empty() && r.host != "<no name>") line += "\th=" + printable(r.host);
    return line + "\n";
}

namespace {

// The e= time of one raw list line, 0 when it has none.
std::time_t line_expiry(std::string_view line) {
    size_t tab = line.find('\t');
    if (tab == line.npos) return 0;
    for (size_t at = tab; at != line.npos; at = line.find('\t', at + 1)) {
        std::string_view item = line.substr(at + 1, line.find('\t', at + 1) - at - 1);
        if (item.size() > 2 && (item[0] == 'e' || item[0] == 'E') && item[1] == '=')
            return parse_list_time(item.substr(2));
    }
    return 0;
}

// The list's text read through the locked handle.
Result<std::string> read_all(const PlatformFile& f) {
    auto size = f.size();
    if (!size) return size.error();
    std::string text(*size, '\0');
    auto n = f.read_at(0, text.data(), text.size());
    if (!n) return n.error();
    text.resize(*n);
    return text;
}

// The list without its expired lines.
std::string without_expired(std::string_view all, std::time_t now) {
    std::string kept;
    while (!all.empty()) {
        size_t nl = all.find('\n');
        std::string_view line = all.substr(0, nl == all.npos ? all.size() : nl + 1);
        all.remove_prefix(line.size());
        std::time_t e = line_expiry(trim_left_blanks(line));
        if (e != 0 && e <= now) continue;
        kept += line;
    }
    return kept;
}

} // namespace

// One whole-file lock (an OFD lock: it excludes our other sessions as it does
// other programs) around the check, the prune and the append, so SMTP and
// POP3 failures at once add one line, and an append never races a prune. The
// prune rewrites in place as the original does: owner and mode stay.
Result<bool> add_blocked_ip(const std::string& path, const BlockRequest& r, const PatternList& exempt,
                            std::time_t now) {
    if (r.ip.empty() || exempt.contains(r.ip, r.host, now)) return false;
    auto f = PlatformFile::open(path, FileOpen::ReadWriteCreate);
    if (!f) return f.error();
    if (!lock_whole(*f, FileLock::Exclusive)) return make_error(path + " stays locked", ErrorCode::Locked);
    auto text = read_all(*f);
    if (!text) return text.error();
    PatternList current = PatternList::parse(*text, path, nullptr);
    if (const ListEntry* e = current.decide(r.ip)) {
        std::time_t exp = e->expires();
        if (exp == 0 || exp > now) return false;         // already blocked: no duplicate line
        std::string kept = without_expired(*text, now);
        if (auto st = f->write_at(0, kept.data(), kept.size()); !st) return st.error();
        if (auto st = f->truncate(kept.size()); !st) return st.error();
        *text = std::move(kept);
    }
    const std::string line = block_line(r, now);
    if (auto st = f->write_at(text->size(), line.data(), line.size()); !st) return st.error();
    return true;
}

} // namespace sbbs::spam
