// Stage 2, resolve: FamilyDocuments -> ResolvedFamilies (inheritance, defaults, cross-field rules).
#pragma once

#include <vector>

#include "diagnostics.h"
#include "family.h"
#include "syntax.h"

namespace hf2swift {

/// Resolves every document, abstract ones included, in the documents' order.
/// Errors go to `diags`; families with errors are still returned, for `explain`. Each family's
/// `history` (which document set each key, for `explain`) is kept only with `keep_history`.
std::vector<ResolvedFamily> resolve_families(const std::vector<FamilyDocument>& docs, Diagnostics& diags,
                                             bool keep_history = true);

/// A one-line flow rendering of a value (`[a, b]`, `{derive: x}`), as `explain` prints it.
std::string flow_text(const Node& node);

}  // namespace hf2swift
