// Mustache data from the intermediate model's records, through the member lists every view shares.
#include "model_data.h"

#include <string>
#include <unordered_map>

#include "swift_ir_members.h"

namespace hf2swift {

namespace {

using kainjow::mustache::data;

/// Which members a template names. Records pass each member's name as a string literal of
/// swift_ir_members.h, the same address for every item of every list: the answer is kept by that
/// address, so a member's text is hashed once per render, not once per item.
class NameFilter {
public:
    explicit NameFilter(const TagNames& names) : names_(names) {}

    /// The member's name as the template holds it, or nullptr when no tag names it.
    const std::string* find(const char* member) {
        auto [slot, added] = seen_.try_emplace(member, nullptr);
        if (added) {
            auto named = names_.find(member);
            if (named != names_.end()) slot->second = &*named;
        }
        return slot->second;
    }

    bool named(const std::string& key) const { return names_.count(key) > 0; }

private:
    const TagNames& names_;
    std::unordered_map<const char*, const std::string*> seen_;
};

/// Fills a record's object with the members the template names, converting each value.
class DataSink {
public:
    DataSink(data& out, NameFilter& names, bool& complete) : out_(out), names_(names), complete_(complete) {}

    template <typename T>
    void operator()(const char* name, const T& value) {
        if (const std::string* key = names_.find(name)) out_[*key] = convert(value);
    }

    data convert(const std::string& s) {
        if (holds_render_marker(s)) complete_ = false;
        return data{s};
    }

    data convert(bool b) { return data{b}; }

    data convert(const std::vector<std::pair<std::string, std::string>>& pairs) {
        data object{data::type::object};
        for (const auto& [key, value] : pairs) {
            if (names_.named(key)) object[key] = convert(value);
        }
        return object;
    }

    template <typename T>
    data convert(const std::vector<T>& items) {
        data list{data::type::list};
        // kainjow's list items may only be read; they are pushed whole, each built where it stands.
        auto& held = const_cast<kainjow::mustache::list&>(list.list_value());
        held.reserve(items.size());
        for (const auto& item : items) held.push_back(convert(item));
        return list;
    }

    template <typename Record>
    data convert(const Record& record) {
        data object{data::type::object};
        DataSink inner(object, names_, complete_);
        ir::members(inner, record);
        return object;
    }

private:
    data& out_;
    NameFilter& names_;
    bool& complete_;
};

template <typename Record>
ModelData record_data(const Record& record, const TagNames& names,
                      const std::vector<std::pair<std::string, std::string>>& extra) {
    ModelData result;
    NameFilter filter(names);
    DataSink sink(result.data, filter, result.complete);
    ir::members(sink, record);
    for (const auto& [key, value] : extra) {
        if (names.count(key)) result.data[key] = sink.convert(value);
    }
    return result;
}

/// Gives every list of a record one default item, all the way down (the IR has no recursive records).
class OneOfEach {
public:
    // members() hands out const members; the record filled is this class's own, not a const object.
    template <typename T>
    void operator()(const char*, const T& member) {
        fill(const_cast<T&>(member));
    }

    void fill(std::string&) {}
    void fill(bool&) {}
    void fill(std::vector<std::pair<std::string, std::string>>&) {}

    template <typename T>
    void fill(std::vector<T>& items) {
        items.resize(1);
        fill(items.front());
    }

    template <typename Record>
    void fill(Record& record) {
        ir::members(*this, record);
    }
};

}  // namespace

template <typename Record>
ModelData sample_data(const TagNames& names, const std::vector<std::pair<std::string, std::string>>& extra) {
    Record sample;
    OneOfEach().fill(sample);
    return record_data(sample, names, extra);
}

template ModelData sample_data<ir::ModelFile>(const TagNames&, const std::vector<std::pair<std::string, std::string>>&);
template ModelData sample_data<ir::Registry>(const TagNames&, const std::vector<std::pair<std::string, std::string>>&);

ModelData model_data(const ir::ModelFile& model, const TagNames& names,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(model, names, extra);
}

ModelData model_data(const ir::Registry& registry, const TagNames& names,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(registry, names, extra);
}

}  // namespace hf2swift
