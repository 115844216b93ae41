// JSON form of the intermediate model, in declaration order, for `hf2swift ir` and for rendering.
#include "swift_ir.h"

#include "swift_ir_members.h"

#include <atomic>
#include <type_traits>

namespace hf2swift::ir {

using nlohmann::ordered_json;

namespace {

/// How many members a record of each type has had at most; views reserve that many up front.
template <typename Record>
std::atomic<size_t> members_seen{0};

/// Appends a member to the record `j` is becoming. A record's field names are distinct, so no search
/// is needed. Growing a view's member list copies every member made so far (ordered_json's members
/// have const keys, so they cannot move), which made building views a fifth of a run: each record
/// reserves as many members as its type has had before.
template <typename Record, typename T>
void ir_set(ordered_json& j, const char* name, const T& value) {
    if (j.is_null()) {
        j = ordered_json::object();
        j.get_ref<ordered_json::object_t&>().reserve(members_seen<Record>.load(std::memory_order_relaxed));
    }
    auto& members = j.get_ref<ordered_json::object_t&>();
    members.emplace_back(name, value);
    if (members.size() > members_seen<Record>.load(std::memory_order_relaxed)) {
        members_seen<Record>.store(members.size(), std::memory_order_relaxed);
    }
}

}  // namespace

/// Builds a record's JSON object member by member (`members` in swift_ir_members.h).
template <typename Record>
struct JsonSink {
    ordered_json& j;

    template <typename T>
    void operator()(const char* name, const T& value) {
        ir_set<Record>(j, name, value);
    }

    /// Pairs in order (a wrapper's dispatch) are an object of their own.
    void operator()(const char* name, const std::vector<std::pair<std::string, std::string>>& pairs) {
        ordered_json object = ordered_json::object();
        for (const auto& [key, value] : pairs) object[key] = value;
        ir_set<Record>(j, name, object);
    }
};

#define IR_TO_JSON(Record)                          \
    void to_json(ordered_json& j, const Record& v) { \
        JsonSink<Record> sink{j};                   \
        members(sink, v);                           \
    }
HF2SWIFT_IR_RECORDS(IR_TO_JSON)
#undef IR_TO_JSON

}  // namespace hf2swift::ir
