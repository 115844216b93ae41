// Mustache data from the intermediate model's records, through the member lists every view shares.
#include "model_data.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>

#include "swift_ir_members.h"

namespace hf2swift {

namespace {

using kainjow::mustache::data;

/// The flags of a record that its type's guards test, as bits (MemberFilter::Member::flag).
class FlagReader {
public:
    explicit FlagReader(const MemberFilter::Keys& keys) : keys_(keys) {}

    template <typename T>
    void operator()(const char*, const T&) {
        ++place_;
    }

    void operator()(const char*, const bool& value) {
        int bit = keys_.members[place_++].flag;
        if (bit >= 0 && value) flags_ |= std::uint64_t{1} << bit;
    }

    std::uint64_t flags() const { return flags_; }

private:
    const MemberFilter::Keys& keys_;
    size_t place_ = 0;
    std::uint64_t flags_ = 0;
};

template <typename Record>
std::uint64_t flags_of(const Record& record, const MemberFilter::Keys* keys) {
    if (!keys || !keys->guarded) return 0;
    FlagReader reader(*keys);
    ir::members(reader, record);
    return reader.flags();
}

/// Fills a record's object with the members the filter lets in, converting each value.
class DataSink {
public:
    DataSink(data& out, const std::type_info& type, const MemberFilter::Keys* keys, std::uint64_t flags,
             const MemberFilter& names, bool& complete, MemberOrigins* origins)
        : out_(out), type_(type), keys_(keys), flags_(flags), names_(names), complete_(complete), origins_(origins) {}

    template <typename T>
    void operator()(const char* name, const T& value) {
        const MemberFilter::Member& member = names_.find(keys_, type_, place_++, name);
        if (!member.key || !member.reached(flags_) || (names_.sparse() && absent(value))) return;
        const std::string& key = *member.key;
        data& slot = out_[key];
        slot = convert(value);
        if (origins_) origins_->emplace(&slot, std::make_pair(std::type_index(type_), key));
    }

    // What a render takes a missing member for: false, no items, nothing to print.
    static bool absent(bool b) { return !b; }
    static bool absent(const std::string& s) { return s.empty(); }
    template <typename T>
    static bool absent(const std::vector<T>& items) {
        return items.empty();
    }
    template <typename Record>
    static bool absent(const Record&) {
        return false;
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
        DataSink inner(object, typeid(Record), keys, flags_of(record, keys), names_, complete_, origins_);
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
    std::uint64_t flags_;
    size_t place_ = 0;
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
    const MemberFilter::Keys* keys = filter.keys_of(typeid(Record));
    DataSink sink(result.data, typeid(Record), keys, flags_of(record, keys), filter, result.complete, origins);
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

const MemberFilter::Member& MemberFilter::find(const Keys* keys, const std::type_info& type, size_t place,
                                               const char* member) const {
    // A frozen filter has every type a record of its kind can hold: learn()'s sample holds them all.
    static const Member left_out;
    if (!keys) return left_out;
    if (place < keys->members.size()) return keys->members[place];
    Member m;
    m.name = member;
    auto named = names_->find(member);
    if (named != names_->end() && read(type, *named)) m.key = &*named;
    auto& members = const_cast<Keys*>(keys)->members;
    members.push_back(m);
    return members.back();
}

const MemberConditions* MemberFilter::read(const std::type_info& type, const std::string& name) const {
    static const MemberConditions always{{}};
    if (!reads_) return &always;
    auto found = reads_->find(type);
    if (found == reads_->end()) return nullptr;
    auto member = found->second.find(name);
    return member == found->second.end() ? nullptr : &member->second;
}

bool MemberFilter::Member::reached(std::uint64_t flags) const {
    if (when.empty()) return true;
    return std::any_of(when.begin(), when.end(),
                       [&](const auto& w) { return (flags & w.first) == w.first && (flags & w.second) == 0; });
}

void MemberFilter::freeze() {
    frozen_ = true;
    if (!reads_) return;
    for (auto& [type, keys] : keys_) {
        // Each flag a guard tests gets a bit; past 64, a guard is dropped, which only builds more.
        std::unordered_map<std::string, int> bits;
        for (auto& m : keys.members) {
            if (!m.key) continue;
            const MemberConditions* conditions = read(*type, *m.key);
            std::vector<std::pair<std::uint64_t, std::uint64_t>> when;
            for (const auto& guards : *conditions) {
                std::uint64_t set = 0, clear = 0;
                for (const auto& g : guards) {
                    auto bit = bits.find(g.flag);
                    if (bit == bits.end() && bits.size() < 64) {
                        bit = bits.emplace(g.flag, static_cast<int>(bits.size())).first;
                    }
                    if (bit == bits.end()) continue;
                    (g.set ? set : clear) |= std::uint64_t{1} << bit->second;
                }
                if (set == 0 && clear == 0) {  // read whatever the flags
                    when.clear();
                    break;
                }
                when.emplace_back(set, clear);
            }
            m.when = std::move(when);
            keys.guarded = keys.guarded || !m.when.empty();
        }
        for (auto& m : keys.members) {
            auto bit = bits.find(m.name);
            if (bit != bits.end()) m.flag = bit->second;
        }
    }
}

template <typename Record>
void MemberFilter::learn() {
    // A sample visits every member of every record type the data can hold.
    record_data(sample_record<Record>(), *this, {}, nullptr);
    freeze();
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

MemberReads member_reads(const DataReads& read, const MemberOrigins& origins) {
    MemberReads reads;
    for (const auto& [value, tags] : read) {
        auto origin = origins.find(value);
        if (origin == origins.end()) continue;
        const auto& [type, name] = origin->second;
        MemberConditions& conditions = reads[type][name];
        for (const auto& guards : tags) {
            std::vector<MemberGuard> tag;
            for (const auto& guard : guards) {
                // A guard's flag is a member of the record the value is a member of.
                auto flag = origins.find(guard.flag);
                if (flag != origins.end() && flag->second.first == type) {
                    tag.push_back({flag->second.second, guard.set});
                }
            }
            conditions.push_back(std::move(tag));
        }
    }
    return reads;
}

ModelData model_data(const ir::ModelFile& model, const MemberFilter& filter,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(model, filter, extra, nullptr);
}

ModelData model_data(const ir::Registry& registry, const MemberFilter& filter,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
    return record_data(registry, filter, extra, nullptr);
}

}  // namespace hf2swift
