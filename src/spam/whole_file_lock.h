// A lock on a whole anti-spam file (spam.hash, ip.can, spamblock.cfg) taken
// with a bounded wait: the other holder (a session of ours, or another
// program) keeps it for one short read-modify-write.
#pragma once

#include "util/platform_file.h"

namespace sbbs::spam {

// False when the file stays locked for about two seconds or has no locks.
bool lock_whole(PlatformFile& f, FileLock kind);

} // namespace sbbs::spam
