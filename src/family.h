// Stage 2 output: a resolved family, every value inherited and defaulted, each remembering who set it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "syntax.h"

namespace hf2swift {

/// One document (or the vocabulary's default) setting a value.
struct Setting {
    std::string family;  // empty for a vocabulary default
    Location loc;
    std::string text;    // the value as written, for `explain`
};

struct ResolvedFamily {
    std::string id;
    std::string path;                     // the family's own document
    std::vector<std::string> chain;       // id, parent, grandparent, ...
    std::vector<std::string> chain_files; // logical paths ("families/x.yaml"), same order
    std::vector<std::string> chain_paths; // paths as loaded, same order
    bool abstract = false;
    Node values;  // merged tree; each node's `loc` is the document that set it
    std::map<std::string, std::vector<Setting>> history;  // key path -> settings, base first

    /// The resolved value at a dotted path, or nullptr when absent.
    const Node* get(const std::string& dotted) const;
    std::string text(const std::string& dotted) const;  // string value, "" when absent
    bool flag_is_const(const std::string& dotted) const;
    std::vector<std::string> strings(const std::string& dotted) const;

    /// The config key one input of a derived default reads (`source` as the derivation names it):
    /// the field the family binds to a role (`dims.hidden`), the field the default's `from:`
    /// rebinds a config input to, or the config key the derivation names.
    std::string derivation_input(const Node& derived_default, const std::string& source) const;

    /// Notes naming the inheritance chain, for diagnostics about inherited values.
    std::vector<Note> chain_notes() const;
};

}  // namespace hf2swift
