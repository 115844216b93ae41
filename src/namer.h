// The one place that decides Swift spellings: identifiers (casing, keywords) and literals.
#pragma once

#include <string>

namespace hf2swift::namer {

/// `num_key_value_heads` -> `numKeyValueHeads`; Swift keywords come back in backticks.
std::string camel_case(const std::string& snake);

/// The Swift property for a config key: the role's canonical name when the key is bound to a
/// dimension role, otherwise the camelCase key.
std::string config_property(const std::string& json_key, const std::string& role_swift_name);

/// `Qwen3` + `Attention` -> `Qwen3Attention`.
std::string type_name(const std::string& prefix, const std::string& suffix);

/// `Qwen3` -> `Qwen3Generated.swift`.
std::string model_file_name(const std::string& prefix);

bool is_swift_keyword(const std::string& word);
std::string escape_keyword(const std::string& word);

/// Swift literals. Integers and integral floats are digit-grouped (`1_000_000`).
std::string int_literal(long long value);
std::string float_literal(double value);
std::string string_literal(const std::string& text);

/// An enum case name for a rope_scaling kind: `llama3` -> `.llama3`.
std::string enum_case(const std::string& snake);

}  // namespace hf2swift::namer
