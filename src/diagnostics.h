// Diagnostics shared by every stage: source locations, errors with notes, and the sink that collects them.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace hf2swift {

/// A position in an input file. Line and column are 1-based; line 0 means "the whole file".
struct Location {
    std::string file;
    int line = 0;
    int col = 0;

    bool known() const { return !file.empty(); }
    std::string str() const;  // "file:line:col", "file" when line is 0
};

struct Note {
    Location loc;
    std::string message;
};

/// One error as a compiler would print it: `file:line:col: error: key.path: message` plus notes.
struct Diagnostic {
    Location loc;
    std::string key_path;  // dotted key inside a family document; empty when not applicable
    std::string message;
    std::vector<Note> notes;

    std::string format() const;
};

/// Collects every diagnostic of a run, so that all of them are reported before exiting.
class Diagnostics {
public:
    Diagnostic& error(Location loc, std::string key_path, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);
    /// Drops repeats of the same error at the same place (a shared parent or template is
    /// checked once per family that uses it), keeping the first one's notes.
    void remove_duplicates();

    bool empty() const { return items_.empty(); }
    size_t size() const { return items_.size(); }
    const std::vector<Diagnostic>& items() const { return items_; }

    /// Every diagnostic (at most kShownPerFile per file, then how many more), then "N errors.".
    std::string format() const;

    static constexpr size_t kShownPerFile = 50;

private:
    std::vector<Diagnostic> items_;
};

/// Thrown by a stage when it cannot go on; carries everything found so far.
class DiagnosticError : public std::runtime_error {
public:
    explicit DiagnosticError(Diagnostics diags)
        : std::runtime_error("hf2swift diagnostics"), diags_(std::move(diags)) {}
    const Diagnostics& diagnostics() const { return diags_; }

private:
    Diagnostics diags_;
};

/// A broken invariant inside hf2swift itself (exit code 3), never a user mistake.
class InternalError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace hf2swift
