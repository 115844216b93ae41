// Stage 5, write: rendered files -> disk (or memory), all-or-nothing, write-if-changed, or a --check diff.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "render.h"

namespace hf2swift {

/// A file-system operation that failed; `path` is the file it concerned.
class WriteError : public std::runtime_error {
public:
    WriteError(std::string path, const std::string& message)
        : std::runtime_error(message), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// Where outputs go. Tests use memory and fault-injecting sinks: they run as root, where file
/// permissions stop nothing, so failures must be injected rather than provoked.
class OutputSink {
public:
    virtual ~OutputSink() = default;
    /// The file's content, or nullopt when it does not exist. Throws WriteError when unreadable.
    virtual std::optional<std::string> read(const std::string& path) = 0;
    virtual bool is_directory(const std::string& path) = 0;
    /// Regular files directly inside `dir` (empty when it does not exist).
    virtual std::vector<std::string> list(const std::string& dir) = 0;
    /// Writes `content` beside `path`, to be moved into place by commit. Throws WriteError.
    virtual void stage(const std::string& path, const std::string& content) = 0;
    virtual void commit(const std::string& path) = 0;
    virtual void discard(const std::string& path) = 0;
    /// Whether a staged copy of `path` waits to be committed.
    virtual bool is_staged(const std::string& path) = 0;
    /// The targets of staged copies left in `dir` (by a run that was killed).
    virtual std::vector<std::string> staged_in(const std::string& dir) = 0;
    /// After every staged file was discarded: undo what staging created (directories).
    virtual void rollback() {}
    virtual void remove(const std::string& path) = 0;
};

class DiskSink : public OutputSink {
public:
    DiskSink() = default;
    /// For the crash test: the process kills itself (SIGKILL) before its `kill_at`-th change to
    /// the disk (stage, commit, discard, remove), as a power cut or `kill -9` would stop it.
    explicit DiskSink(int kill_at) : kill_at_(kill_at) {}
    std::optional<std::string> read(const std::string& path) override;
    bool is_directory(const std::string& path) override;
    std::vector<std::string> list(const std::string& dir) override;
    void stage(const std::string& path, const std::string& content) override;
    void commit(const std::string& path) override;
    void discard(const std::string& path) override;
    bool is_staged(const std::string& path) override;
    std::vector<std::string> staged_in(const std::string& dir) override;
    void rollback() override;
    void remove(const std::string& path) override;

private:
    void step();
    std::vector<std::string> created_dirs_;
    int kill_at_ = 0;
    int steps_ = 0;
};

class MemorySink : public OutputSink {
public:
    std::map<std::string, std::string> files;
    std::set<std::string> directories;

    std::optional<std::string> read(const std::string& path) override;
    bool is_directory(const std::string& path) override;
    std::vector<std::string> list(const std::string& dir) override;
    void stage(const std::string& path, const std::string& content) override;
    void commit(const std::string& path) override;
    void discard(const std::string& path) override;
    bool is_staged(const std::string& path) override { return staged_.count(path) > 0; }
    std::vector<std::string> staged_in(const std::string& dir) override;
    void remove(const std::string& path) override;

private:
    std::map<std::string, std::string> staged_;
};

/// Passes everything to another sink but fails the k-th stage (1-based), like a disk that fills up.
class FaultInjectingSink : public OutputSink {
public:
    FaultInjectingSink(OutputSink& inner, int fail_stage_at) : inner_(inner), fail_at_(fail_stage_at) {}

    std::optional<std::string> read(const std::string& path) override { return inner_.read(path); }
    bool is_directory(const std::string& path) override { return inner_.is_directory(path); }
    std::vector<std::string> list(const std::string& dir) override { return inner_.list(dir); }
    void stage(const std::string& path, const std::string& content) override;
    void commit(const std::string& path) override { inner_.commit(path); }
    void discard(const std::string& path) override { inner_.discard(path); }
    bool is_staged(const std::string& path) override { return inner_.is_staged(path); }
    std::vector<std::string> staged_in(const std::string& dir) override { return inner_.staged_in(dir); }
    void rollback() override { inner_.rollback(); }
    void remove(const std::string& path) override { inner_.remove(path); }

private:
    OutputSink& inner_;
    int fail_at_;
    int stages_ = 0;
};

/// The text that marks a file as hf2swift's own, so that stale outputs can be removed safely.
inline constexpr const char* kGeneratedMarker = "Generated by hf2swift";

/// The file, in the output directory, that lists a set of changes between the moment every file
/// of it is staged and the moment the last one is in place: a run that finds it finishes that set.
inline constexpr const char* kJournalName = ".hf2swift-journal";

struct WritePlan {
    std::vector<OutputFile> files;   // paths as they go to the sink
    std::string prune_dir;           // remove stale generated files here; empty: prune nothing
};

struct WriteResult {
    std::vector<std::string> written;
    std::vector<std::string> unchanged;
    std::vector<std::string> removed;
    std::string diff;  // --check: what would change
    bool recovered = false;  // an interrupted earlier run was completed or rolled back first
    bool clean() const { return written.empty() && removed.empty(); }
};

/// Writes every changed file, or (check) reports them as a diff. All output was computed before;
/// when any write fails, every staged file is discarded and no target is touched. The set is
/// written crash-consistently: files are staged, then a journal naming them is committed, then
/// they are moved into place and the journal removed. Every run (checks too) first finishes a
/// journalled set an earlier run left, or discards its staged files when it left no journal, so
/// after a kill at any moment the tree is the old set or the new one.
WriteResult write_outputs(OutputSink& sink, const WritePlan& plan, bool check, Diagnostics& diags);

}  // namespace hf2swift
