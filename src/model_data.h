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

/// The data model_data builds for a sample Record (ir::ModelFile or ir::Registry) with one item in every
/// list, all the way down. The data of every Record has the sample's members, of the same kinds, in
/// each object, and list items like the sample's one: a template that fits the sample's data fits
/// every Record's. (String maps are the exception: the sample's hold no keys, so a template that
/// reads one does not fit the sample.)
template <typename Record>
ModelData sample_data(const TagNames& names, const std::vector<std::pair<std::string, std::string>>& extra);

}  // namespace hf2swift
