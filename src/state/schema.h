// The state database's schema as numbered migrations: a database at version
// N gets migrations N+1.. applied in one transaction each.
#pragma once

#include "util/result.h"

struct sqlite3;

namespace sbbs {

// The version this program writes (the number of migrations).
int latest_schema_version();
// Reads schema_version (0 for a new file), applies what is missing and
// returns the resulting version; a newer file than we know is an error.
Result<int> migrate_schema(sqlite3* db);

} // namespace sbbs
