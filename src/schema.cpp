// Emits the JSON Schema of family documents from the vocabulary table, so an editor knows every key,
// type, allowed value and default the loader knows; `make regen` writes it to families/family.schema.json.
#include "schema.h"

#include "diagnostics.h"
#include "load.h"
#include "vocabulary.h"

namespace hf2swift::schema {

namespace {

using nlohmann::ordered_json;
using vocab::KeySpec;
using vocab::Type;

// The loader's scalar rules (src/load.cpp), as patterns. A family document holds printable text:
// no control character but the newline, and most strings are one line.
constexpr const char* kPrintable = "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f]*$";
constexpr const char* kOneLine = "^[^\\u0000-\\u001f\\u007f]*$";
constexpr const char* kIdentifier = "^[a-z][a-z0-9_]*$";
constexpr const char* kTypeName = "^[A-Z][A-Za-z0-9]*$";
constexpr const char* kConfigKey = "^[A-Za-z_][A-Za-z0-9_]*$";

// The two keys whose values decide what a document must state itself (see required_keys).
constexpr const char* kAbstract = "abstract";
constexpr const char* kExtends = "extends";

ordered_json with_null(const std::string& type, bool nullable) {
    if (!nullable) return type;
    return ordered_json::array({type, "null"});
}

ordered_json node_json(const Node& n) {
    switch (n.kind) {
        case Node::Kind::Null: return nullptr;
        case Node::Kind::Bool: return n.boolean;
        case Node::Kind::Int: return n.integer;
        case Node::Kind::Float: return n.number;
        case Node::Kind::String: return n.text;
        case Node::Kind::List: {
            ordered_json out = ordered_json::array();
            for (const auto& item : n.items) out.push_back(node_json(item));
            return out;
        }
        case Node::Kind::Map: {
            ordered_json out = ordered_json::object();
            for (const auto& e : n.entries) out[e.key] = node_json(e.value);
            return out;
        }
    }
    return nullptr;
}

/// A vocabulary default (YAML text) as the JSON value an editor offers.
ordered_json default_json(const std::string& yaml) {
    Diagnostics diags;
    Node node;
    if (!parse_yaml("", yaml, node, diags)) throw InternalError("vocabulary default does not parse: " + yaml);
    return node_json(node);
}

/// A boolean, number or string, as lists and maps of scalars hold them.
ordered_json scalar_schema() {
    return {{"type", {"boolean", "number", "string"}}, {"pattern", kPrintable}};
}

std::string joined_names(const std::vector<std::pair<std::string, std::string>>& named) {
    std::string out;
    for (const auto& [name, doc] : named) out += (out.empty() ? "" : " ") + ("`" + name + "`: " + doc);
    return out;
}

ordered_json key_schema(const KeySpec& k, bool nullable = true);

/// The closed mapping of a Map key, or of one entry variant.
void object_schema(ordered_json& s, const std::vector<KeySpec>& children, bool nullable) {
    s["type"] = with_null("object", nullable);
    ordered_json props = ordered_json::object();
    for (const auto& c : children) props[c.name] = key_schema(c);
    s["properties"] = props;
    s["additionalProperties"] = false;
}

/// `{derive: NAME}` or `{field: KEY}`: the computed defaults the loader accepts.
ordered_json computed_default(const std::string& key, ordered_json value) {
    ordered_json s;
    s["type"] = "object";
    s["properties"] = {{key, value}};
    s["required"] = {key};
    s["additionalProperties"] = false;
    return s;
}

ordered_json default_schema(bool nullable) {
    std::vector<std::pair<std::string, std::string>> derivations;
    ordered_json names = ordered_json::array();
    for (const auto& d : vocab::derivations()) {
        derivations.push_back({d.name, "(" + d.result_type + ") " + d.doc});
        names.push_back(d.name);
    }
    ordered_json derive;
    derive["description"] = "A named derivation, implemented once in the Swift runtime. " + joined_names(derivations);
    derive["enum"] = names;
    ordered_json derived = computed_default("derive", derive);
    ordered_json from;
    from["description"] = "Config inputs of the derivation read from fields of other names: {INPUT: FIELD}.";
    from["type"] = "object";
    from["minProperties"] = 1;
    from["additionalProperties"] = {{"type", "string"}, {"pattern", kPrintable}};
    derived["properties"]["from"] = from;
    ordered_json field;
    field["description"] = "Another config field of this family, whose value the default copies.";
    field["type"] = "string";
    field["pattern"] = kPrintable;

    ordered_json literal = scalar_schema();
    if (nullable) literal["type"].push_back("null");
    ordered_json list;
    list["type"] = "array";
    list["items"] = scalar_schema();
    return ordered_json::array(
        {literal, list, derived, computed_default("field", field)});
}

/// One entry of an EntryMap: its variant's closed mapping, chosen by its tag key when there are several.
ordered_json entry_schema(const KeySpec& spec) {
    ordered_json alternatives = ordered_json::array({{{"type", "null"}}});
    for (size_t v = 0; v < spec.entry_variants.size(); ++v) {
        const std::vector<KeySpec>& children = spec.entry_variants[v];
        ordered_json s;
        if (spec.variant_tags.empty()) {
            s["description"] = "One entry of `" + spec.name + "`.";
            object_schema(s, children, false);
        } else {
            const std::string& tag = spec.variant_tags.at(v);
            const KeySpec* tag_spec = nullptr;
            for (const auto& c : children) {
                if (c.name == tag) tag_spec = &c;
            }
            if (!tag_spec) throw InternalError("entry variant of '" + spec.name + "' lacks its tag '" + tag + "'");
            s["description"] = "An entry with `" + tag + "`. " + tag_spec->doc;
            object_schema(s, children, false);
            // The tag selects the variant, so it must be there and cannot be null.
            s["properties"][tag] = key_schema(*tag_spec, false);
            s["required"] = {tag};
        }
        alternatives.push_back(s);
    }
    ordered_json entry;
    entry["oneOf"] = alternatives;
    return entry;
}

/// The values a key accepts; null (which removes an inherited value) too when `nullable`.
void value_schema(ordered_json& s, const KeySpec& k, bool nullable) {
    switch (k.type) {
        case Type::Map:
            object_schema(s, k.children, nullable);
            return;
        case Type::EntryMap:
            s["type"] = with_null("object", nullable);
            s["propertyNames"] = {{"pattern", kConfigKey}};
            s["additionalProperties"] = entry_schema(k);
            return;
        case Type::Bool: s["type"] = with_null("boolean", nullable); return;
        case Type::Int: s["type"] = with_null("integer", nullable); return;
        case Type::Number: s["type"] = with_null("number", nullable); return;
        case Type::String:
            s["type"] = with_null("string", nullable);
            s["pattern"] = kOneLine;
            // The loader counts bytes; for the ASCII these lines hold, that is the character count.
            if (k.max_length) s["maxLength"] = k.max_length;
            return;
        case Type::Identifier:
            s["type"] = with_null("string", nullable);
            s["pattern"] = kIdentifier;
            return;
        case Type::TypeName:
            s["type"] = with_null("string", nullable);
            s["pattern"] = kTypeName;
            return;
        case Type::Enum: {
            ordered_json values = k.values;
            if (nullable) values.push_back(nullptr);
            s["enum"] = values;
            return;
        }
        case Type::EnumList:
            s["type"] = with_null("array", nullable);
            s["items"] = {{"enum", k.values}};
            s["uniqueItems"] = true;
            return;
        case Type::StringList:
            s["type"] = with_null("array", nullable);
            s["items"] = {{"type", "string"}, {"minLength", 1}, {"pattern", kOneLine}};
            s["uniqueItems"] = true;
            return;
        case Type::Flag:
            s["type"] = ordered_json::array({"boolean", "string"});
            if (nullable) s["type"].push_back("null");
            s["pattern"] = kConfigKey;
            return;
        case Type::Field:
            s["type"] = with_null("string", nullable);
            s["pattern"] = kConfigKey;
            return;
        case Type::Default: s["anyOf"] = default_schema(nullable); return;
        case Type::Scalars:
            s["type"] = with_null("array", nullable);
            s["items"] = scalar_schema();
            s["uniqueItems"] = true;
            return;
        case Type::ScalarMap:
            s["type"] = with_null("object", nullable);
            s["propertyNames"] = {{"minLength", 1}, {"pattern", kPrintable}};
            s["additionalProperties"] = scalar_schema();
            return;
    }
    throw InternalError("the schema has no rule for the type of key '" + k.name + "'");
}

/// The values' docs, when an enum lists exactly the names of one of the vocabulary's tables.
template <typename Table, typename Doc>
std::string value_docs(const KeySpec& k, const Table& table, Doc doc) {
    std::vector<std::pair<std::string, std::string>> named;
    for (const auto& row : table) named.push_back({row.name, doc(row)});
    if (named.size() != k.values.size()) return "";
    for (size_t i = 0; i < named.size(); ++i) {
        if (named[i].first != k.values[i]) return "";
    }
    return " " + joined_names(named);
}

/// A key's doc plus the facts of the table an editor would not show otherwise.
std::string describe(const KeySpec& k) {
    std::string text = k.doc;
    if (k.type == Type::Field || k.type == Type::Flag) {
        std::string types = k.type == Type::Flag ? "bool" : k.field_type;
        for (size_t at = types.find('|'); at != std::string::npos; at = types.find('|', at)) types.replace(at, 1, " or ");
        text += k.type == Type::Flag ? " true, false, or the name of a config field of type bool."
                                     : " Names a config field of type " + types + ".";
    }
    if (k.type == Type::Enum) {
        text += value_docs(k, vocab::config_types(),
                           [](const vocab::ConfigType& t) { return t.doc + " Swift: `" + t.swift_type + "`."; });
        text += value_docs(k, vocab::policies(), [](const vocab::Policy& p) { return p.doc; });
    }
    if (k.inherit == vocab::Inherit::Identity) text += " Not inherited: each document states its own.";
    if (k.required == vocab::Required::Concrete) text += " Required in a concrete family, after inheritance.";
    return text;
}

ordered_json key_schema(const KeySpec& k, bool nullable) {
    ordered_json s;
    s["description"] = describe(k);
    value_schema(s, k, nullable);
    if (k.default_yaml) s["default"] = default_json(*k.default_yaml);
    return s;
}

/// The required keys a document must state itself, as a schema: `{required: [...], properties: {...}}`
/// with each required value non-null (null removes a value). `all`: every required key, for a
/// document nothing is inherited into; otherwise only identity keys, which are never inherited.
ordered_json required_keys(const KeySpec& spec, bool all, bool identity) {
    ordered_json required = ordered_json::array();
    ordered_json props = ordered_json::object();
    for (const auto& c : spec.children) {
        bool own = identity || c.inherit == vocab::Inherit::Identity;
        if (c.type == Type::Map) {
            ordered_json inner = required_keys(c, all, own);
            if (inner.empty()) continue;
            ordered_json s;
            s["type"] = "object";
            for (auto& [key, value] : inner.items()) s[key] = value;
            required.push_back(c.name);
            props[c.name] = s;
        } else if (c.required == vocab::Required::Concrete && (all || own)) {
            required.push_back(c.name);
            props[c.name] = {{"not", {{"type", "null"}}}};
        }
    }
    if (required.empty()) return ordered_json::object();
    return {{"required", required}, {"properties", props}};
}

ordered_json key_is(const std::string& key, ordered_json value) {
    return {{"required", {key}}, {"properties", {{key, value}}}};
}

}  // namespace

std::string modeline() { return std::string("# yaml-language-server: $schema=") + kFileName; }

ordered_json family_schema() {
    const KeySpec& root = vocab::root();
    const KeySpec* abstract = root.child(kAbstract);
    const KeySpec* extends = root.child(kExtends);
    if (!abstract || abstract->type != Type::Bool || !extends || extends->type != Type::Identifier) {
        throw InternalError("the schema needs the vocabulary's 'abstract' (boolean) and 'extends' (identifier)");
    }
    ordered_json s;
    s["$schema"] = "http://json-schema.org/draft-07/schema#";
    s["$comment"] = "Generated from the vocabulary (src/vocabulary.cpp) by `hf2swift schema`; `make regen` "
                    "rewrites it. Do not edit.";
    s["title"] = "hf2swift family document";
    s["description"] = root.doc +
                       " Booleans are true/false only, numbers plain decimals, quoted scalars strings; null "
                       "removes an inherited value. The engine (`hf2swift explain`) also checks what one "
                       "document cannot show: inheritance, bindings to config fields, and claims across families.";
    value_schema(s, root, false);

    ordered_json is_abstract = key_is(kAbstract, {{"const", true}});
    ordered_json has_parent = key_is(kExtends, {{"type", "string"}});
    ordered_json concrete;
    concrete["$comment"] = "A concrete document states the keys it never inherits.";
    concrete["if"] = is_abstract;
    concrete["else"] = required_keys(root, false, false);
    ordered_json standalone;
    standalone["$comment"] = "A concrete document that extends nothing states every required key.";
    standalone["if"] = {{"anyOf", {is_abstract, has_parent}}};
    standalone["else"] = required_keys(root, true, false);
    s["allOf"] = {concrete, standalone};
    return s;
}

std::string family_schema_text() { return family_schema().dump(2) + "\n"; }

}  // namespace hf2swift::schema
