// Unified diffs as `diff -u` prints them.
#include <doctest/doctest.h>

#include "diff.h"

using namespace hf2swift;

TEST_SUITE("unit") {

TEST_CASE("diff: equal texts give nothing") { CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y").empty()); }

TEST_CASE("diff: one changed line with context") {
    std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    CHECK(unified_diff(before, after, "a/f", "b/f") ==
          "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("diff: distant changes make separate hunks") {
    std::string before, after;
    for (int i = 1; i <= 20; ++i) {
        before += std::to_string(i) + "\n";
        after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
    }
    std::string d = unified_diff(before, after, "a", "b");
    CHECK(d.find("@@ -1,5 +1,5 @@") != std::string::npos);
    CHECK(d.find("@@ -15,6 +15,6 @@") != std::string::npos);
}

TEST_CASE("diff: a new file") {
    CHECK(unified_diff("", "a\nb\n", "/dev/null", "b/new") == "--- /dev/null\n+++ b/new\n@@ -0,0 +1,2 @@\n+a\n+b\n");
}

}  // TEST_SUITE
