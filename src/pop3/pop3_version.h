// The version the POP3 greeting and CAPA show (pop3.md "VER").
#pragma once

namespace sbbs::pop3 {

constexpr const char* VERSION = "3.22";
constexpr char REVISION = 'a';
#if defined(_WIN64)
constexpr const char* PLATFORM = "Win64";
#elif defined(_WIN32)
constexpr const char* PLATFORM = "Win32";
#elif defined(__APPLE__)
constexpr const char* PLATFORM = "MacOSX";
#elif defined(__FreeBSD__)
constexpr const char* PLATFORM = "FreeBSD";
#else
constexpr const char* PLATFORM = "Linux";
#endif

} // namespace sbbs::pop3
