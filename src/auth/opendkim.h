// Debian's libopendkim header made includable from C++: it declares its
// booleans as C99 _Bool, which C++ spells bool (same size and ABI).
#pragma once

#ifndef _Bool
#define _Bool bool
#define SBBS_OPENDKIM_BOOL
#endif
#include <opendkim/dkim.h>
#ifdef SBBS_OPENDKIM_BOOL
#undef _Bool
#undef SBBS_OPENDKIM_BOOL
#endif
