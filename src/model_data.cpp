// Mustache data from the intermediate model's records, through the member lists every view shares.
#include "model_data.h"

#include <string_view>
#include <type_traits>
#include <unordered_set>

#include "swift_ir_members.h"

namespace hf2swift {

namespace {

using kainjow::mustache::data;

/// Fills a record's object with the members the template names, converting each value.
class DataSink {
public:
    DataSink(data& out, const std::unordered_set<std::string_view>& names, bool& complete)
        : out_(out), names_(names), complete_(complete) {}

    template <typename T>
    void operator()(const char* name, const T& value) {
        if (!names_.count(name)) return;
        out_[name] = convert(value);
    }

    data convert(const std::string& s) {
        if (holds_render_marker(s)) complete_ = false;
        return data{s};
    }

    data convert(bool b) { return data{b}; }

    data convert(const std::vector<std::pair<std::string, std::string>>& pairs) {
        data object{data::type::object};
        for (const auto& [key, value] : pairs) {
            if (names_.count(key)) object[key] = convert(value);
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
    const std::unordered_set<std::string_view>& names_;
    bool& complete_;
};

template <typename Record>
ModelData record_data(const Record& record, const TagNames& names,
                      const std::vector<std::pair<std::string, std::string>>& extra) {
    ModelData result;
    std::unordered_set<std::string_view> views(names.begin(), names.end());
    DataSink sink(result.data, views, result.complete);
    ir::members(sink, record);
    for (const auto& [key, value] : extra) {
        if (names.count(key)) result.data[key] = sink.convert(value);
    }
    return result;
}

}  // namespace

ModelData model_data(const ir::ModelFile& model, const TagNames& names,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(model, names, extra);
}

ModelData model_data(const ir::Registry& registry, const TagNames& names,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(registry, names, extra);
}

}  // namespace hf2swift
