// The program's version and the original's version it behaves like.
#pragma once

namespace sbbs {

constexpr const char* kProgramVersion = "0.1.0";
constexpr const char* kCompatibleWith = "Synchronet Mail Server 3.22a";

} // namespace sbbs
