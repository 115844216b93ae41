// A cache of parsed family documents, keyed by their text: yaml-cpp's parse is most of a run, and
// most runs read documents that have not changed since the last one.
#pragma once

#include <optional>
#include <string>

#include "syntax.h"

namespace hf2swift {

/// Where parsed documents are kept: `HF2SWIFT_CACHE_DIR`, else `$XDG_CACHE_HOME/hf2swift`, else
/// `~/.cache/hf2swift`. `HF2SWIFT_CACHE=off` turns the cache off (an empty directory).
std::string parse_cache_dir();

/// The tree `text` parsed to, if `dir` holds it for exactly this text and this build of the parser;
/// its locations name `path`. A missing, unreadable or damaged entry is a miss, never an error.
std::optional<Node> cached_parse(const std::string& dir, const std::string& path, const std::string& text);

/// Keeps the tree of a document that parsed without a diagnostic. Written whole or not at all
/// (a temporary file renamed into place); any failure is ignored: the cache only saves time.
void store_parse(const std::string& dir, const std::string& text, const Node& root);

}  // namespace hf2swift
