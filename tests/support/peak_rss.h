// Peak memory of this test process (Linux VmHWM), for tests that prove a
// large input is handled without a copy that grows with it.
#pragma once

#include <cstdint>
#include <fstream>
#include <malloc.h>
#include <string>

namespace sbbs::test {

// Under AddressSanitizer freed blocks wait in a quarantine and every block
// has redzones, so peak RSS says nothing about copies: such builds do not
// measure (the release build's run of the same tests does).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// Resets this process's peak RSS to what it holds now (Linux 4.0+), after
// handing freed heap memory back, so that a later allocation shows up as
// growth rather than reusing pages already counted; false where that
// cannot be done or means nothing (a sanitizer build).
inline bool reset_peak_rss() {
    if (kSanitizedBuild) return false;
    malloc_trim(0);
    std::ofstream f("/proc/self/clear_refs");
    return f && (f << "5").flush();
}

inline uint64_t peak_rss() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    return 0;
}

} // namespace sbbs::test
