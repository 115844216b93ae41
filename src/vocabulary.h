// The family vocabulary: the one table of keys, types, allowed values, defaults, inheritance rules,
// named derivations, config types and config-key policies. The loader, resolver, lowering,
// `families/README.md` and the JSON Schema are all read off this table.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hf2swift::vocab {

enum class Type {
    Map,         // fixed set of child keys
    EntryMap,    // free lower_snake keys, each value described by `entry_variants`
    Bool,
    Int,
    Number,      // integer or decimal
    String,
    Identifier,  // lower_snake_case id (family names, config keys)
    TypeName,    // UpperCamelCase Swift type prefix
    Enum,        // one of `values`
    EnumList,    // list of distinct `values`
    StringList,  // list of distinct non-empty strings
    Flag,        // true, false, or the name of a bool config field that decides it
    Field,       // the name of a config field whose type is `field_type`
    Default,     // a config default: a literal, {derive: NAME} or {field: KEY}
    Scalars,     // list of scalars (bool, number or string)
    ScalarMap,   // free keys, each a scalar (bool, number or string)
};

enum class Inherit {
    Merge,     // maps merge key by key, scalars and lists replace, null removes
    Replace,   // the child's value replaces the parent's as a whole
    Identity,  // never inherited: every document states its own
};

enum class Required {
    No,
    Concrete,  // required, after inheritance, in every family that is not abstract
};

struct KeySpec {
    std::string name;
    Type type = Type::String;
    std::string doc;
    std::vector<std::string> values;         // Enum, EnumList
    std::vector<KeySpec> children;           // Map
    std::vector<std::vector<KeySpec>> entry_variants;  // EntryMap: one of these key sets
    std::vector<std::string> variant_tags;   // EntryMap: the key that selects each variant (none: one variant)
    Inherit inherit = Inherit::Merge;
    Required required = Required::No;
    std::optional<std::string> default_yaml;  // default as YAML text, applied after inheritance
    std::string field_type;                   // Field: the config type the field must have
    size_t max_length = 0;                    // String: longest accepted text (0: no limit)

    const KeySpec* child(const std::string& key) const;
};

/// The JSON values a config type accepts, stated once: resolve checks a family's literal default
/// against it, detect a checkpoint's value.
struct ValueShape {
    enum class Scalar { Int, Number, Bool, String, Object };
    enum class Arity { One, List, OneOrList };
    Scalar scalar;
    Arity arity;
    std::vector<std::string> words;  // String: the accepted values (empty: any)
    std::string or_word;             // Int: this string is accepted too (`auto`)
    bool literal;                    // a family may write a default of the type as a YAML literal
    size_t length = 0;               // List: exactly this many (0: any number)
    bool spelled_non_finite = false;  // Number: also transformers 5's {"__float__": "Infinity"}

    ValueShape(Scalar scalar = Scalar::Int, Arity arity = Arity::One, std::vector<std::string> words = {},
               std::string or_word = "", bool literal = true)
        : scalar(scalar), arity(arity), words(std::move(words)), or_word(std::move(or_word)), literal(literal) {}
};

/// A config field type: how a config.json value is read into the Swift Configuration.
struct ConfigType {
    std::string name;        // as written in family documents
    std::string swift_type;  // the Swift type of the stored property
    std::string doc;
    std::vector<std::pair<std::string, std::string>> members;  // name -> config type, for fallbacks
    ValueShape shape;
};

/// A default computed from other fields, implemented once in the Swift runtime.
struct Derivation {
    std::string name;
    std::string result_type;  // config type
    std::string doc;
    std::string swift_function;  // runtime function, e.g. "ConfigDefaults.headDim"
    /// Swift label -> where the argument comes from: a vocabulary key bound to a field ("dims.layers",
    /// "experts.count") or "config.KEY" (the config field KEY, which the family must declare).
    std::vector<std::pair<std::string, std::string>> arguments;
};

/// The dimension roles every concrete family binds to config fields; each role names the
/// Swift property that holds it, so templates can refer to `args.hiddenSize` and friends.
struct DimRole {
    std::string role;        // key under `dims:`
    std::string swift_name;  // Swift property of the bound field
    std::string doc;
};

struct Policy {
    std::string name;
    std::string doc;
};

const KeySpec& root();
const std::vector<ConfigType>& config_types();
const std::vector<Derivation>& derivations();
const std::vector<DimRole>& dim_roles();
const std::vector<Policy>& policies();

/// Config keys that never change inference (training settings, metadata); `detect` does not
/// flag them as unknown.
const std::vector<std::string>& inert_config_keys();

/// Config keys the checkpoint loader reads (the compute dtype, quantization), not the configuration.
const std::vector<std::string>& loader_config_keys();

const ConfigType* find_config_type(const std::string& name);

/// The activation names a config type `activation` accepts (the Swift runtime's `Activation`).
const std::vector<std::string>& activation_names();
const Derivation* find_derivation(const std::string& name);

/// The dispatch target that rejects a wrapped text model type instead of naming a family.
inline constexpr const char* kRefusedDispatch = "refuse";
const DimRole* find_dim_role(const std::string& role);

/// Looks up a dotted key path ("attention.rope.base") in the vocabulary.
const KeySpec* find_key(const std::string& dotted_path);

std::string type_name(const KeySpec& spec);

/// The closest candidate within a small edit distance, for "did you mean" hints.
std::optional<std::string> suggest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace hf2swift::vocab
