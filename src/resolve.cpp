// Stage 2, resolve: applies `extends` with the vocabulary's merge rules, fills defaults, and checks
// what only the whole family can show: required keys, bindings to config fields, claims on model types.
#include "resolve.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string_view>

#include "load.h"
#include "parallel.h"
#include "vocabulary.h"

namespace hf2swift {

const Node* ResolvedFamily::get(const std::string& dotted) const {
    const Node* node = &values;
    const std::string_view all(dotted);
    size_t start = 0;
    while (true) {
        size_t dot = all.find('.', start);
        std::string_view part = all.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (!node->is_map()) return nullptr;
        node = node->find(part);
        if (!node) return nullptr;
        if (dot == std::string::npos) return node;
        start = dot + 1;
    }
}

std::string ResolvedFamily::text(const std::string& dotted) const {
    const Node* n = get(dotted);
    return n && n->kind == Node::Kind::String ? n->text : "";
}

bool ResolvedFamily::flag_is_const(const std::string& dotted) const {
    const Node* n = get(dotted);
    return !n || n->kind == Node::Kind::Bool;
}

std::vector<std::string> ResolvedFamily::strings(const std::string& dotted) const {
    std::vector<std::string> out;
    if (const Node* n = get(dotted); n && n->is_list()) {
        for (const auto& item : n->items) out.push_back(item.text);
    }
    return out;
}

std::string ResolvedFamily::derivation_input(const Node& derived_default, const std::string& source) const {
    if (source.rfind("config.", 0) != 0) return text(source);
    std::string key = source.substr(std::string("config.").size());
    const Node* from = derived_default.is_map() ? derived_default.find("from") : nullptr;
    const Node* rebound = from && from->is_map() ? from->find(key) : nullptr;
    return rebound && rebound->kind == Node::Kind::String ? rebound->text : key;
}

std::vector<Note> ResolvedFamily::chain_notes() const {
    std::vector<Note> notes;
    notes.push_back(Note{Location{chain_paths.empty() ? path : chain_paths[0], 1, 1},
                         "in family '" + id + "'"});
    for (size_t i = 1; i < chain.size(); ++i) {
        notes.push_back(Note{Location{chain_paths[i], 1, 1},
                             "'" + chain[i - 1] + "' extends '" + chain[i] + "'"});
    }
    return notes;
}

std::string flow_text(const Node& node) {
    switch (node.kind) {
        case Node::Kind::Null: return "null";
        case Node::Kind::Bool: return node.boolean ? "true" : "false";
        case Node::Kind::Int:
        case Node::Kind::Float: return node.text;
        case Node::Kind::String: {
            bool plain = !node.quoted && !node.text.empty() &&
                         node.text.find_first_of(":#,[]{}\"'\n") == std::string::npos &&
                         node.text.front() != ' ' && node.text.back() != ' ';
            return plain ? node.text : "\"" + node.text + "\"";
        }
        case Node::Kind::List: {
            std::string out = "[";
            for (size_t i = 0; i < node.items.size(); ++i) {
                if (i) out += ", ";
                out += flow_text(node.items[i]);
            }
            return out + "]";
        }
        case Node::Kind::Map: {
            std::string out = "{";
            for (size_t i = 0; i < node.entries.size(); ++i) {
                if (i) out += ", ";
                out += node.entries[i].key + ": " + flow_text(node.entries[i].value);
            }
            return out + "}";
        }
    }
    return "";
}

namespace {

std::string join_path(const std::string& base, const std::string& key) {
    return base.empty() ? key : base + "." + key;
}

void remove_entry(Node& map, const std::string& key) {
    map.entries.erase(std::remove_if(map.entries.begin(), map.entries.end(),
                                     [&](const Entry& e) { return e.key == key; }),
                      map.entries.end());
}

Node& entry_slot(Node& map, const Entry& src) {
    if (Node* existing = map.find(src.key)) return *existing;
    map.entries.push_back(Entry{src.key, src.key_loc, Node{}});
    return map.entries.back().value;
}

struct Merger {
    ResolvedFamily& out;
    std::string family;
    bool is_self;
    bool keep_history;

    void record(const std::string& path, const Node& value) {
        if (keep_history) out.history[path].push_back(Setting{family, value.loc, flow_text(value)});
    }

    void merge_map(Node& dst, const Node& src, const vocab::KeySpec& spec, const std::string& path) {
        dst.kind = Node::Kind::Map;
        if (!dst.loc.known()) dst.loc = src.loc;
        for (const auto& e : src.entries) {
            const vocab::KeySpec* child = spec.child(e.key);
            if (!child) continue;  // reported by the loader
            if (child->inherit == vocab::Inherit::Identity && !is_self) continue;
            // Paths name values in the history only: generation, which keeps none, builds none.
            std::string p = keep_history ? join_path(path, e.key) : std::string();
            if (e.value.is_null()) {
                remove_entry(dst, e.key);
                record(p, e.value);
                continue;
            }
            Node& slot = entry_slot(dst, e);
            if (child->type == vocab::Type::Map) {
                if (!slot.is_map()) slot = Node{};
                merge_map(slot, e.value, *child, p);
            } else if (child->type == vocab::Type::EntryMap) {
                if (!slot.is_map()) {
                    slot = Node{};
                    slot.kind = Node::Kind::Map;
                    slot.loc = e.value.loc;
                }
                for (const auto& f : e.value.entries) {
                    if (keep_history) record(join_path(p, f.key), f.value);
                    if (f.value.is_null()) {
                        remove_entry(slot, f.key);
                    } else {
                        // Entries replace as a whole, and are then located where the child wrote them.
                        entry_slot(slot, f) = f.value;
                        for (auto& replaced : slot.entries) {
                            if (replaced.key == f.key) replaced.key_loc = f.key_loc;
                        }
                    }
                }
            } else {
                slot = e.value;
                record(p, e.value);
            }
        }
    }
};

Node parse_default(const std::string& yaml) {
    Diagnostics ignore;
    Node node;
    parse_yaml("", yaml, node, ignore);
    if (!ignore.empty()) throw InternalError("vocabulary default does not parse: " + yaml);
    return node;
}

/// The vocabulary's defaults, each parsed once per process: every family applies most of them, and
/// parsing YAML text is most of that work. Built whole on first use, so threads only read it.
const Node& parsed_default(const vocab::KeySpec& spec) {
    static const std::map<const vocab::KeySpec*, Node> table = [] {
        std::map<const vocab::KeySpec*, Node> out;
        std::vector<const vocab::KeySpec*> pending{&vocab::root()};
        while (!pending.empty()) {
            const vocab::KeySpec* k = pending.back();
            pending.pop_back();
            if (k->default_yaml) out.emplace(k, parse_default(*k->default_yaml));
            for (const auto& c : k->children) pending.push_back(&c);
        }
        return out;
    }();
    auto found = table.find(&spec);
    if (found == table.end()) throw InternalError("vocabulary key '" + spec.name + "' has no default");
    return found->second;
}

/// Fills in every default the family does not set; `keep_history` records each in `out.history`.
void apply_defaults(Node& dst, const vocab::KeySpec& spec, const std::string& path, ResolvedFamily& out,
                    bool keep_history) {
    for (const auto& child : spec.children) {
        Node* existing = dst.find(child.name);
        if (child.type == vocab::Type::Map) {
            if (!existing) {
                dst.entries.push_back(Entry{child.name, {}, Node{}});
                existing = &dst.entries.back().value;
                existing->kind = Node::Kind::Map;
            }
            apply_defaults(*existing, child, keep_history ? join_path(path, child.name) : "", out, keep_history);
            continue;
        }
        if (!existing && child.default_yaml) {
            const Node& value = parsed_default(child);
            if (keep_history) out.history[join_path(path, child.name)].push_back(Setting{"", {}, flow_text(value)});
            dst.entries.push_back(Entry{child.name, {}, value});
        }
    }
}

struct FieldInfo {
    const Entry* entry = nullptr;
    std::string type;  // config type, empty for a policy entry
    bool optional = false;
};

class Checker {
public:
    Checker(const ResolvedFamily& f, Diagnostics& diags) : f_(f), diags_(diags) {
        if (const Node* config = f.get("config"); config && config->is_map()) {
            for (const auto& e : config->entries) {
                FieldInfo info;
                info.entry = &e;
                if (const Node* t = e.value.find("type"); t && t->kind == Node::Kind::String) info.type = t->text;
                if (const Node* o = e.value.find("optional"); o && o->kind == Node::Kind::Bool) info.optional = o->boolean;
                fields_[e.key] = info;
            }
        }
    }

    void run() {
        check_required(vocab::root(), f_.values, "");
        if (!f_.abstract) {
            if (const Node* types = f_.get("model_types"); types && types->is_list() && types->items.empty()) {
                error(types->loc, "model_types", "a concrete family claims at least one model_type");
            }
        }
        check_bindings(vocab::root(), f_.values, "");
        check_config_entries();
        check_sliding();
        check_rope();
        check_features();
        check_wrappers();
        check_refused_model_types();
    }

private:
    Diagnostic& error(const Location& loc, const std::string& path, const std::string& message) {
        Diagnostic& d = diags_.error(loc.known() ? loc : Location{f_.path, 1, 1}, path, message);
        d.notes = f_.chain_notes();
        return d;
    }

    void check_required(const vocab::KeySpec& spec, const Node& node, const std::string& path) {
        for (const auto& child : spec.children) {
            const Node* value = node.is_map() ? node.find(child.name) : nullptr;
            if (child.type == vocab::Type::Map) {
                if (value) check_required(child, *value, join_path(path, child.name));
                continue;
            }
            if (child.required == vocab::Required::Concrete && !f_.abstract && (!value || value->is_null())) {
                std::string who = f_.chain.size() > 1 ? "'" + f_.id + "' nor any family it extends" : "'" + f_.id + "'";
                error(f_.values.loc, join_path(path, child.name), "missing required key: neither " + who + " sets it");
            }
        }
    }

    std::string field_kind(const std::string& name) const {
        auto it = fields_.find(name);
        if (it == fields_.end()) return "";
        return it->second.type.empty() ? "policy" : it->second.type;
    }

    /// `want` is a type or alternatives joined by '|' (`int|int_per_layer`).
    static bool type_accepted(const std::string& type, const std::string& want) {
        size_t start = 0;
        while (start <= want.size()) {
            size_t bar = std::min(want.find('|', start), want.size());
            if (want.compare(start, bar - start, type) == 0 && type.size() == bar - start) return true;
            start = bar + 1;
        }
        return false;
    }

    static std::string type_choices(std::string want) {
        for (size_t at = want.find('|'); at != std::string::npos; at = want.find('|', at)) want.replace(at, 1, " or ");
        return want;
    }

    void check_field_ref(const Node& value, const std::string& path, const std::string& want) {
        const std::string& name = value.text;
        auto it = fields_.find(name);
        if (it == fields_.end()) {
            std::vector<std::string> names;
            for (const auto& [k, info] : fields_) {
                if (type_accepted(info.type, want)) names.push_back(k);
            }
            std::string message = "'" + name + "' is not a config field of this family";
            if (auto s = vocab::suggest(name, names)) message += " (did you mean '" + *s + "'?)";
            else message += "; declare it under config: with type " + type_choices(want);
            error(value.loc, path, message);
            return;
        }
        if (it->second.type.empty()) {
            error(value.loc, path, "config key '" + name + "' has a policy, so nothing reads it; it must be a field of type " +
                                       type_choices(want));
            return;
        }
        if (!type_accepted(it->second.type, want)) {
            error(value.loc, path, "config field '" + name + "' has type " + it->second.type + "; expected " +
                                       type_choices(want));
        }
    }

    void check_bindings(const vocab::KeySpec& spec, const Node& node, const std::string& path) {
        if (!node.is_map()) return;
        for (const auto& child : spec.children) {
            const Node* value = node.find(child.name);
            if (!value || value->is_null()) continue;
            // Most keys bind nothing: the path is made only for those that may.
            if (child.type == vocab::Type::Map) {
                check_bindings(child, *value, join_path(path, child.name));
            } else if (child.type == vocab::Type::Field && value->kind == Node::Kind::String) {
                check_field_ref(*value, join_path(path, child.name), child.field_type);
            } else if (child.type == vocab::Type::Flag && value->kind == Node::Kind::String) {
                check_field_ref(*value, join_path(path, child.name), "bool");
            }
        }
    }

    /// Whether a literal default has the shape the field's config type states.
    static bool literal_fits(const Node& v, const vocab::ValueShape& shape) {
        using Scalar = vocab::ValueShape::Scalar;
        auto one = [&](const Node& n) {
            switch (shape.scalar) {
                case Scalar::Int:
                    return n.kind == Node::Kind::Int ||
                           (!shape.or_word.empty() && n.kind == Node::Kind::String && n.text == shape.or_word);
                case Scalar::Number: return n.is_number() && std::isfinite(n.number);  // Swift has no literal else
                case Scalar::Bool: return n.kind == Node::Kind::Bool;
                case Scalar::String:
                    return n.kind == Node::Kind::String &&
                           (shape.words.empty() || std::find(shape.words.begin(), shape.words.end(), n.text) != shape.words.end());
                case Scalar::Object: return false;
            }
            return false;
        };
        bool list = v.is_list() && (shape.length == 0 || v.items.size() == shape.length) &&
                    std::all_of(v.items.begin(), v.items.end(), one);
        switch (shape.arity) {
            case vocab::ValueShape::Arity::One: return one(v);
            case vocab::ValueShape::Arity::List: return list;
            case vocab::ValueShape::Arity::OneOrList: return one(v) || list;
        }
        return false;
    }

    void check_config_entries() {
        for (const auto& [key, info] : fields_) {
            const Node& spec = info.entry->value;
            std::string p = "config." + key;
            if (info.type.empty()) {
                check_policy_entry(spec, p);
                continue;
            }
            const Node* dflt = spec.find("default");
            // An optional field's default stands for an absent key only (a stated null stays null),
            // so it is a literal the key itself would have held.
            if (dflt && info.optional && !dflt->is_null()) {
                const Node* fb = spec.find("fallback");
                const Node* read = spec.find("read");
                if (dflt->is_map()) {
                    error(dflt->loc, p + ".default",
                          "an optional field's default is a literal, taken when the key is absent (a stated null "
                          "stays null)");
                } else if ((fb && fb->kind == Node::Kind::String) || (read && read->kind == Node::Kind::Bool && !read->boolean)) {
                    error(dflt->loc, p + ".default",
                          "an optional field with a default is read from its own key, with no fallback");
                }
            }
            if (dflt) check_default(*dflt, p + ".default", key, info.type);
            if (const Node* read = spec.find("read"); read && read->kind == Node::Kind::Bool && !read->boolean) {
                // Never read at the top level: the value comes from the default or the fallback member.
                const Node* fb = spec.find("fallback");
                bool has_fallback = fb && fb->kind == Node::Kind::String;
                if (!dflt && !has_fallback) {
                    error(read->loc, p + ".read", "a field that is never read needs a default or a fallback");
                }
                if (info.optional && !has_fallback) {
                    error(read->loc, p + ".read", "a field that is never read cannot be optional without a fallback");
                }
            }
            if (const Node* fb = spec.find("fallback"); fb && fb->kind == Node::Kind::String) {
                check_fallback(*fb, p + ".fallback", key, info.type);
            }
        }
        check_default_cycles();
    }

    void check_policy_entry(const Node& spec, const std::string& path) {
        const Node* policy = spec.find("policy");
        const Node* values = spec.find("values");
        const Node* why = spec.find("why");
        if (!policy || policy->kind != Node::Kind::String) return;
        if (policy->text == "expect") {
            if (!values || !values->is_list() || values->items.empty()) {
                error(policy->loc, path, "policy 'expect' needs 'values': the values that are accepted");
            } else {
                Node::Kind kind = values->items[0].kind == Node::Kind::Int ? Node::Kind::Float : values->items[0].kind;
                for (const auto& item : values->items) {
                    Node::Kind k = item.kind == Node::Kind::Int ? Node::Kind::Float : item.kind;
                    if (k != kind) {
                        error(item.loc, path + ".values", "all expected values have one type");
                        break;
                    }
                }
            }
        } else if (values && !values->is_null()) {
            error(values->loc, path + ".values", "'values' belongs to policy 'expect' only");
        }
        if ((policy->text == "ignored" || policy->text == "refuse") && (!why || why->is_null())) {
            error(policy->loc, path, "policy '" + policy->text + "' needs 'why': the reason, shown to users");
        }
    }

    void check_default(const Node& dflt, const std::string& path, const std::string& key, const std::string& type) {
        if (dflt.is_map() && !dflt.entries.empty()) {
            const Entry& e = dflt.entries[0];
            if (e.value.kind != Node::Kind::String) return;
            if (e.key == "derive") {
                const vocab::Derivation* d = vocab::find_derivation(e.value.text);
                if (!d) return;  // reported by the loader
                if (d->result_type != type) {
                    error(e.value.loc, path, "derivation '" + d->name + "' gives " + d->result_type +
                                                 "; the field has type " + type);
                }
                const Node* from = dflt.find("from");
                for (const auto& [label, source] : d->arguments) {
                    if (source.rfind("config.", 0) != 0) {
                        const Node* bound = f_.get(source);
                        if (!bound || bound->kind != Node::Kind::String) {
                            error(e.value.loc, path, "derivation '" + d->name + "' needs " + source + " to be bound");
                        }
                        continue;
                    }
                    std::string input = f_.derivation_input(dflt, source);
                    if (field_kind(input).empty() || field_kind(input) == "policy") {
                        const Node* rebound = from && from->is_map() ? from->find(source.substr(7)) : nullptr;
                        error(rebound ? rebound->loc : e.value.loc, rebound ? path + ".from." + source.substr(7) : path,
                              "derivation '" + d->name + "' reads the config field '" + input +
                                  "'; declare it under config:");
                    } else if (input == key) {
                        error(e.value.loc, path, "a field cannot be derived from itself");
                    }
                }
                if (from && from->is_map()) {
                    for (const auto& rebinding : from->entries) {
                        bool read = false;
                        std::string inputs;
                        for (const auto& [label, source] : d->arguments) {
                            if (source.rfind("config.", 0) != 0) continue;
                            inputs += (inputs.empty() ? "" : ", ") + source.substr(7);
                            read = read || source.substr(7) == rebinding.key;
                        }
                        if (!read) {
                            error(rebinding.key_loc, path + ".from." + rebinding.key,
                                  "derivation '" + d->name + "' reads no config input '" + rebinding.key + "'" +
                                      (inputs.empty() ? "" : "; it reads " + inputs));
                        }
                    }
                }
            } else if (e.key == "field") {
                std::string other = field_kind(e.value.text);
                if (other.empty()) {
                    error(e.value.loc, path, "'" + e.value.text + "' is not a config field of this family");
                } else if (other != type) {
                    error(e.value.loc, path, "config field '" + e.value.text + "' has type " + other +
                                                 "; the field '" + key + "' has type " + type);
                } else if (e.value.text == key) {
                    error(e.value.loc, path, "a field cannot default to itself");
                }
            }
            return;
        }
        const vocab::ConfigType* config_type = vocab::find_config_type(type);
        if (config_type && !config_type->shape.literal) {
            error(dflt.loc, path, "a " + type + " field takes no literal default; make it optional");
            return;
        }
        if (!config_type || !literal_fits(dflt, config_type->shape)) {
            error(dflt.loc, path, "default " + flow_text(dflt) + " does not fit the field's type " + type +
                                      scalar_hint(dflt));
        }
    }

    void check_fallback(const Node& fb, const std::string& path, const std::string& key, const std::string& type) {
        size_t dot = fb.text.find('.');
        if (dot == std::string::npos) {
            check_fallback_field(fb, path, key, type);
            return;
        }
        std::string field = fb.text.substr(0, dot);
        std::string member = fb.text.substr(dot + 1);
        std::string ftype = field_kind(field);
        // An ignored rope_parameters is reported once, by check_rope_parameters.
        if (ftype == "policy" && field == "rope_parameters") return;
        const vocab::ConfigType* ct = vocab::find_config_type(ftype);
        if (!ct || ct->members.empty()) {
            error(fb.loc, path, "'" + field + "' is not a config field with members");
            return;
        }
        if (field == key) {
            error(fb.loc, path, "a field cannot fall back to itself");
            return;
        }
        for (const auto& [name, mtype] : ct->members) {
            if (name != member) continue;
            if (mtype != type) {
                error(fb.loc, path, "member '" + member + "' of " + ftype + " has type " + mtype +
                                        "; the field has type " + type);
            }
            return;
        }
        std::vector<std::string> names;
        for (const auto& m : ct->members) names.push_back(m.first);
        std::string message = ftype + " has no member '" + member + "'";
        if (auto s = vocab::suggest(member, names)) message += " (did you mean '" + *s + "'?)";
        error(fb.loc, path, message);
    }

    /// A fallback to a whole field: the same setting under another name (an older config's), read
    /// into an optional field of the same type.
    void check_fallback_field(const Node& fb, const std::string& path, const std::string& key, const std::string& type) {
        std::string ftype = field_kind(fb.text);
        if (ftype.empty() || ftype == "policy") {
            error(fb.loc, path, "'" + fb.text + "' is not a config field of this family; a fallback is FIELD.MEMBER "
                                "or another field");
        } else if (fb.text == key) {
            error(fb.loc, path, "a field cannot fall back to itself");
        } else if (ftype != type) {
            error(fb.loc, path, "config field '" + fb.text + "' has type " + ftype + "; the field has type " + type);
        } else if (!fields_.at(fb.text).optional) {
            error(fb.loc, path, "the field '" + fb.text + "' a value falls back to must be optional (absent, nil)");
        }
    }

    void check_default_cycles() {
        // Defaults that copy other fields must not loop, or the Swift decoder could not order them.
        auto copied_from = [&](const std::string& key) -> const Node* {
            auto it = fields_.find(key);
            if (it == fields_.end()) return nullptr;
            const Node* d = it->second.entry->value.find("default");
            if (!d || !d->is_map() || d->entries.empty() || d->entries[0].key != "field") return nullptr;
            return &d->entries[0].value;
        };
        for (const auto& entry : fields_) {
            const std::string& key = entry.first;
            std::vector<std::string> members{key};
            std::string cur = key;
            for (size_t step = 0; step <= fields_.size(); ++step) {
                const Node* next = copied_from(cur);
                if (!next || next->text == key) {
                    // Report a cycle once, at its alphabetically first member.
                    if (next && *std::min_element(members.begin(), members.end()) == key && members.size() > 1) {
                        std::string text;
                        for (const auto& m : members) text += m + " -> ";
                        error(copied_from(key)->loc, "config." + key + ".default",
                              "defaults copy each other in a cycle: " + text + key);
                    }
                    break;
                }
                cur = next->text;
                members.push_back(cur);
            }
        }
    }

    void check_sliding() {
        const Node* types = f_.get("attention.sliding.layer_types");
        const Node* window = f_.get("attention.sliding.window");
        bool has_types = types && types->kind == Node::Kind::String;
        bool has_window = window && window->kind == Node::Kind::String;
        if (has_types != has_window) {
            const Node* present = has_types ? types : window;
            error(present->loc, "attention.sliding",
                  "'layer_types' and 'window' go together: sliding layers need both");
        }
    }

    /// Chunked layers need their schedule and size, and take the place of a sliding schedule: one
    /// field lists each layer's attention.
    void check_chunked() {
        const Node* types = f_.get("attention.chunked.layer_types");
        const Node* size = f_.get("attention.chunked.size");
        bool has_types = types && types->kind == Node::Kind::String;
        bool has_size = size && size->kind == Node::Kind::String;
        if (has_types != has_size) {
            const Node* present = has_types ? types : size;
            error(present->loc, "attention.chunked", "'layer_types' and 'size' go together: chunked layers need both");
        }
        const Node* sliding = f_.get("attention.sliding.layer_types");
        if (has_types && sliding && sliding->kind == Node::Kind::String) {
            error(types->loc, "attention.chunked", "a family lists each layer's attention once: chunked layers do not "
                                                   "combine with 'attention.sliding'");
        }
    }

    /// Scaling only the layers without RoPE needs the field that says which they are.
    void check_query_scale_layers() {
        const Node* layers = f_.get("attention.query_position_scale.layers");
        if (!layers || layers->text != "nope") return;
        const Node* rope_layers = f_.get("attention.rope.layers");
        if (!rope_layers || rope_layers->kind != Node::Kind::String) {
            error(layers->loc, "attention.query_position_scale.layers",
                  "'nope' scales the layers 'attention.rope.layers' marks 0; bind it");
        }
    }

    void check_features() {
        const Node* scale = f_.get("attention.scale");
        const Node* scale_field = f_.get("attention.scale_field");
        if (scale && scale->text == "inverse_sqrt_field" && (!scale_field || scale_field->kind != Node::Kind::String)) {
            error(scale->loc, "attention.scale", "'inverse_sqrt_field' needs 'attention.scale_field'");
        }
        if (const Node* local = f_.get("attention.rope.local_base"); local && local->kind == Node::Kind::String) {
            const Node* types = f_.get("attention.sliding.layer_types");
            if (!types || types->kind != Node::Kind::String) {
                error(local->loc, "attention.rope.local_base",
                      "a local RoPE base applies to sliding layers; bind 'attention.sliding.layer_types'");
            }
        }
        check_altup_bundle();
        check_chunked();
        check_query_scale_layers();
        check_values_from_keys();
        check_clip();
        check_switched_qk_norm();
        check_normalized_head();
        check_qk_norm_placement();
        check_cross_layer();
        check_layers();
        check_single_block();
        check_mixer_options();
        check_latent_attention();
        check_short_conv();
        check_selective_ssm();
        check_ssd();
        check_summed_mixers();
        check_mup();
        check_gated_delta();
        check_output_gate();
        check_converted_norms();
        check_parallel();
        check_float32_residual();
        check_layer_norm_options();
        check_positions();
        // The head returns its logits through one transform; two would leave one unapplied.
        if (const Node* m = f_.get("head.logit_multiplier"); m && m->kind == Node::Kind::String) {
            for (const char* other : {"head.logit_divisor", "head.softcap"}) {
                if (const Node* n = f_.get(other); n && n->kind == Node::Kind::String) {
                    error(m->loc, "head.logit_multiplier", std::string("is not defined together with '") + other + "'");
                }
            }
        }
        const Node* head_bias = f_.get("head.bias");
        const Node* tie = f_.get("head.tie");
        if (head_bias && (head_bias->kind == Node::Kind::String || head_bias->boolean) && tie &&
            (tie->kind == Node::Kind::String || tie->boolean)) {
            error(head_bias->loc, "head.bias", "a tied head reuses the embedding, which has no bias; set 'head.tie: false'");
        }
        check_experts_beside();
        const Node* kind = f_.get("mlp.kind");
        if (const Node* fuse = f_.get("weights.fuse_gate_up"); fuse && fuse->boolean && (!kind || kind->text != "fused_gated")) {
            error(fuse->loc, "weights.fuse_gate_up", "only a fused MLP holds a joined gate_up_proj; 'mlp.kind' is '" +
                                                         (kind ? kind->text : std::string("gated")) + "'");
        }
        if (const Node* activation = f_.get("mlp.activation"); activation && activation->text == "xielu") {
            if (!kind || kind->text != "plain") {
                error(activation->loc, "mlp.activation", "a learned activation ('xielu') needs 'mlp.kind: plain'");
            }
            if (const Node* field = f_.get("mlp.activation_field"); field && field->kind == Node::Kind::String) {
                error(field->loc, "mlp.activation_field", "a learned activation ('xielu') takes no configured one");
            }
        }
        if (const Node* field = f_.get("mlp.activation_field"); field && field->kind == Node::Kind::String) {
            if (kind && kind->text != "gated" && kind->text != "plain") {
                error(field->loc, "mlp.activation_field", "a configured activation applies to 'mlp.kind: gated' or 'plain'");
            }
            if (const Node* sparsity = f_.get("mlp.activation_sparsity"); sparsity && sparsity->kind == Node::Kind::String) {
                error(field->loc, "mlp.activation_field", "a sparse GELU takes no configured activation");
            }
        }
        if (const Node* sparsity = f_.get("mlp.activation_sparsity"); sparsity && sparsity->kind == Node::Kind::String) {
            const Node* activation = f_.get("mlp.activation");
            if ((kind && kind->text != "gated") || (activation && activation->text != "gelu_approx")) {
                error(sparsity->loc, "mlp.activation_sparsity", "a sparse GELU needs 'mlp.kind: gated' and "
                                                                "'mlp.activation: gelu_approx'");
            }
        }
    }

    bool uses_kind(const char* slot, const std::string& kind) const {
        auto kinds = f_.strings(slot);
        return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    }

    /// A kind's sizes are config fields: each key in `keys` must be bound to one.
    void require_fields(const std::string& slot, const std::string& kind, std::initializer_list<const char*> keys) {
        const Node* listed = f_.get(slot);
        const Node* at = listed && listed->loc.known() ? listed : nullptr;
        for (const char* key : keys) {
            const Node* bound = f_.get(key);
            if (!bound || bound->kind != Node::Kind::String) {
                error(at ? at->loc : Location{}, slot, "'" + kind + "' needs '" + key + "', a config field");
            }
        }
    }

    /// Latent attention is the one mixer of every layer (the mixer slot has no schedule), sized by its
    /// own fields; its options apply only where it is the mixer, and the attention features it does
    /// not compute are refused rather than dropped.
    void check_latent_attention() {
        const Node* slot = f_.get("layers.mixer");
        bool latent = uses_kind("layers.mixer", "latent_attention");
        if (slot && slot->is_list() && slot->items.size() != 1 && !uses_kind("layers.mixer", "short_conv") &&
            !uses_kind("layers.mixer", "gated_delta") && !uses_kind("layers.mixer", "ssd") &&
            !uses_kind("layers.mixer", "selective_ssm")) {
            error(slot->loc, "layers.mixer", "every layer takes one mixer kind: list exactly one");
            return;
        }
        if (!latent) return;
        require_fields("layers.mixer", "latent_attention", {"latent_attention.kv_rank", "latent_attention.nope_head_dim",
                                                             "latent_attention.rope_head_dim", "latent_attention.v_head_dim"});
        for (const char* key : {"attention.sliding.layer_types", "attention.chunked.layer_types", "attention.kv_sharing.shared_layers",
                                "attention.softcap", "attention.rope.fraction", "attention.rope.dimensions",
                                "attention.rope.layers", "attention.clip_qkv",
                                "attention.query_position_scale.enabled"}) {
            if (const Node* n = f_.get(key); n && n->kind == Node::Kind::String) {
                error(n->loc, key, "does not apply to 'latent_attention'");
            }
        }
        for (const char* key : {"attention.sinks", "attention.v_norm"}) {
            if (const Node* n = f_.get(key); n && n->boolean) error(n->loc, key, "does not apply to 'latent_attention'");
        }
        if (const Node* n = f_.get("attention.qk_norm"); n && n->text != "none") {
            error(n->loc, "attention.qk_norm", "does not apply to 'latent_attention'");
        }
    }

    /// Each mixer kind but attention has its options in a map of its own name, which a document may
    /// state only where `layers.mixer` lists the kind.
    void check_mixer_options() {
        const vocab::KeySpec* mixer = vocab::find_key("layers.mixer");
        for (const std::string& kind : mixer ? mixer->values : std::vector<std::string>{}) {
            if (kind == "attention" || uses_kind("layers.mixer", kind)) continue;
            report_stated(f_.get(kind), kind, "applies when 'layers.mixer' lists '" + kind + "'");
        }
    }

    /// An error at every value under `n` (at `path`) that a document states, not a default.
    /// A key set to true or bound to a config field (which may turn it on).
    static bool stated(const Node* n) { return n && (n->kind == Node::Kind::String || n->boolean); }

    /// A layer of another shape than the usual two blocks (`shape`, as errors name it, and `verb`
    /// agreeing with it) is pre-norm, with none of `keys`, the options of a two-block layer's residual.
    void check_layer_shape(const std::string& shape, const std::string& verb, std::initializer_list<const char*> keys) {
        if (const Node* placement = f_.get("norm.placement"); placement && placement->text != "pre") {
            error(placement->loc, "norm.placement", shape + " " + verb + " 'pre'");
        }
        for (const char* key : keys) {
            if (const Node* n = f_.get(key); stated(n)) error(n->loc, key, "does not apply to " + shape);
        }
    }

    void report_stated(const Node* n, const std::string& path, const std::string& message) {
        if (!n) return;
        if (n->is_map()) {
            for (const auto& e : n->entries) report_stated(&e.value, path + "." + e.key, message);
        } else if (n->loc.known()) {
            error(n->loc, path, message);
        }
    }

    /// The short convolution takes its layers beside attention's, by a mixer schedule; it needs its
    /// width, and its options apply only where some layer is one.
    void check_short_conv() {
        const Node* schedule = f_.get("layers.schedule.mixer");
        if (!uses_kind("layers.mixer", "short_conv")) {
            if (schedule && schedule->kind == Node::Kind::String && !uses_kind("layers.mixer", "gated_delta") &&
                !uses_kind("layers.mixer", "ssd") && !uses_kind("layers.mixer", "selective_ssm")) {
                error(schedule->loc, "layers.schedule.mixer",
                      "a mixer schedule chooses between 'attention' and 'short_conv', 'gated_delta', 'ssd' or "
                      "'selective_ssm'");
            }
            return;
        }
        check_scheduled_beside_attention("short_conv", false);
        require_fields("layers.mixer", "short_conv", {"short_conv.kernel"});
    }

    /// The gated delta rule takes its layers beside attention's, by a mixer schedule; it needs its
    /// sizes, and the attention features that count positions in every layer's cache are refused.
    void check_gated_delta() {
        if (!uses_kind("layers.mixer", "gated_delta")) return;
        check_scheduled_beside_attention("gated_delta", false);
        require_fields("layers.mixer", "gated_delta", {"gated_delta.key_heads", "gated_delta.value_heads",
                                                       "gated_delta.key_head_dim", "gated_delta.value_head_dim",
                                                       "gated_delta.kernel"});
    }

    /// A kind scheduled beside attention keeps a cache that counts no positions: the attention
    /// features that read every layer's cache or offset, or schedule attention per layer themselves,
    /// are refused beside it, as is the parallel residual.
    void check_beside_attention(const std::string& kind) {
        // Per-layer rotation (attention.rope.layers) is read by the attention layers alone, and
        // Granite-4.0-H's fixtures prove it beside a recurrent kind.
        for (const char* key : {"attention.sliding.layer_types", "attention.chunked.layer_types", "attention.kv_sharing.shared_layers",
                                "attention.cross_layer_kv.group", "embedding.positions.table", "residual.altup.streams"}) {
            if (const Node* n = f_.get(key); n && n->kind == Node::Kind::String) {
                error(n->loc, key, "does not apply beside '" + kind + "'");
            }
        }
        if (const Node* parallel = f_.get("residual.parallel"); stated(parallel)) {
            error(parallel->loc, "residual.parallel", "does not apply beside '" + kind + "'");
        }
    }

    /// Only a norm that scales by (1 + weight) has a one to remove, and a marker without norms (or
    /// norms without a marker) would never act.
    void check_converted_norms() {
        const Node* marker = f_.get("weights.converted_norm_offset.marker");
        const Node* norms = f_.get("weights.converted_norm_offset.norms");
        bool has_marker = marker && marker->kind == Node::Kind::String;
        bool has_norms = norms && norms->is_list() && !norms->items.empty();
        if (!has_marker && !has_norms) return;
        const Node* at = has_marker ? marker : norms;
        if (has_marker != has_norms) {
            error(at->loc, "weights.converted_norm_offset", "needs both 'marker' and 'norms'");
        }
        if (const Node* kind = f_.get("norm.kind"); kind && kind->text != "rms_one_plus" && kind->text != "layer_one_plus") {
            error(at->loc, "weights.converted_norm_offset", "applies to norms that scale by (1 + weight) ('norm.kind: rms_one_plus')");
        }
    }

    /// The output gate rides on a separate query projection, and the path of layers that reuse
    /// another layer's keys and values has none.
    void check_output_gate() {
        const Node* gate = f_.get("attention.output_gate");
        if (!gate || !gate->boolean) return;
        if (const Node* projection = f_.get("attention.projection"); projection && projection->text != "separate") {
            error(gate->loc, "attention.output_gate", "needs 'attention.projection: separate'");
        }
        if (const Node* shared = f_.get("attention.kv_sharing.shared_layers"); shared && shared->kind == Node::Kind::String) {
            error(gate->loc, "attention.output_gate", "does not apply beside 'attention.kv_sharing'");
        }
        if (uses_kind("layers.mixer", "latent_attention")) {
            error(gate->loc, "attention.output_gate", "does not apply to 'latent_attention'");
        }
    }

    /// A layer without a feed-forward is x + mixer(norm(x)): one norm before the mixer, nothing the
    /// feed-forward's half of a layer would hold.
    void check_without_feed_forward(const Node* slot) {
        check_layer_shape("a layer without a feed-forward", "takes",
                          {"residual.parallel", "residual.multiplier", "residual.layer_scalar", "residual.clip_float16",
                           "embedding.per_layer.width", "experts.beside_mlp"});
        if (!uses_kind("layers.mixer", "selective_ssm") && !uses_kind("layers.mixer", "ssd")) {
            error(slot->loc, "layers.feed_forward", "a layer needs a feed-forward kind beside an attention or convolution mixer");
        }
    }

    /// `none` in a slot makes each layer one block: its mixer, or on the layers whose mixer schedule
    /// names none, its feed-forward, x + block(norm(x)) with one norm. Both slots then list `none` by
    /// their schedules, the blocks share one key, and the layer has nothing of a two-block layer's.
    void check_single_block() {
        bool mixer_none = uses_kind("layers.mixer", "none");
        bool ff_none = uses_kind("layers.feed_forward", "none");
        if (!mixer_none && !ff_none) return;
        for (const char* slot_key : {"layers.mixer", "layers.feed_forward"}) {
            const Node* slot = f_.get(slot_key);
            // A slot of several kinds without its schedule is reported with the slot's other checks.
            if (!uses_kind(slot_key, "none")) {
                error(slot->loc, slot_key, "a layer of one block needs 'none' here too, as the other slot lists it");
            } else if (slot->items.size() < 2) {
                error(slot->loc, slot_key, "'none' is listed beside the kinds a schedule chooses it from");
            }
        }
        for (const auto& kind : f_.strings("layers.mixer")) {
            if (kind != "none" && kind != "attention" && kind != "ssd") {
                const Node* slot = f_.get("layers.mixer");
                error(slot->loc, "layers.mixer", "a layer of one block mixes by 'attention' or 'ssd'; '" + kind + "' is listed");
            }
        }
        // Every kind's block sits under the one key of the layer.
        const Node* first = nullptr;
        std::string first_key;
        auto same_key = [&](const char* slot, const char* kind, const char* key) {
            if (!uses_kind(slot, kind)) return;
            const Node* n = f_.get(key);
            std::string text = n ? n->text : "";
            if (!first) {
                first = n;
                first_key = key;
            } else if (first->text != text) {
                error(n && n->loc.known() ? n->loc : first->loc, key,
                      "a layer of one block holds every kind under one key; '" + first_key + "' is '" + first->text + "'");
            }
        };
        same_key("layers.mixer", "attention", "attention.keys.block");
        same_key("layers.mixer", "ssd", "ssd.keys.block");
        same_key("layers.feed_forward", "mlp", "mlp.keys.block");
        same_key("layers.feed_forward", "experts", "experts.keys.block");
        check_layer_shape("a layer of one block", "takes",
                          {"residual.parallel", "residual.multiplier", "residual.layer_scalar", "residual.clip_float16",
                           "residual.float32", "embedding.per_layer.width", "experts.beside_mlp"});
    }

    /// The selective state-space block is the one mixer of every layer, or takes its layers beside
    /// attention's by a mixer schedule (each layer then with its feed-forward); sized by its own fields,
    /// its options apply only where some layer is one.
    void check_selective_ssm() {
        if (!uses_kind("layers.mixer", "selective_ssm")) return;
        check_scheduled_beside_attention("selective_ssm", true);
        require_fields("layers.mixer", "selective_ssm", {"selective_ssm.inner", "selective_ssm.state",
                                                         "selective_ssm.time_step_rank", "selective_ssm.kernel"});
        const Node* normed = f_.get("selective_ssm.bcdt_norm");
        const Node* eps = f_.get("selective_ssm.bcdt_norm_eps");
        if (normed && (normed->kind == Node::Kind::String || normed->boolean) && (!eps || eps->kind != Node::Kind::String)) {
            error(normed->loc, "selective_ssm.bcdt_norm", "needs 'selective_ssm.bcdt_norm_eps', a config field");
        }
        // Learned weights are tensors the checkpoint holds or not: a config switch cannot add them.
        if (const Node* weighted = f_.get("selective_ssm.bcdt_norm_weights"); weighted && weighted->boolean) {
            if (!normed || normed->kind == Node::Kind::String || !normed->boolean) {
                error(weighted->loc, "selective_ssm.bcdt_norm_weights", "needs 'selective_ssm.bcdt_norm: true'");
            }
        }
    }

    /// A recurrent kind beside attention takes each layer's kind from a mixer schedule and keeps a
    /// feed-forward on every layer; one that may also be every layer's mixer (`alone_too`) then needs no
    /// schedule.
    void check_scheduled_beside_attention(const std::string& kind, bool alone_too) {
        const Node* slot = f_.get("layers.mixer");
        const Node* at = slot && slot->loc.known() ? slot : nullptr;
        const Node* schedule = f_.get("layers.schedule.mixer");
        bool scheduled = schedule && schedule->kind == Node::Kind::String;
        if (alone_too && slot->items.size() == 1) {
            if (scheduled) {
                error(schedule->loc, "layers.schedule.mixer", "a schedule chooses among kinds; 'layers.mixer' lists only one");
            }
            return;
        }
        // A layer of one block lists `none` beside its mixers.
        size_t listed = slot->items.size() - (uses_kind("layers.mixer", "none") ? 1 : 0);
        if (!uses_kind("layers.mixer", "attention") || listed != 2) {
            error(at ? at->loc : Location{}, "layers.mixer",
                  "'" + kind + (alone_too ? "' is listed alone or beside 'attention' alone" : "' is listed beside 'attention' alone"));
        } else if (!scheduled) {
            error(at ? at->loc : Location{}, "layers.mixer",
                  "several kinds need 'layers.schedule.mixer', the config field naming each layer's kind");
        }
        const Node* ff = f_.get("layers.feed_forward");
        if (ff && ff->is_list() && ff->items.empty()) {
            error(ff->loc, "layers.feed_forward", "'" + kind + "' beside 'attention' needs a feed-forward kind");
        }
        check_beside_attention(kind);
    }

    /// The head-wise state-space block is the one mixer of every layer, or takes its layers beside
    /// attention's by a mixer schedule (each layer then with its feed-forward); sized by its own fields.
    void check_ssd() {
        if (!uses_kind("layers.mixer", "ssd")) return;
        if (!summed()) check_scheduled_beside_attention("ssd", true);
        require_fields("layers.mixer", "ssd", {"ssd.heads", "ssd.head_dim", "ssd.state", "ssd.groups", "ssd.kernel", "ssd.norm_eps"});
    }

    bool summed() const {
        const Node* n = f_.get("layers.mixers_summed");
        return n && n->boolean;
    }

    /// Layers that sum two mixers run attention and `ssd` on every layer, by no schedule, each
    /// pre-norm layer then its feed-forward; nothing else of a layer's shapes applies to them.
    void check_summed_mixers() {
        if (!summed()) return;
        const Node* flag = f_.get("layers.mixers_summed");
        const Node* slot = f_.get("layers.mixer");
        if (!slot || slot->items.size() != 2 || !uses_kind("layers.mixer", "attention") || !uses_kind("layers.mixer", "ssd")) {
            error(flag->loc, "layers.mixers_summed", "sums 'attention' and 'ssd'; 'layers.mixer' lists exactly those two");
        }
        if (const Node* schedule = f_.get("layers.schedule.mixer"); schedule && schedule->kind == Node::Kind::String) {
            error(schedule->loc, "layers.schedule.mixer", "layers that sum their mixers run both on every layer; no schedule");
        }
        const Node* ff = f_.get("layers.feed_forward");
        if (!ff || !ff->is_list() || ff->items.size() != 1 || !uses_kind("layers.feed_forward", "mlp")) {
            error(flag->loc, "layers.mixers_summed", "layers that sum their mixers take one feed-forward, 'mlp'");
        }
        // The parallel residual is refused beside 'ssd', as for any layer beside a recurrence.
        check_layer_shape("layers that sum their mixers", "take",
                          {"residual.multiplier", "residual.layer_scalar", "residual.clip_float16", "residual.float32",
                           "embedding.per_layer.width", "attention.rope.layers"});
        check_beside_attention("ssd");
    }

    /// The muP multipliers are folded as a PyTorch-layout checkpoint loads, which the `ssd`
    /// convolution's layout tells; they name the projections of separate attention and a gated MLP.
    void check_mup() {
        const Node* mup = f_.get("mup");
        bool stated = false;
        if (mup && mup->is_map()) {
            for (const auto& e : mup->entries) stated = stated || e.value.kind == Node::Kind::String;
        }
        if (!stated) return;
        if (!summed()) {
            report_stated(mup, "mup", "applies to layers that sum attention and 'ssd' ('layers.mixers_summed: true')");
            return;
        }
        for (const char* key : {"mup.embedding", "mup.head", "mup.attention_in", "mup.key", "mup.attention_out",
                                "mup.ssd_in", "mup.ssd_out", "mup.ssd_segments", "mup.mlp"}) {
            const Node* n = f_.get(key);
            if (!n || n->kind != Node::Kind::String) {
                const Node* at = nullptr;
                for (const auto& e : mup->entries) if (e.value.loc.known()) { at = &e.value; break; }
                error(at ? at->loc : Location{}, "mup", std::string("needs '") + key + "', a config field");
            }
        }
        if (const Node* kind = f_.get("mlp.kind"); kind && kind->text != "gated") {
            error(kind->loc, "mlp.kind", "the muP multipliers scale a gate projection; 'gated' only");
        }
        if (const Node* projection = f_.get("attention.projection"); projection && projection->text != "separate") {
            error(projection->loc, "attention.projection", "the muP multipliers scale keys apart; 'separate' only");
        }
        for (const char* key : {"head.logit_multiplier", "head.logit_divisor", "embedding.multiplier"}) {
            if (const Node* n = f_.get(key); n && n->kind == Node::Kind::String) {
                error(n->loc, key, "does not apply beside the muP multipliers, which scale the embedding and logits");
            }
        }
    }

    /// The layers' kinds against their schedules and options: a slot with several kinds needs a
    /// schedule, and a kind's options apply only when some layer uses it.
    void check_layers() {
        const Node* slot = f_.get("layers.feed_forward");
        const Node* schedule = f_.get("layers.schedule.feed_forward");
        bool scheduled = schedule && schedule->kind == Node::Kind::String;
        if (slot && slot->is_list()) {
            if (slot->items.empty()) {
                check_without_feed_forward(slot);
            } else if (slot->items.size() > 1 && !scheduled) {
                error(slot->loc, "layers.feed_forward",
                      "several kinds need 'layers.schedule.feed_forward', the config field naming each layer's kind");
            } else if (slot->items.size() == 1 && scheduled) {
                error(schedule->loc, "layers.schedule.feed_forward",
                      "a schedule chooses among kinds; 'layers.feed_forward' lists only one");
            }
        }
        bool experts = uses_kind("layers.feed_forward", "experts");
        bool dense = uses_kind("layers.feed_forward", "mlp");
        const Node* beside = f_.get("experts.beside_mlp");
        bool beside_mlp = beside && (beside->kind == Node::Kind::String || beside->boolean);
        const Node* at = slot && slot->loc.known() ? slot : nullptr;
        const Node* mixer = f_.get("experts.router.order");
        bool sparse_mixer = mixer && mixer->text == "sparse_mixer";
        for (const char* key : {"experts.count", "experts.per_token"}) {
            const Node* bound = f_.get(key);
            bool is_bound = bound && bound->kind == Node::Kind::String;
            if (sparse_mixer && std::string(key) == "experts.per_token") {
                if (is_bound) error(bound->loc, key, "the sparse mixer routes two experts; 'per_token' applies to other orders");
                continue;
            }
            if (experts && !is_bound) {
                error(at ? at->loc : Location{}, "layers.feed_forward", std::string("'experts' needs '") + key + "', a config field");
            }
        }
        if (!experts && !beside_mlp) {
            for (const char* key : {"experts.count", "experts.per_token", "experts.intermediate", "experts.shared.intermediate",
                                    "experts.latent", "experts.activation_field"}) {
                if (const Node* bound = f_.get(key); bound && bound->kind == Node::Kind::String) {
                    error(bound->loc, key, "applies when 'layers.feed_forward' lists 'experts'");
                }
            }
        }
        if (const Node* split = f_.get("weights.split_stacked_gate_up"); split && split->boolean && !experts && !beside_mlp) {
            error(split->loc, "weights.split_stacked_gate_up", "splitting experts' projections needs experts");
        }
        if (const Node* width = f_.get("mlp.width"); width && width->kind == Node::Kind::String && !dense) {
            error(width->loc, "mlp.width", "applies when 'layers.feed_forward' lists 'mlp'");
        }
        if (const Node* from = f_.get("weights.stack_experts.from"); from && from->kind == Node::Kind::String) {
            const Node* names = f_.get("weights.stack_experts.names");
            if (!experts) error(from->loc, "weights.stack_experts", "stacking experts needs 'layers.feed_forward' to list 'experts'");
            if (!names || !names->is_map() || names->entries.empty()) {
                error(from->loc, "weights.stack_experts", "'names' maps each per-expert projection to a stacked one");
            }
        }
        check_fused_experts(experts);
        const Node* order = f_.get("experts.router.order");
        const Node* normalize = f_.get("experts.router.normalize");
        bool normalizes = normalize && (normalize->kind == Node::Kind::String || normalize->boolean);
        if (order && order->text == "top_k_then_softmax" && normalizes) {
            error(normalize->loc, "experts.router.normalize",
                  "a softmax over the k selected logits already sums to one; 'normalize' applies to 'softmax_then_top_k'");
        }
        check_router();
        check_expert_projections(experts, beside_mlp);
        const Node* shared_gate = f_.get("experts.shared.gated");
        const Node* shared = f_.get("experts.shared.intermediate");
        if (shared_gate && shared_gate->boolean && !(shared && shared->kind == Node::Kind::String)) {
            error(shared_gate->loc, "experts.shared.gated", "a gated shared expert needs 'experts.shared.intermediate'");
        }
        const Node* shared_enabled = f_.get("experts.shared.enabled");
        if (shared_enabled && shared_enabled->kind == Node::Kind::String && !(shared && shared->kind == Node::Kind::String)) {
            error(shared_enabled->loc, "experts.shared.enabled",
                  "a shared expert the config switches on needs 'experts.shared.intermediate'");
        }
        if (shared_gate && shared_gate->boolean && shared_enabled && shared_enabled->kind == Node::Kind::String) {
            error(shared_enabled->loc, "experts.shared.enabled", "a shared expert a config switches off has no gate; "
                                                                 "'experts.shared.gated' is true");
        }
        check_shared_alone(shared, shared_enabled, shared_gate, beside_mlp);
        // One module key per layer: scheduled kinds share it.
        if (experts && dense) {
            const Node* a = f_.get("mlp.keys.block");
            const Node* b = f_.get("experts.keys.block");
            if (a && b && a->text != b->text) {
                error(b->loc.known() ? b->loc : a->loc, "experts.keys.block",
                      "scheduled feed-forward kinds share one key in a layer; 'mlp.keys.block' is '" + a->text + "'");
            }
        }
    }

    /// Ungated experts take their activation from the config and hold no gate for a checkpoint layout to
    /// split into; latent projections wrap experts that stand in a layer's place and weight their outputs.
    void check_expert_projections(bool experts, bool beside_mlp) {
        const Node* gated = f_.get("experts.gated");
        bool ungated = gated && gated->kind == Node::Kind::Bool && !gated->boolean;
        const Node* field = f_.get("experts.activation_field");
        bool configured = field && field->kind == Node::Kind::String;
        const Node* weighted = f_.get("experts.router.weighted");
        bool weighted_inputs = weighted && weighted->text == "inputs";
        if (configured && !ungated) {
            error(field->loc, "experts.activation_field", "names ungated experts' activation; set 'experts.gated: false'");
        }
        if (ungated) {
            if (!configured && (experts || beside_mlp)) {
                error(gated->loc, "experts.gated", "ungated experts need 'activation_field', the config field naming their "
                                                   "activation");
            }
            if (const Node* activation = f_.get("experts.activation"); activation && activation->loc.known()) {
                error(activation->loc, "experts.activation", "combines a gate with up; ungated experts take "
                                                             "'activation_field'");
            }
            for (const char* key : {"experts.beside_mlp", "experts.router.weighted", "weights.split_interleaved_gate_up",
                                    "weights.split_concatenated_gate_up", "weights.split_stacked_gate_up",
                                    "weights.fused_experts.gate_up"}) {
                const Node* n = f_.get(key);
                bool set = std::string(key) == "experts.router.weighted"
                               ? weighted_inputs
                               : n && (n->kind == Node::Kind::String || (n->kind == Node::Kind::Bool && n->boolean));
                if (set) error(n->loc, key, "is defined for gated experts; 'experts.gated' is false");
            }
        }
        const Node* latent = f_.get("experts.latent");
        bool has_latent = latent && latent->kind == Node::Kind::String;
        if (has_latent && (beside_mlp || weighted_inputs)) {
            error(latent->loc, "experts.latent", "projects experts in a layer's place whose weights scale their outputs; "
                                                 "not experts beside the MLP or weighted inputs");
        }
        const Node* latent_bias = f_.get("experts.latent_bias");
        if (!has_latent && stated(latent_bias)) {
            error(latent_bias->loc, "experts.latent_bias", "applies with 'experts.latent'");
        }
    }

    /// Fused expert tensors are split into the experts' projections: both tensors are named, and some
    /// layer has experts to receive them.
    void check_fused_experts(bool experts) {
        const Node* gate_up = f_.get("weights.fused_experts.gate_up");
        const Node* down = f_.get("weights.fused_experts.down");
        bool has_gate_up = gate_up && gate_up->kind == Node::Kind::String;
        bool has_down = down && down->kind == Node::Kind::String;
        if (has_gate_up != has_down) {
            const Node* at = has_gate_up ? gate_up : down;
            error(at->loc, "weights.fused_experts", "fused experts need both 'gate_up' and 'down'");
        } else if (has_gate_up && !experts) {
            error(gate_up->loc, "weights.fused_experts", "splitting fused experts needs 'layers.feed_forward' to list 'experts'");
        }
        // A nested router holds its bias beside its layer, or leaves it to the mixture; a bias in a
        // module of its own goes with a bare float32 router.
        const Node* nested = f_.get("experts.keys.router_layer");
        const Node* module = f_.get("experts.keys.selection_bias_module");
        if (nested && nested->kind == Node::Kind::String && module && module->kind == Node::Kind::String) {
            error(nested->loc, "experts.keys.router_layer",
                  "a router whose selection bias sits in 'selection_bias_module' is a bare float32 matrix; it cannot "
                  "be nested");
        }
    }

    /// Scores, selection bias, groups and scaling belong to routers that score every expert first.
    /// The shared expert left alone where a configuration has no routed experts: there must be one,
    /// always there, and nothing else of the mixture's may be needed without the router.
    void check_shared_alone(const Node* shared, const Node* enabled, const Node* gated, bool beside_mlp) {
        const Node* alone = f_.get("experts.shared.alone_without_experts");
        if (!alone || !alone->boolean) return;
        const char* path = "experts.shared.alone_without_experts";
        if (!(shared && shared->kind == Node::Kind::String)) {
            error(alone->loc, path, "the shared expert left alone needs 'experts.shared.intermediate'");
        } else if (enabled && !(enabled->kind == Node::Kind::Bool && enabled->boolean)) {
            error(alone->loc, path, "the shared expert left alone must always be there; 'experts.shared.enabled' is '" +
                                        enabled->text + "'");
        } else if (gated && gated->boolean) {
            error(alone->loc, path, "a gated shared expert needs its gate's router input; 'experts.shared.gated' is true");
        } else if (beside_mlp) {
            error(alone->loc, path, "experts beside the dense MLP are switched by 'experts.beside_mlp' instead");
        }
        if (stated(f_.get("experts.router.selection_bias"))) {
            error(alone->loc, path, "a selection bias belongs to the router, which may be absent; "
                                    "'experts.router.selection_bias' is set");
        }
    }

    void check_router() {
        check_selection_bias_parameter();
        const Node* apart = f_.get("experts.keys.selection_bias_module");
        const Node* bias = f_.get("experts.router.selection_bias");
        if (apart && apart->kind == Node::Kind::String && !(bias && bias->kind == Node::Kind::Bool && bias->boolean)) {
            error(apart->loc, "experts.keys.selection_bias_module", "names where the selection bias is stored, but "
                                                                     "'experts.router.selection_bias' is not true");
        }
        const Node* beside = f_.get("experts.keys.selection_bias");
        if (apart && apart->kind == Node::Kind::String && beside && beside->kind == Node::Kind::String) {
            error(beside->loc, "experts.keys.selection_bias",
                  "the selection bias is kept in one place: here, or in 'experts.keys.selection_bias_module'");
        }
        const Node* order = f_.get("experts.router.order");
        const Node* jitter = f_.get("experts.router.jitter_eps");
        bool has_jitter = jitter && jitter->kind == Node::Kind::String;
        if (order && order->text == "sparse_mixer") {
            if (!has_jitter) {
                error(order->loc, "experts.router.order", "the sparse mixer needs 'jitter_eps', the config field of its band");
            }
            for (const char* key : {"experts.router.scores", "experts.router.normalize", "experts.router.selection_bias",
                                    "experts.router.groups.count", "experts.router.scale", "experts.router.scores_field"}) {
                const Node* n = f_.get(key);
                if (n && (n->kind == Node::Kind::String || (n->kind == Node::Kind::Bool && n->boolean)) &&
                    !(std::string(key) == "experts.router.scores" && n->text == "softmax")) {
                    error(n->loc, key, "applies to order 'softmax_then_top_k', which scores every expert first");
                }
            }
            return;
        }
        if (has_jitter) error(jitter->loc, "experts.router.jitter_eps", "applies to order 'sparse_mixer'");
        if (!order || order->text != "top_k_then_softmax") {
            const Node* count = f_.get("experts.router.groups.count");
            const Node* selected = f_.get("experts.router.groups.selected");
            bool has_count = count && count->kind == Node::Kind::String;
            bool has_selected = selected && selected->kind == Node::Kind::String;
            if (has_count != has_selected) {
                const Node* at = has_count ? count : selected;
                error(at->loc, "experts.router.groups", "grouped top-k needs both 'count' and 'selected'");
            }
            check_selection_bias_key();
            return;
        }
        check_selection_bias_key();
        const Node* scores = f_.get("experts.router.scores");
        if (scores && scores->text == "sigmoid") {
            error(scores->loc, "experts.router.scores", "order 'top_k_then_softmax' softmaxes the selected logits; "
                                                        "'scores' applies to 'softmax_then_top_k'");
        }
        for (const char* key : {"experts.router.selection_bias", "experts.router.groups.count", "experts.router.scale",
                                "experts.router.normalize_floor", "experts.router.scores_field"}) {
            const Node* n = f_.get(key);
            if (n && (n->kind == Node::Kind::String || (n->kind == Node::Kind::Bool && n->boolean))) {
                error(n->loc, key, "applies to order 'softmax_then_top_k', which scores every expert first");
            }
        }
    }

    /// The bias's own key inside the router names a bias the router holds.
    void check_selection_bias_parameter() {
        const Node* parameter = f_.get("experts.keys.selection_bias_parameter");
        if (!parameter || !parameter->loc.known()) return;
        const Node* bias = f_.get("experts.router.selection_bias");
        bool biased = bias && (bias->kind == Node::Kind::String || bias->boolean);
        bool elsewhere = false;
        for (const char* key : {"experts.keys.selection_bias", "experts.keys.selection_bias_module"}) {
            const Node* n = f_.get(key);
            elsewhere = elsewhere || (n && n->kind == Node::Kind::String);
        }
        if (!biased || elsewhere) {
            error(parameter->loc, "experts.keys.selection_bias_parameter",
                  "names the selection bias inside the router, which holds none");
        }
    }

    /// A key for the selection bias places a bias the router must have.
    void check_selection_bias_key() {
        const Node* key = f_.get("experts.keys.selection_bias");
        if (!key || key->kind != Node::Kind::String) return;
        const Node* bias = f_.get("experts.router.selection_bias");
        if (!bias || !bias->boolean) {
            error(key->loc, "experts.keys.selection_bias",
                  "names where the selection bias is kept; it needs 'experts.router.selection_bias: true'");
        }
    }

    /// Clipping follows a whole-projection norm, so it is defined only where queries and keys are
    /// still whole projections when it applies.
    void check_clip() {
        const Node* clip = f_.get("attention.clip_qkv");
        if (!clip || clip->kind != Node::Kind::String) return;
        if (auto it = fields_.find(clip->text); it != fields_.end() && !it->second.type.empty() && !it->second.optional) {
            error(clip->loc, "attention.clip_qkv", "binds '" + clip->text + "', which must be optional: without a limit "
                                                   "nothing is clipped");
        }
        const Node* qk_norm = f_.get("attention.qk_norm");
        if (qk_norm && (qk_norm->text == "per_head" || qk_norm->text == "per_head_weights")) {
            error(clip->loc, "attention.clip_qkv", "clipping is defined after a whole-projection q/k norm, not a "
                                                   "per-head one");
        }
        const Node* shared = f_.get("attention.kv_sharing.shared_layers");
        if (shared && shared->kind == Node::Kind::String) {
            error(clip->loc, "attention.clip_qkv", "clipping is not defined with shared keys and values");
        }
    }

    /// q/k norms a config switches are optional modules applied before RoPE; layers sharing keys and
    /// values hold their key norm optionally already, which the two together would not tell apart.
    void check_switched_qk_norm() {
        const Node* enabled = f_.get("attention.qk_norm_enabled");
        if (!enabled || enabled->kind != Node::Kind::String) return;
        const Node* shared = f_.get("attention.kv_sharing.shared_layers");
        if (shared && shared->kind == Node::Kind::String) {
            error(enabled->loc, "attention.qk_norm_enabled", "q/k norms a config switches are not defined with shared "
                                                             "keys and values");
        }
        const Node* placement = f_.get("attention.qk_norm_placement");
        if (placement && placement->text == "after_rope") {
            error(enabled->loc, "attention.qk_norm_enabled", "q/k norms a config switches apply before RoPE; "
                                                             "'attention.qk_norm_placement' is 'after_rope'");
        }
    }

    /// A normalised head is divided when it is loaded; a tied one is the embedding, which would be
    /// divided with it.
    void check_normalized_head() {
        const Node* normalized = f_.get("head.normalized_columns");
        const Node* tie = f_.get("head.tie");
        bool always = normalized && normalized->kind == Node::Kind::Bool && normalized->boolean;
        if (always && tie && tie->kind == Node::Kind::Bool && tie->boolean) {
            error(normalized->loc, "head.normalized_columns", "a tied head is the embedding; it cannot be normalised");
        }
    }

    /// A decoder takes its positions from RoPE or from a learned table, one of the two, never both; or,
    /// where a recurrent kind mixes some layers, from that recurrence alone (attention without RoPE).
    void check_positions() {
        const Node* table = f_.get("embedding.positions.table");
        const Node* base = f_.get("attention.rope.base");
        if (table && base) {
            error(table->loc, "embedding.positions.table",
                  "learned positions replace RoPE; remove the rotation with 'attention.rope: null'");
        }
        bool attends = uses_kind("layers.mixer", "attention") || uses_kind("layers.mixer", "latent_attention");
        bool recurrent = false;
        for (const char* kind : {"short_conv", "selective_ssm", "ssd", "gated_delta"}) {
            recurrent = recurrent || uses_kind("layers.mixer", kind);
        }
        if (!table && !base && !f_.abstract && attends && !recurrent) {
            std::string who = f_.chain.size() > 1 ? "'" + f_.id + "' nor any family it extends" : "'" + f_.id + "'";
            error(f_.values.loc, "attention.rope.base",
                  "missing required key: neither " + who + " sets it, and no 'embedding.positions' replaces RoPE");
        }
    }

    /// A bias and norms weighted per head are LayerNorm options; RMS norms have neither.
    void check_layer_norm_options() {
        const Node* kind = f_.get("norm.kind");
        if (kind && kind->text == "layer") return;
        const Node* bias = f_.get("norm.bias");
        if (bias && bias->kind == Node::Kind::Bool && !bias->boolean) {
            error(bias->loc, "norm.bias", "only LayerNorms have a bias; it needs 'norm.kind: layer'");
        }
        const Node* affine = f_.get("norm.affine");
        if (affine && affine->kind == Node::Kind::Bool && !affine->boolean) {
            error(affine->loc, "norm.affine", "only LayerNorms go without learned parameters; it needs 'norm.kind: layer'");
        }
        const Node* qk_norm = f_.get("attention.qk_norm");
        if (qk_norm && qk_norm->text == "per_head_weights") {
            error(qk_norm->loc, "attention.qk_norm", "'per_head_weights' norms are LayerNorms; it needs 'norm.kind: layer'");
        }
    }

    /// Only a per-head norm can follow RoPE, which rotates each head.
    void check_qk_norm_placement() {
        const Node* placement = f_.get("attention.qk_norm_placement");
        if (!placement || placement->text != "after_rope") return;
        const Node* qk_norm = f_.get("attention.qk_norm");
        if (!qk_norm || qk_norm->text != "per_head") {
            error(placement->loc, "attention.qk_norm_placement",
                  "a norm after RoPE acts on each rotated head; it needs 'attention.qk_norm: per_head'");
        }
    }

    /// A parallel layer sums both blocks into its input at once; the other residual shapes (norms
    /// after the blocks, scaled or clipped sums, per-layer tails, shared keys and values) assume two
    /// additions in turn.
    void check_parallel() {
        const Node* parallel = f_.get("residual.parallel");
        const Node* own_norm = f_.get("residual.parallel_mlp_norm");
        if (!parallel || (parallel->kind == Node::Kind::Bool && !parallel->boolean)) {
            if (own_norm && own_norm->boolean) {
                error(own_norm->loc, "residual.parallel_mlp_norm", "applies to parallel layers ('residual.parallel')");
            }
            return;
        }
        const Node* placement = f_.get("norm.placement");
        if (placement && placement->text != "pre") {
            error(placement->loc, "norm.placement", "a parallel layer normalises its input once; it needs 'pre'");
        }
        for (const char* key : {"residual.multiplier", "residual.altup.streams", "residual.laurel.rank",
                                "attention.kv_sharing.shared_layers", "attention.cross_layer_kv.group",
                                "embedding.per_layer.width"}) {
            if (const Node* n = f_.get(key); n && n->kind == Node::Kind::String) {
                error(n->loc, key, "is not defined for parallel layers ('residual.parallel')");
            }
        }
        for (const char* key : {"residual.clip_float16", "residual.layer_scalar", "experts.beside_mlp"}) {
            if (const Node* n = f_.get(key); n && (n->kind == Node::Kind::String || n->boolean)) {
                error(n->loc, key, "is not defined for parallel layers ('residual.parallel')");
            }
        }
    }

    /// A float32 residual stream is cast to each norm's weight dtype where a pre-norm layer reads it;
    /// the other residual shapes read or sum the stream elsewhere.
    void check_float32_residual() {
        const Node* float32 = f_.get("residual.float32");
        if (!float32 || (float32->kind == Node::Kind::Bool && !float32->boolean)) return;
        // A layer without a feed-forward is refused any other placement already.
        const Node* placement = f_.get("norm.placement");
        const Node* slot = f_.get("layers.feed_forward");
        bool feed_forward = !slot || !slot->is_list() || !slot->items.empty();
        if (placement && placement->text != "pre" && feed_forward) {
            error(placement->loc, "norm.placement", "a float32 residual stream ('residual.float32') needs 'pre'");
        }
        if (const Node* kind = f_.get("norm.kind"); kind && kind->text.rfind("rms", 0) != 0) {
            error(kind->loc, "norm.kind", "a float32 residual stream ('residual.float32') is read through RMS norms");
        }
        for (const char* key : {"residual.parallel", "residual.clip_float16", "residual.altup.streams",
                                "attention.kv_sharing.shared_layers"}) {
            if (const Node* n = f_.get(key); n && (n->kind == Node::Kind::String || n->boolean)) {
                error(n->loc, key, "is not defined beside a float32 residual stream ('residual.float32')");
            }
        }
    }

    /// Layers that reuse a group's keys and values need the group size, and the projections they
    /// reuse must be separate ones the layer could lack.
    void check_cross_layer() {
        const Node* enabled = f_.get("attention.cross_layer_kv.enabled");
        const Node* group = f_.get("attention.cross_layer_kv.group");
        bool on = enabled && (enabled->kind == Node::Kind::String || enabled->boolean);
        bool has_group = group && group->kind == Node::Kind::String;
        if (on != has_group) {
            const Node* at = on ? enabled : group;
            error(at->loc, "attention.cross_layer_kv", "cross-layer sharing needs both 'enabled' and 'group'");
        }
        if (!on) return;
        const Node* projection = f_.get("attention.projection");
        if (projection && projection->text != "separate") {
            error(enabled->loc, "attention.cross_layer_kv",
                  "layers that reuse keys and values project none; they need separate q/k/v projections");
        }
        const Node* shared = f_.get("attention.kv_sharing.shared_layers");
        const Node* clip = f_.get("attention.clip_qkv");
        if ((shared && shared->kind == Node::Kind::String) || (clip && clip->kind == Node::Kind::String)) {
            error(enabled->loc, "attention.cross_layer_kv",
                  "cross-layer sharing is not defined with 'attention.kv_sharing' or 'attention.clip_qkv'");
        }
    }

    /// AltUp decoders, per-layer inputs and KV sharing are generated together: the decoder layer
    /// of an AltUp model is the one that threads the other two through.
    void check_altup_bundle() {
        auto bound = [&](const char* key) {
            const Node* n = f_.get(key);
            return n && n->kind == Node::Kind::String ? n : nullptr;
        };
        const Node* altup = bound("residual.altup.streams");
        const Node* active = bound("residual.altup.active");
        if (altup || active) {
            const Node* at = altup ? altup : active;
            for (const char* need : {"residual.altup.streams", "residual.altup.active", "embedding.per_layer.width",
                                     "embedding.per_layer.vocabulary", "attention.kv_sharing.shared_layers",
                                     "attention.sliding.layer_types"}) {
                if (!bound(need)) error(at->loc, "residual.altup", std::string("an AltUp decoder needs '") + need + "'");
            }
            const Node* projection = f_.get("attention.projection");
            const Node* qk_norm = f_.get("attention.qk_norm");
            if ((projection && projection->text != "separate") || (qk_norm && qk_norm->text == "whole")) {
                error(at->loc, "residual.altup", "an AltUp decoder shares keys and values; it needs separate q/k/v "
                                                 "projections and no whole-projection q/k norm");
            }
            const Node* placement = f_.get("norm.placement");
            if (placement && placement->text != "sandwich") {
                error(placement->loc, "norm.placement", "an AltUp decoder uses sandwich norms");
            }
            if (const Node* scalar = f_.get("residual.layer_scalar"); scalar && scalar->boolean) {
                error(scalar->loc, "residual.layer_scalar", "is defined for decoders without AltUp");
            }
            const Node* beside = f_.get("experts.beside_mlp");
            if (beside && (beside->kind == Node::Kind::String || beside->boolean)) {
                error(beside->loc, "experts.beside_mlp", "is defined for decoders without AltUp");
            }
            return;
        }
        for (const char* only : {"residual.laurel.rank", "mlp.activation_sparsity"}) {
            if (const Node* n = bound(only)) error(n->loc, only, "applies to AltUp decoders only (residual.altup)");
        }
        // Without AltUp, per-layer inputs and shared keys and values thread through the sandwich layer.
        const Node* width = bound("embedding.per_layer.width");
        const Node* vocabulary = bound("embedding.per_layer.vocabulary");
        if ((width != nullptr) != (vocabulary != nullptr)) {
            const Node* at = width ? width : vocabulary;
            error(at->loc, "embedding.per_layer", "per-layer inputs need both 'width' and 'vocabulary'");
        }
        const Node* placement = f_.get("norm.placement");
        bool sandwich = placement && placement->text == "sandwich";
        for (const char* key : {"embedding.per_layer.width", "attention.kv_sharing.shared_layers"}) {
            if (const Node* n = bound(key); n && !sandwich) {
                error(placement && placement->loc.known() ? placement->loc : n->loc, key,
                      "without AltUp, this is defined for decoders with sandwich norms ('norm.placement: sandwich')");
            }
        }
        if (const Node* shared = bound("attention.kv_sharing.shared_layers")) {
            const Node* projection = f_.get("attention.projection");
            const Node* qk_norm = f_.get("attention.qk_norm");
            if ((projection && projection->text != "separate") || (qk_norm && qk_norm->text == "whole")) {
                error(shared->loc, "attention.kv_sharing", "shared keys and values need separate q/k/v "
                                                          "projections and no whole-projection q/k norm");
            }
            if (!bound("attention.sliding.layer_types")) {
                error(shared->loc, "attention.kv_sharing", "a layer shares with the last earlier layer of its kind; "
                                                          "bind 'attention.sliding.layer_types'");
            }
        }
    }

    /// Values taken from the key projection belong to full-attention layers, which only a layer
    /// schedule tells apart, and to separate projections.
    void check_values_from_keys() {
        const Node* flag = f_.get("attention.values_from_keys");
        if (!flag || (flag->kind == Node::Kind::Bool && !flag->boolean)) return;
        const Node* types = f_.get("attention.sliding.layer_types");
        if (!types || types->kind != Node::Kind::String) {
            error(flag->loc, "attention.values_from_keys", "applies to full-attention layers; bind "
                                                          "'attention.sliding.layer_types'");
        }
        const Node* projection = f_.get("attention.projection");
        if (projection && projection->text != "separate") {
            error(flag->loc, "attention.values_from_keys", "needs separate q/k/v projections, not 'fused_qkv'");
        }
    }

    /// Experts beside the dense MLP sit in a sandwich layer whose router reads the residual stream.
    void check_experts_beside() {
        const Node* beside = f_.get("experts.beside_mlp");
        bool on = beside && (beside->kind == Node::Kind::String || beside->boolean);
        const Node* input_norm = f_.get("experts.router.input_norm");
        bool normalises = input_norm && input_norm->boolean;
        if (const Node* scale = f_.get("experts.router.per_expert_scale"); scale && scale->boolean && !normalises) {
            error(scale->loc, "experts.router.per_expert_scale", "belongs to a router with 'input_norm'");
        }
        if (!on) {
            if (normalises) error(input_norm->loc, "experts.router.input_norm", "applies to experts beside the MLP "
                                                                              "('experts.beside_mlp')");
            return;
        }
        const Node* slot = f_.get("layers.feed_forward");
        if (!uses_kind("layers.feed_forward", "mlp") || uses_kind("layers.feed_forward", "experts")) {
            error(slot && slot->loc.known() ? slot->loc : beside->loc, "layers.feed_forward",
                  "experts beside the MLP need 'layers.feed_forward: [mlp]'");
        }
        const Node* placement = f_.get("norm.placement");
        if (!placement || placement->text != "sandwich") {
            error(placement && placement->loc.known() ? placement->loc : beside->loc, "experts.beside_mlp",
                  "the experts' norms sit beside sandwich norms; set 'norm.placement: sandwich'");
        }
        if (!normalises) {
            error(input_norm && input_norm->loc.known() ? input_norm->loc : beside->loc, "experts.beside_mlp",
                  "the router reads the residual stream itself; set 'experts.router.input_norm: true'");
        }
        for (const char* key : {"experts.count", "experts.per_token"}) {
            const Node* bound = f_.get(key);
            if (!bound || bound->kind != Node::Kind::String) {
                error(beside->loc, "experts.beside_mlp", std::string("needs '") + key + "', a config field");
            }
        }
        for (const char* key : {"experts.shared.intermediate", "weights.stack_experts.from"}) {
            if (const Node* n = f_.get(key); n && n->kind == Node::Kind::String) {
                error(n->loc, key, "is not defined for experts beside the MLP");
            }
        }
    }

    /// A refusal says why, and a family cannot both serve and refuse a model type.
    void check_refused_model_types() {
        const Node* refused = f_.get("refused_model_types");
        if (!refused || !refused->is_map()) return;
        std::vector<std::string> claimed = f_.strings("model_types");
        for (const auto& e : refused->entries) {
            if (e.value.kind != Node::Kind::String || e.value.text.empty()) {
                error(e.value.loc.known() ? e.value.loc : e.key_loc, "refused_model_types." + e.key,
                      "the reason for the refusal, as text");
            }
            if (std::find(claimed.begin(), claimed.end(), e.key) != claimed.end()) {
                error(e.key_loc, "refused_model_types." + e.key, "'" + e.key + "' is one of this family's model_types");
            }
        }
    }

    void check_wrappers() {
        const Node* wrappers = f_.get("wrappers");
        if (!wrappers || !wrappers->is_map()) return;
        std::vector<std::string> claimed = f_.strings("model_types");
        std::set<std::string> wrapped;
        for (const auto& e : wrappers->entries) {
            if (std::find(claimed.begin(), claimed.end(), e.key) == claimed.end()) {
                error(e.key_loc, "wrappers." + e.key, "'" + e.key + "' is not one of this family's model_types");
            }
            wrapped.insert(e.key);
        }
        for (const auto& e : wrappers->entries) {
            const Node* also = e.value.find("also");
            if (!also || !also->is_list()) continue;
            for (const auto& type : also->items) {
                std::string path = "wrappers." + e.key + ".also";
                if (std::find(claimed.begin(), claimed.end(), type.text) == claimed.end()) {
                    error(type.loc, path, "'" + type.text + "' is not one of this family's model_types");
                } else if (!wrapped.insert(type.text).second) {
                    error(type.loc, path, "'" + type.text + "' already has a wrapper entry; a model type is wrapped one way");
                }
            }
        }
    }

    void check_rope() {
        const Node* types = f_.get("attention.rope.scaling_types");
        const Node* scaling = f_.get("attention.rope.scaling");
        bool has_scaling = scaling && scaling->kind == Node::Kind::String;
        if (types && types->is_list() && !types->items.empty() && !has_scaling) {
            error(types->loc, "attention.rope.scaling_types",
                  "scaling types need 'attention.rope.scaling', the config field that holds rope_scaling");
        }
        bool longrope = false;
        if (types && types->is_list()) {
            for (const auto& t : types->items) {
                longrope = longrope || t.text == "longrope" || t.text == "su";
                if ((t.text == "longrope" || t.text == "su") && !f_.get("attention.rope.max_positions")) {
                    error(t.loc, "attention.rope.scaling_types",
                          "longrope needs 'attention.rope.max_positions' (max_position_embeddings)");
                }
                if (t.text == "dynamic" && f_.text("attention.rope.dynamic") != "alpha" &&
                    !f_.get("attention.rope.max_positions")) {
                    error(t.loc, "attention.rope.scaling_types",
                          "dynamic scaling by length needs 'attention.rope.max_positions' (max_position_embeddings)");
                }
            }
        }
        for (const char* key : {"attention.rope.longrope.factors", "attention.rope.longrope.scale"}) {
            const Node* n = f_.get(key);
            if (!longrope && n && n->loc.known() && n->text != "by_length" && n->text != "attention_factor") {
                error(n->loc, key, "applies when 'attention.rope.scaling_types' lists longrope or su");
            }
        }
        check_rope_parameters();
    }

    /// transformers 5 writes the RoPE base, scaling and rotated fraction only inside
    /// `rope_parameters`, so a field read for any of them must also be found there: a family that
    /// read only the top-level key would run a transformers-5 checkpoint with its default.
    void check_rope_parameters() {
        const Node* base = f_.get("attention.rope.base");
        if (!base || base->kind != Node::Kind::String) return;
        std::string holder;
        for (const auto& [key, info] : fields_) {
            if (info.type == "rope_parameters") holder = key;
        }
        if (auto policy = fields_.find("rope_parameters"); holder.empty() && policy != fields_.end()) {
            error(policy->second.entry->key_loc, "config.rope_parameters",
                  "transformers 5 writes the RoPE base, scaling and rotated fraction here, so a family with RoPE "
                  "reads it: {type: rope_parameters, optional: true}, with fallbacks into it");
            return;
        }
        if (holder.empty()) {
            error(base->loc, "attention.rope.base",
                  "transformers 5 writes the RoPE settings inside rope_parameters; declare the field "
                  "(config.rope_parameters: {type: rope_parameters, optional: true}) and give '" + base->text +
                      "' a fallback into it");
            return;
        }
        const std::pair<const char*, const char*> bound[] = {
            {"attention.rope.base", "rope_theta"},
            {"attention.rope.scaling", "scaling"},
            {"attention.rope.fraction", "partial_rotary_factor"},
            {"attention.rope.local_base", "rope_theta"},
        };
        for (const auto& [path, member] : bound) {
            const Node* binding = f_.get(path);
            if (!binding || binding->kind != Node::Kind::String) continue;
            auto it = fields_.find(binding->text);
            if (it == fields_.end() || it->second.type.empty()) continue;  // reported by check_bindings
            const Node* fb = it->second.entry->value.find("fallback");
            std::string want = holder + "." + member;
            bool into_holder = fb && fb->kind == Node::Kind::String && fb->text.rfind(holder + ".", 0) == 0;
            bool right_member = into_holder && fb->text.size() >= std::string(member).size() &&
                                fb->text.compare(fb->text.size() - std::string(member).size(), std::string::npos, member) == 0;
            if (!right_member) {
                error(fb && fb->kind == Node::Kind::String ? fb->loc : it->second.entry->key_loc,
                      "config." + binding->text,
                      "read for " + std::string(path) + ", which transformers 5 writes inside " + holder +
                          "; give it 'fallback: " + want + "' (or the member of its layer type)");
            }
        }
    }

    const ResolvedFamily& f_;
    Diagnostics& diags_;
    std::map<std::string, FieldInfo> fields_;
};

}  // namespace

std::vector<ResolvedFamily> resolve_families(const std::vector<FamilyDocument>& docs, Diagnostics& diags,
                                             bool keep_history) {
    std::map<std::string, const FamilyDocument*> by_id;
    std::vector<std::string> ids;
    for (const auto& doc : docs) {
        by_id[doc.file_stem] = &doc;
        ids.push_back(doc.file_stem);
    }

    Diagnostics local;
    // Chains are found in file order (a cycle is reported once, where it closes); merging and checking
    // each family then depends on its own chain only, so families resolve in parallel, each into its
    // own diagnostics, merged in file order.
    std::vector<ResolvedFamily> out(docs.size());
    std::vector<Diagnostics> found(docs.size());
    std::vector<std::vector<const FamilyDocument*>> chains(docs.size());
    std::set<std::string> reported_cycles;
    for (size_t index = 0; index < docs.size(); ++index) {
        const FamilyDocument& doc = docs[index];
        ResolvedFamily& f = out[index];
        Diagnostics& local = found[index];
        f.id = doc.file_stem;
        f.path = doc.path;
        const Node* abstract = doc.root.find("abstract");
        f.abstract = abstract && abstract->kind == Node::Kind::Bool && abstract->boolean;

        // Walk up the chain, stopping at a missing parent or a cycle.
        std::vector<const FamilyDocument*> chain{&doc};
        bool broken = false;
        while (true) {
            const FamilyDocument* cur = chain.back();
            const Node* ext = cur->root.find("extends");
            if (!ext || ext->kind != Node::Kind::String) break;
            auto it = by_id.find(ext->text);
            if (it == by_id.end()) {
                if (cur == &doc) {
                    std::string message = "unknown parent family '" + ext->text + "'";
                    if (auto s = vocab::suggest(ext->text, ids)) message += " (did you mean '" + *s + "'?)";
                    local.error(ext->loc, "extends", message);
                }
                broken = true;
                break;
            }
            auto pos = std::find(chain.begin(), chain.end(), it->second);
            if (pos != chain.end()) {
                // Report each cycle once, at the document that closes it in file order.
                std::vector<std::string> members;
                for (auto p = pos; p != chain.end(); ++p) members.push_back((*p)->file_stem);
                std::vector<std::string> sorted = members;
                std::sort(sorted.begin(), sorted.end());
                std::string cycle_id;
                for (const auto& m : sorted) cycle_id += m + " ";
                if (pos == chain.begin() && !reported_cycles.count(cycle_id)) {
                    reported_cycles.insert(cycle_id);
                    std::string text;
                    for (const auto& m : members) text += m + " -> ";
                    text += members.front();
                    const Node* own = doc.root.find("extends");
                    Diagnostic& d = local.error(own->loc, "extends", "inheritance cycle: " + text);
                    for (auto p = pos + 1; p != chain.end(); ++p) {
                        const Node* e = (*p)->root.find("extends");
                        d.notes.push_back(Note{e->loc, "'" + (*p)->file_stem + "' extends '" + e->text + "'"});
                    }
                }
                broken = true;
                break;
            }
            chain.push_back(it->second);
        }
        for (const auto* d : chain) {
            f.chain.push_back(d->file_stem);
            f.chain_files.push_back(d->logical);
            f.chain_paths.push_back(d->path);
        }
        f.values.kind = Node::Kind::Map;
        f.values.loc = doc.root.loc.known() ? doc.root.loc : Location{doc.path, 1, 1};
        if (!broken) chains[index] = std::move(chain);
    }
    parallel_for(docs.size(), [&](size_t index) {
        const auto& chain = chains[index];
        if (chain.empty()) return;
        ResolvedFamily& f = out[index];
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            Merger m{f, (*it)->file_stem, *it == chain.front(), keep_history};
            m.merge_map(f.values, (*it)->root, vocab::root(), "");
        }
        apply_defaults(f.values, vocab::root(), "", f, keep_history);
        Checker(f, found[index]).run();
    });
    for (const auto& d : found) local.append(d);

    // Claims on model types and Swift names must be unique among concrete families. Nothing says
    // which claimant is right, so each claim is an error naming the others.
    struct Claim {
        std::string family;
        Location loc;
    };
    std::map<std::string, std::vector<Claim>> claims, swift_names;
    for (const auto& f : out) {
        if (f.abstract) continue;
        if (const Node* types = f.get("model_types"); types && types->is_list()) {
            for (const auto& t : types->items) claims[t.text].push_back(Claim{f.id, t.loc});
        }
        // A model type refused by name is a claim too: no family may serve what another refuses.
        if (const Node* refused = f.get("refused_model_types"); refused && refused->is_map()) {
            for (const auto& e : refused->entries) claims[e.key].push_back(Claim{f.id, e.key_loc});
        }
        if (const Node* name = f.get("swift_name"); name && name->kind == Node::Kind::String) {
            swift_names[name->text].push_back(Claim{f.id, name->loc});
        }
    }
    auto report = [&](const std::map<std::string, std::vector<Claim>>& table, const std::string& key,
                      const std::string& what) {
        for (const auto& [value, list] : table) {
            if (std::all_of(list.begin(), list.end(), [&](const Claim& c) { return c.family == list[0].family; })) continue;
            for (const auto& claim : list) {
                std::string others;
                for (const auto& other : list) {
                    if (other.family != claim.family) others += (others.empty() ? "'" : ", '") + other.family + "'";
                }
                Diagnostic& d = local.error(claim.loc, key, what + " \"" + value + "\" is also claimed by " + others);
                for (const auto& other : list) {
                    if (other.family != claim.family) d.notes.push_back(Note{other.loc, "claimed here"});
                }
            }
        }
    };
    // A wrapper's dispatch names families; each must exist and generate a model.
    for (const auto& f : out) {
        const Node* wrappers = f.get("wrappers");
        if (f.abstract || !wrappers || !wrappers->is_map()) continue;
        for (const auto& w : wrappers->entries) {
            const Node* dispatch = w.value.find("dispatch");
            if (!dispatch || !dispatch->is_map()) continue;
            for (const auto& d : dispatch->entries) {
                if (d.value.kind != Node::Kind::String || d.value.text == vocab::kRefusedDispatch) continue;
                auto target = std::find_if(out.begin(), out.end(), [&](const ResolvedFamily& g) { return g.id == d.value.text; });
                std::string path = "wrappers." + w.key + ".dispatch." + d.key;
                if (target == out.end()) {
                    std::vector<std::string> names{vocab::kRefusedDispatch};
                    for (const auto& g : out) {
                        if (!g.abstract) names.push_back(g.id);
                    }
                    std::string message = "'" + d.value.text + "' is not a family";
                    if (auto s = vocab::suggest(d.value.text, names)) message += " (did you mean '" + *s + "'?)";
                    Diagnostic& e = local.error(d.value.loc, path, message);
                    e.notes = f.chain_notes();
                } else if (target->abstract) {
                    Diagnostic& e = local.error(d.value.loc, path,
                                                "'" + d.value.text + "' is abstract; dispatch to a family that generates a model");
                    e.notes = f.chain_notes();
                }
            }
        }
    }
    report(claims, "model_types", "model_type");
    report(swift_names, "swift_name", "swift_name");

    local.remove_duplicates();
    diags.append(local);
    return out;
}

}  // namespace hf2swift
