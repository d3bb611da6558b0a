// Precompiled for every unit-test source (see the Makefile's PCH rules):
// parsing Catch2 once instead of once per file.
#include <catch.hpp>
