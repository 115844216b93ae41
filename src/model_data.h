// The intermediate model as mustache data, built straight from its records for one template: only the
// members the template names, so nothing else is copied.
#pragma once

#include <memory>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
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

/// The members a template reads, by record type: those its tags look up (or pass through, in a
/// dotted name) while a record of that type is the current item.
using MemberReads = std::unordered_map<std::type_index, std::unordered_set<std::string>>;

/// Where each member of a sample's data (sample_data) came from: its record's type and its name.
using MemberOrigins = std::unordered_map<const kainjow::mustache::data*, std::pair<std::type_index, std::string>>;

/// Which members model_data builds for one template: those its tags name and, with `reads`, only
/// those read in a record of the member's type (a record type's members are named by tags meant for
/// others, `swift_name`, `doc`, `last` ...: two in five went unread). Records pass each member's name
/// as a string literal of swift_ir_members.h, the same address for every item of every list, so the
/// answers are kept by that address and record type. learn() finds every answer from a sample and
/// freezes the filter, which may then serve every family on every thread.
class MemberFilter {
public:
    using Keys = std::unordered_map<const char*, const std::string*>;

    MemberFilter(std::shared_ptr<const TagNames> names, std::shared_ptr<const MemberReads> reads);

    template <typename Record>
    void learn();

    /// The answers for records of `type` (nullptr when a frozen filter has none).
    const Keys* keys_of(const std::type_info& type) const;
    /// The member's name as the template holds it, or nullptr when it is left out.
    const std::string* find(const Keys* keys, const std::type_info& type, const char* member) const;
    bool named(const std::string& key) const { return names_->count(key) > 0; }

private:
    bool read(const std::type_info& type, const std::string& name) const;

    std::shared_ptr<const TagNames> names_;
    std::shared_ptr<const MemberReads> reads_;
    // Filled while learning (or, unfrozen, while building data on one thread), then only read.
    mutable std::unordered_map<const std::type_info*, Keys> keys_;
    bool frozen_ = false;
};

ModelData model_data(const ir::ModelFile& model, const MemberFilter& filter,
                     const std::vector<std::pair<std::string, std::string>>& extra);

/// The same for the registry the registry and generated README templates render.
ModelData model_data(const ir::Registry& registry, const MemberFilter& filter,
                     const std::vector<std::pair<std::string, std::string>>& extra);

/// The data model_data builds for a sample Record (ir::ModelFile or ir::Registry) with one item in every
/// list, all the way down. The data of every Record has the sample's members, of the same kinds, in
/// each object, and list items like the sample's one: a template that fits the sample's data fits
/// every Record's. (String maps are the exception: the sample's hold no keys, so a template that
/// reads one does not fit the sample.) `origins`, when given, receives where each member came from.
template <typename Record>
ModelData sample_data(const TagNames& names, const std::vector<std::pair<std::string, std::string>>& extra,
                      MemberOrigins* origins = nullptr);

}  // namespace hf2swift
