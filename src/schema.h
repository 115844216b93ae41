// The JSON Schema (draft-07) of family documents, read off the vocabulary table like families/README.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hf2swift::schema {

/// The schema's file name; it sits beside the family documents, so they name it without a directory.
inline constexpr const char* kFileName = "family.schema.json";

/// The first line of every family document: editors with a YAML language server validate and
/// complete the document against the schema.
std::string modeline();

/// The schema as JSON, keys in vocabulary order.
nlohmann::ordered_json family_schema();

/// The schema as committed in families/family.schema.json: two-space indentation, final newline.
std::string family_schema_text();

}  // namespace hf2swift::schema
