// Stage 1, load: YAML text -> FamilyDocument, strictly typed and checked against the vocabulary.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.h"
#include "syntax.h"

namespace hf2swift {

/// Nesting deeper than this is refused: no family needs it, and it bounds the work on hostile input.
inline constexpr int kMaxYamlDepth = 8;

/// Parses one family document. Problems are added to `diags`; the returned document holds
/// whatever could be read (callers stop before resolving when `diags` is not empty). With a
/// `parse_cache` directory, a text parsed before is read from there (parse_cache.h).
FamilyDocument load_family(const std::string& path, const std::string& text, Diagnostics& diags,
                           const std::string& parse_cache = "");

/// Identifies this build of the parser (its compile time): cached trees from another build are
/// not used, since the typing rules may have changed.
extern const char* const kParserBuild;

/// Parses YAML into the strictly typed value tree without vocabulary checks.
/// Returns false (with diagnostics) when the text is not a single acceptable YAML document.
bool parse_yaml(const std::string& path, const std::string& text, Node& out, Diagnostics& diags);

/// What an input file may hold besides printable UTF-8 text and LF line ends.
struct TextRules {
    bool allow_crlf = true;
    std::string what;  // "family documents", in the message
};

/// Reports, at its line and column, the first byte of `text` that is not valid UTF-8, a control
/// character other than tab, or a lone carriage return. False when there is one.
bool check_text(const std::string& path, const std::string& text, TextRules rules, Diagnostics& diags);

/// Checks a value tree against the family vocabulary: unknown keys, types, allowed values.
void check_against_vocabulary(const Node& root, Diagnostics& diags);

/// A parenthesised hint when a scalar looks like what YAML 1.1 or a quote made of it
/// (`"10000"`, `010`, `yes`), else "".
std::string scalar_hint(const Node& node);

/// Reads a file whole; throws DiagnosticError when it cannot be read.
std::string read_file(const std::string& path);

/// Lists `*.yaml` files of a directory, sorted by name, so runs do not depend on directory order.
std::vector<std::string> list_family_files(const std::string& dir);

/// Loads every family document of a directory.
std::vector<FamilyDocument> load_families(const std::string& dir, Diagnostics& diags);

}  // namespace hf2swift
