// Archive copies: created exclusively, so a second session with the same
// second and id never replaces an earlier copy.
#include "smtp/archive.h"

#include "userbase/user_paths.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sbbs::smtp {

std::string archive_file_name(time_t when, const std::string& session_id) {
    struct tm t {};
#ifdef _WIN32
    gmtime_s(&t, &when);
#else
    gmtime_r(&when, &t);
#endif
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &t);
    return std::string(stamp) + "-" + session_id + ".eml";
}

Status archive_copy(const std::string& data_dir, uint32_t user, const char* box, const std::string& name,
                    const TextPieces& text) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(data_dir) / "user" / user_file_number(user) / box;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message(), ErrorCode::Io);
    fs::path file = dir / name;
    std::FILE* f = std::fopen(file.string().c_str(), "wbx");   // never overwrite (USER-58)
    if (!f) return fs::exists(file) ? Status{} : Status(make_error("cannot create " + file.string(), ErrorCode::Io));
    bool ok = true;
    for (auto p : text.pieces()) ok = ok && std::fwrite(p.data(), 1, p.size(), f) == p.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok) return make_error("cannot write " + file.string(), ErrorCode::Io);
    return {};
}

} // namespace sbbs::smtp
