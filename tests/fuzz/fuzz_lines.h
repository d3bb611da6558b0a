// Shared by the session fuzz targets: the input cut into client lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sbbs::fuzz {

// Lines split on LF; a CR before the LF is dropped (a CR LF line), a line
// without one keeps a trailing "\n" marker (ScriptedIo's bare-LF line).
// At most `max_lines`, so one input costs bounded time.
inline std::vector<std::string> client_lines(const uint8_t* data, size_t size, size_t max_lines = 200) {
    std::vector<std::string> out;
    std::string cur;
    for (size_t i = 0; i < size && out.size() < max_lines; ++i) {
        char c = char(data[i]);
        if (c != '\n') { cur += c; continue; }
        if (!cur.empty() && cur.back() == '\r') cur.pop_back();
        else cur += '\n';
        out.push_back(std::move(cur));
        cur.clear();
    }
    if (!cur.empty() && out.size() < max_lines) out.push_back(std::move(cur));
    return out;
}

} // namespace sbbs::fuzz
