// The intermediate model as mustache data, built straight from its records for one template: only the
// members the template names, so nothing else is copied.
#pragma once

#include <cstdint>
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

/// A flag section around a tag that reads a member, on another member of the same record: its name,
/// and whether the section renders when the flag is true (`{{#flag}}`) or false (`{{^flag}}`).
struct MemberGuard {
    std::string flag;
    bool set = true;
};

/// The tags that read a member, each as the guards around it (none: read whatever the flags).
using MemberConditions = std::vector<std::vector<MemberGuard>>;

/// The members a template reads, by record type: those its tags look up (or pass through, in a
/// dotted name) while a record of that type is the current item, with the guards of each tag.
using MemberReads = std::unordered_map<std::type_index, std::unordered_map<std::string, MemberConditions>>;

/// Where each member of a sample's data (sample_data) came from: its record's type and its name.
using MemberOrigins = std::unordered_map<const kainjow::mustache::data*, std::pair<std::type_index, std::string>>;

/// The members a sample's reads (data_fits_template) reach, by where they came from.
MemberReads member_reads(const DataReads& read, const MemberOrigins& origins);

/// Which members model_data builds for one template: those its tags name and, with `reads`, only
/// those read in a record of the member's type (a record type's members are named by tags meant for
/// others, `swift_name`, `doc`, `last` ...: two in five went unread), and of those only the ones a
/// record's flags let a render reach (a config field's derivation is read only when it has one: half
/// of the members left were never reached). Records pass their members in one order, so the
/// answers are kept by each member's place in it and its record's type. learn() finds every answer
/// from a sample and freezes the filter, which may then serve every family on every thread.
class MemberFilter {
public:
    /// What the data holds of a record type's member.
    struct Member {
        const char* name = nullptr;        // the literal of swift_ir_members.h
        const std::string* key = nullptr;  // the name as the template holds it; nullptr: left out
        int flag = -1;                     // the bit of a record's flags that holds this member, when a guard tests it
        // The flags under which a render reaches the member: one of these pairs of (bits all set, bits
        // all clear) holds. Empty: always.
        std::vector<std::pair<std::uint64_t, std::uint64_t>> when;

        bool reached(std::uint64_t flags) const;
    };

    /// A record type's members, by their place in members().
    struct Keys {
        std::vector<Member> members;
        bool guarded = false;  // whether any member depends on the record's flags
    };

    MemberFilter(std::shared_ptr<const TagNames> names, std::shared_ptr<const MemberReads> reads);

    template <typename Record>
    void learn();

    /// The answers for records of `type` (nullptr when a frozen filter has none).
    const Keys* keys_of(const std::type_info& type) const;
    /// The member at `place` of a record of `type`, named `member`.
    const Member& find(const Keys* keys, const std::type_info& type, size_t place, const char* member) const;
    bool named(const std::string& key) const { return names_->count(key) > 0; }
    /// Whether members that are false, empty lists or empty strings are left out: a learned filter's
    /// data is rendered unchecked, and a render finds a missing name as it would find those (it looks
    /// a name up in the current item only), while building them was a third of the data.
    bool sparse() const { return frozen_ && reads_; }

private:
    const MemberConditions* read(const std::type_info& type, const std::string& name) const;
    void freeze();

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
