// Stage 3, lower: ResolvedFamily -> ir::ModelFile, and all concrete families -> ir::Registry.
#pragma once

#include <vector>

#include "diagnostics.h"
#include "family.h"
#include "swift_ir.h"

namespace hf2swift {

/// Lowers one concrete family. Naming problems go to `diags`.
ir::ModelFile lower_family(const ResolvedFamily& family, Diagnostics& diags);

/// The registry of every concrete family and the model types it claims.
ir::Registry lower_registry(const std::vector<ir::ModelFile>& models);

}  // namespace hf2swift
