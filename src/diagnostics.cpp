// Formatting of diagnostics in the compiler style that editors and terminals understand.
#include "diagnostics.h"

#include <map>
#include <set>
#include <tuple>

namespace hf2swift {

std::string Location::str() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

std::string Diagnostic::format() const {
    std::string out;
    if (loc.known()) out += loc.str() + ": ";
    out += "error: ";
    if (!key_path.empty()) out += key_path + ": ";
    out += message + "\n";
    for (const auto& note : notes) {
        if (note.loc.known()) out += note.loc.str() + ": ";
        out += "note: " + note.message + "\n";
    }
    return out;
}

Diagnostic& Diagnostics::error(Location loc, std::string key_path, std::string message) {
    items_.push_back(Diagnostic{std::move(loc), std::move(key_path), std::move(message), {}});
    return items_.back();
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::remove_duplicates() {
    // A set of what was kept keeps this linear in the number of diagnostics (floods included).
    std::set<std::tuple<std::string, int, int, std::string, std::string>> seen;
    std::vector<Diagnostic> unique;
    for (auto& d : items_) {
        if (seen.emplace(d.loc.file, d.loc.line, d.loc.col, d.key_path, d.message).second) {
            unique.push_back(std::move(d));
        }
    }
    items_ = std::move(unique);
}

std::string Diagnostics::format() const {
    std::string out;
    // A flood (a template whose every line is too long) is cut at a readable number per file.
    std::map<std::string, size_t> shown;
    std::vector<std::string> files;
    for (const auto& d : items_) {
        size_t& n = shown[d.loc.file];
        if (n == 0) files.push_back(d.loc.file);
        if (++n <= kShownPerFile) out += d.format();
    }
    for (const auto& file : files) {
        size_t n = shown[file];
        if (n <= kShownPerFile) continue;
        if (!file.empty()) out += file + ": ";
        out += "note: " + std::to_string(n - kShownPerFile) + " more error" + (n - kShownPerFile == 1 ? "" : "s") +
               " in this file not shown\n";
    }
    if (!items_.empty()) {
        out += std::to_string(items_.size()) + (items_.size() == 1 ? " error.\n" : " errors.\n");
    }
    return out;
}

}  // namespace hf2swift
