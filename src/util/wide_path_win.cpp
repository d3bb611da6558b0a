// Win32 only: the UTF-8 -> UTF-16 path conversion that every
// Win32 file call of ours goes through (see wide_path.h).
#ifdef _WIN32
#include "util/wide_path.h"

#include <windows.h>

namespace sbbs {

std::wstring wide(const std::string& s) {
    if (s.empty()) return {};
    int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), int(s.size()), nullptr, 0);
    std::wstring w(size_t(n > 0 ? n : 0), L'\0');
    if (n > 0) MultiByteToWideChar(CP_UTF8, 0, s.data(), int(s.size()), w.data(), n);
    return w;
}

} // namespace sbbs
#endif
