// A minimal evaluator of Synchronet access requirement strings (ARS) for
// LoginRequirements (CFG-70, USER-30).
//
// Supported: LEVEL n (level >= n; with '=' / EQUAL / EQUALS: level == n),
// FLAG x / FLAGn x / FLAG n x (flag set n, default 1), EXEMPT x, REST x,
// USER n, the shorthands $L $F $X $U, NOT and '!', AND and '&' (implicit),
// OR and '|', parentheses, and bare arguments that reuse the previous
// keyword ("FLAG A|B|C", a leading "50" means LEVEL 50). Terms are taken
// left to right without precedence, exactly as the original evaluates them:
// a true result before OR, or a false one before AND, ends the scan.
// Anything else (AGE, TIME, NODE, ...) is reported as unsupported.
#pragma once

#include "userbase/user.h"
#include "util/result.h"

#include <string_view>

namespace sbbs {

// true/false, or an Invalid error naming the unsupported part. Blank = true.
Result<bool> evaluate_ars(std::string_view ars, const User& user);

} // namespace sbbs
