// Formatting of diagnostics in the compiler style that editors and terminals understand.
#include "diagnostics.h"

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
    std::vector<Diagnostic> unique;
    for (auto& d : items_) {
        bool seen = false;
        for (const auto& u : unique) {
            if (u.loc.str() == d.loc.str() && u.key_path == d.key_path && u.message == d.message) seen = true;
        }
        if (!seen) unique.push_back(std::move(d));
    }
    items_ = std::move(unique);
}

std::string Diagnostics::format() const {
    std::string out;
    for (const auto& d : items_) out += d.format();
    if (!items_.empty()) {
        out += std::to_string(items_.size()) + (items_.size() == 1 ? " error.\n" : " errors.\n");
    }
    return out;
}

}  // namespace hf2swift
