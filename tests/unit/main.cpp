// The doctest runner for every C++ test suite (unit, golden, errors).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
