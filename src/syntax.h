// Stage 1 output: family documents as written, a typed value tree where every value knows where it came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace hf2swift {

struct Entry;

/// One YAML value after strict typing: only `true`/`false` are booleans, numbers are decimal,
/// and a quoted scalar is always a string.
struct Node {
    enum class Kind { Null, Bool, Int, Float, String, List, Map };

    Kind kind = Kind::Null;
    Location loc;
    bool boolean = false;
    std::int64_t integer = 0;
    double number = 0;         // Float, and Int widened
    std::string text;          // the scalar as written (strings: their value)
    bool quoted = false;       // a String written in quotes or as a block scalar
    std::vector<Node> items;   // List
    std::vector<Entry> entries;  // Map, in document order

    bool is_null() const { return kind == Kind::Null; }
    bool is_map() const { return kind == Kind::Map; }
    bool is_list() const { return kind == Kind::List; }
    bool is_scalar() const { return kind != Kind::List && kind != Kind::Map; }
    bool is_number() const { return kind == Kind::Int || kind == Kind::Float; }

    // Keys are looked up by view: most are literals or parts of a dotted name, not strings.
    const Node* find(std::string_view key) const;
    Node* find(std::string_view key);
    const Entry* find_entry(std::string_view key) const;

    /// A short rendering for messages: `"perhead"`, `12`, `a list`, `a mapping`.
    std::string describe() const;
};

struct Entry {
    std::string key;
    Location key_loc;
    Node value;
};

const char* kind_name(Node::Kind kind);

/// A family document as loaded: the file, its root mapping, and the family id it declares.
struct FamilyDocument {
    std::string path;       // as given on the command line, used in diagnostics
    std::string logical;    // "families/<file name>", used in generated banners
    std::string file_stem;  // file name without ".yaml"
    Node root;
};

}  // namespace hf2swift
