// UTF-8 path -> UTF-16 for the Win32 "W" calls: the install's paths are
// UTF-8, and the "A" calls would read them in the ANSI code page (Windows only).
#pragma once
#ifdef _WIN32
#include <string>

namespace sbbs {

std::wstring wide(const std::string& utf8);

} // namespace sbbs
#endif
