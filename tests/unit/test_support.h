// Helpers shared by the C++ tests: the source tree, temporary directories, in-memory families.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "family.h"
#include "syntax.h"

namespace hf2swift::test {

/// The repository root (compiled in by both builds).
std::string source_dir();

/// A directory removed with everything in it when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string str(const std::string& child = "") const;

private:
    std::filesystem::path path_;
};

/// Writes a file, creating parent directories.
void write_text(const std::filesystem::path& path, const std::string& text);
std::string read_text(const std::filesystem::path& path);

/// Copies a directory tree.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

/// Every regular file under `dir` with its bytes, for before/after comparisons.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);

/// Loads documents given as name -> YAML text (files "families/<name>.yaml").
std::vector<FamilyDocument> load_texts(const std::map<std::string, std::string>& docs, Diagnostics& diags);

/// Loads and resolves documents given as name -> YAML text.
std::vector<ResolvedFamily> resolve_texts(const std::map<std::string, std::string>& docs, Diagnostics& diags);

/// The real family documents of the repository plus (or replaced by) `extra`.
std::map<std::string, std::string> real_families_with(const std::map<std::string, std::string>& extra);

/// A minimal valid concrete family extending the real dense_decoder, with `body` appended.
std::string family_text(const std::string& name, const std::string& body = "");

/// Only the error lines ("file:line:col: error: ...") of formatted diagnostics.
std::vector<std::string> error_lines(const Diagnostics& diags);

}  // namespace hf2swift::test
