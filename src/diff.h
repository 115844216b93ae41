// Unified diffs of text files, for `generate --check` and the golden tests.
#pragma once

#include <string>

namespace hf2swift {

/// A unified diff (3 lines of context) from `before` to `after`; empty when they are equal.
std::string unified_diff(const std::string& before, const std::string& after, const std::string& before_name,
                         const std::string& after_name);

}  // namespace hf2swift
