// The version the server reports where the original reports its own
// (greeting, Received header): drop-in installs and scripts parse it.
#pragma once

namespace sbbs::smtp {

inline constexpr const char* kVersion = "3.22a";
#ifdef _WIN32
inline constexpr const char* kPlatform = "Win32";
#else
inline constexpr const char* kPlatform = "Linux";
#endif

} // namespace sbbs::smtp
