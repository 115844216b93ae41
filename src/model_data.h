// The intermediate model as mustache data, built straight from its records for one template: only the
// members the template names, so nothing else is copied.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "render.h"
#include "swift_ir.h"

namespace hf2swift {

/// What a template names of a model file (or the registry) and its `extra` top-level strings. `complete` is false when
/// a named member cannot be mustache data (a string holding the line sentinel): the JSON view's
/// render then reports it.
struct ModelData {
    kainjow::mustache::data data{kainjow::mustache::data::type::object};
    bool complete = true;
};

ModelData model_data(const ir::ModelFile& model, const TagNames& names,
                     const std::vector<std::pair<std::string, std::string>>& extra);

/// The same for the registry the registry and generated README templates render.
ModelData model_data(const ir::Registry& registry, const TagNames& names,
                     const std::vector<std::pair<std::string, std::string>>& extra);

}  // namespace hf2swift
