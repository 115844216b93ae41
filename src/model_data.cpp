// Mustache data from the intermediate model's records, through the member lists every view shares.
#include "model_data.h"

#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>

#include "swift_ir_members.h"

namespace hf2swift {

namespace {

using kainjow::mustache::data;

/// Fills a record's object with the members the filter lets in, converting each value.
class DataSink {
public:
    DataSink(data& out, const std::type_info& type, const MemberFilter::Keys* keys, const MemberFilter& names,
             bool& complete, MemberOrigins* origins)
        : out_(out), type_(type), keys_(keys), names_(names), complete_(complete), origins_(origins) {}

    template <typename T>
    void operator()(const char* name, const T& value) {
        const std::string* key = names_.find(keys_, type_, name);
        if (!key) return;
        data& slot = out_[*key];
        slot = convert(value);
        if (origins_) origins_->emplace(&slot, std::make_pair(std::type_index(type_), *key));
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
        if constexpr (std::is_same_v<T, std::string>) {
            for (const auto& item : items) held.push_back(convert(item));
        } else {
            const MemberFilter::Keys* keys = names_.keys_of(typeid(T));
            for (const auto& item : items) held.push_back(convert(item, keys));
        }
        return list;
    }

    template <typename Record>
    data convert(const Record& record, const MemberFilter::Keys* keys) {
        data object{data::type::object};
        DataSink inner(object, typeid(Record), keys, names_, complete_, origins_);
        ir::members(inner, record);
        return object;
    }

    template <typename Record>
    data convert(const Record& record) {
        return convert(record, names_.keys_of(typeid(Record)));
    }

private:
    data& out_;
    const std::type_info& type_;
    const MemberFilter::Keys* keys_;
    const MemberFilter& names_;
    bool& complete_;
    MemberOrigins* origins_;
};

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

template <typename Record>
ModelData record_data(const Record& record, const MemberFilter& filter,
                      const std::vector<std::pair<std::string, std::string>>& extra, MemberOrigins* origins) {
    ModelData result;
    DataSink sink(result.data, typeid(Record), filter.keys_of(typeid(Record)), filter, result.complete, origins);
    ir::members(sink, record);
    for (const auto& [key, value] : extra) {
        if (filter.named(key)) result.data[key] = sink.convert(value);
    }
    return result;
}

template <typename Record>
Record sample_record() {
    Record sample;
    OneOfEach().fill(sample);
    return sample;
}

}  // namespace

MemberFilter::MemberFilter(std::shared_ptr<const TagNames> names, std::shared_ptr<const MemberReads> reads)
    : names_(std::move(names)), reads_(std::move(reads)) {}

const MemberFilter::Keys* MemberFilter::keys_of(const std::type_info& type) const {
    if (!frozen_) return &keys_[&type];
    auto found = keys_.find(&type);
    return found == keys_.end() ? nullptr : &found->second;
}

const std::string* MemberFilter::find(const Keys* keys, const std::type_info& type, const char* member) const {
    if (keys) {
        auto known = keys->find(member);
        if (known != keys->end()) return known->second;
    }
    const std::string* key = nullptr;
    auto named = names_->find(member);
    if (named != names_->end() && read(type, *named)) key = &*named;
    if (!frozen_ && keys) const_cast<Keys*>(keys)->emplace(member, key);
    return key;
}

bool MemberFilter::read(const std::type_info& type, const std::string& name) const {
    if (!reads_) return true;
    auto found = reads_->find(type);
    return found != reads_->end() && found->second.count(name) > 0;
}

template <typename Record>
void MemberFilter::learn() {
    // A sample visits every member of every record type the data can hold.
    record_data(sample_record<Record>(), *this, {}, nullptr);
    frozen_ = true;
}

template void MemberFilter::learn<ir::ModelFile>();
template void MemberFilter::learn<ir::Registry>();

template <typename Record>
ModelData sample_data(const TagNames& names, const std::vector<std::pair<std::string, std::string>>& extra,
                      MemberOrigins* origins) {
    MemberFilter filter(std::shared_ptr<const TagNames>(&names, [](const TagNames*) {}), nullptr);
    return record_data(sample_record<Record>(), filter, extra, origins);
}

template ModelData sample_data<ir::ModelFile>(const TagNames&, const std::vector<std::pair<std::string, std::string>>&,
                                              MemberOrigins*);
template ModelData sample_data<ir::Registry>(const TagNames&, const std::vector<std::pair<std::string, std::string>>&,
                                             MemberOrigins*);

ModelData model_data(const ir::ModelFile& model, const MemberFilter& filter,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(model, filter, extra, nullptr);
}

ModelData model_data(const ir::Registry& registry, const MemberFilter& filter,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(registry, filter, extra, nullptr);
}

}  // namespace hf2swift
