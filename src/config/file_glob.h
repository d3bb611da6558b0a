// Shell-pattern file matching for "!include <glob>" (CFG-33), written on
// std::filesystem so the config library needs no POSIX glob().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

// fnmatch-style match of one name: '*', '?', "[...]" (with '!' or '^'
// negation and ranges), "\x" literal; a leading '.' needs an explicit '.'.
bool glob_name_matches(std::string_view pattern, std::string_view name);

// Regular files matching `pattern` ('/'-separated; wildcards allowed in any
// component), relative patterns taken against `base_dir`; sorted by byte
// value of the full path as glob() sorts; directories are skipped.
std::vector<std::string> glob_files(const std::string& pattern, const std::string& base_dir);

} // namespace sbbs
