// Auto-block list appends (see block_list.h).
#include "spam/block_list.h"

#include "config/list_file.h"
#include "config/list_time.h"
#include "log/printable_text.h"
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

// Rewrites the list without its expired lines (the original does it in
// place; a temporary file and a rename keep the list whole if we stop midway).
Status prune_expired(const std::string& path, std::time_t now) {
    auto text = read_text_file(path);
    if (!text) return text.error();
    std::string kept;
    std::string_view all = *text;
    while (!all.empty()) {
        size_t nl = all.find('\n');
        std::string_view line = all.substr(0, nl == all.npos ? all.size() : nl + 1);
        all.remove_prefix(line.size());
        std::time_t e = line_expiry(trim_left_blanks(line));
        if (e != 0 && e <= now) continue;
        kept += line;
    }
    const std::string tmp = path + ".new";
    {
        auto f = PlatformFile::open(tmp, FileOpen::ReadWriteCreate);
        if (!f) return f.error();
        if (auto st = f->truncate(0); !st) return st;
        if (auto st = f->write_at(0, kept.data(), kept.size()); !st) return st;
        if (auto st = f->sync(); !st) return st;
    }
    return rename_file(tmp, path);
}

} // namespace

Result<bool> add_blocked_ip(const std::string& path, const BlockRequest& r, const PatternList& exempt,
                            std::time_t now) {
    if (r.ip.empty() || exempt.contains(r.ip, r.host, now)) return false;
    PatternList current = PatternList::load(path, nullptr);
    if (const ListEntry* e = current.decide(r.ip)) {
        std::time_t exp = e->expires();
        if (exp == 0 || exp > now) return false;         // already blocked: no duplicate line
        if (auto st = prune_expired(path, now); !st) return st.error();
    }
    auto f = PlatformFile::open(path, FileOpen::AppendCreate);
    if (!f) return f.error();
    if (auto st = f->append(block_line(r, now)); !st) return st.error();
    return true;
}

} // namespace sbbs::spam
