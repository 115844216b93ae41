// Stage 5, write: plans every change, stages each file beside its target, and renames them into place
// only when all were staged, so an error leaves the output tree exactly as it was.
#include "write.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "diff.h"

namespace hf2swift {

namespace fs = std::filesystem;

namespace {
std::string staged_name(const std::string& path) { return path + ".hf2swift-staged"; }

std::string errno_text(int err) { return std::strerror(err); }

std::string blocked_directory_message() { return "exists and is not a directory; cannot write under it"; }
}  // namespace

std::optional<std::string> DiskSink::read(const std::string& path) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || status.type() == fs::file_type::not_found) return std::nullopt;
    if (status.type() == fs::file_type::directory) throw WriteError(path, "is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw WriteError(path, "cannot read: " + errno_text(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool DiskSink::is_directory(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

std::vector<std::string> DiskSink::list(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file()) out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void DiskSink::step() {
    if (kill_at_ > 0 && ++steps_ == kill_at_) std::raise(SIGKILL);
}

bool DiskSink::is_staged(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(staged_name(path), ec);
}

std::vector<std::string> DiskSink::staged_in(const std::string& dir) {
    std::vector<std::string> out;
    const std::string suffix = staged_name("");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string path = entry.path().string();
        if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
            out.push_back(path.substr(0, path.size() - suffix.size()));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

void DiskSink::stage(const std::string& path, const std::string& content) {
    step();
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) {
        // Create missing directories one level at a time, remembering them for a rollback.
        std::vector<fs::path> missing;
        for (fs::path p = parent; !p.empty(); p = p.parent_path()) {
            std::error_code ec;
            auto status = fs::status(p, ec);
            if (status.type() == fs::file_type::directory) break;
            // Name the file in the way, not the first output that tripped over it.
            if (status.type() != fs::file_type::not_found) throw WriteError(p.string(), blocked_directory_message());
            missing.push_back(p);
            if (p == p.parent_path()) break;
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            std::error_code ec;
            if (!fs::create_directory(*it, ec) && ec) throw WriteError(path, "cannot create " + it->string() + ": " + ec.message());
            created_dirs_.push_back(it->string());
        }
    }
    std::string tmp = staged_name(path);
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw WriteError(path, "cannot write: " + errno_text(errno));
    size_t n = std::fwrite(content.data(), 1, content.size(), f);
    int err = n == content.size() ? 0 : errno;
    if (std::fclose(f) != 0 && err == 0) err = errno;
    if (err != 0) {
        std::remove(tmp.c_str());
        throw WriteError(path, "cannot write: " + errno_text(err));
    }
}

void DiskSink::commit(const std::string& path) {
    step();
    if (std::rename(staged_name(path).c_str(), path.c_str()) != 0) {
        throw WriteError(path, "cannot move into place: " + errno_text(errno));
    }
}

void DiskSink::discard(const std::string& path) {
    step();
    std::remove(staged_name(path).c_str());
}

void DiskSink::rollback() {
    // Directories made for this run go too, newest first.
    while (!created_dirs_.empty()) {
        std::error_code ec;
        fs::remove(created_dirs_.back(), ec);
        created_dirs_.pop_back();
    }
}

void DiskSink::remove(const std::string& path) {
    step();
    if (std::remove(path.c_str()) != 0) throw WriteError(path, "cannot remove: " + errno_text(errno));
}

std::optional<std::string> MemorySink::read(const std::string& path) {
    if (directories.count(path)) throw WriteError(path, "is a directory");
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
}

bool MemorySink::is_directory(const std::string& path) { return directories.count(path) > 0; }

std::vector<std::string> MemorySink::list(const std::string& dir) {
    std::vector<std::string> out;
    std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
    for (const auto& [path, _] : files) {
        if (path.rfind(prefix, 0) == 0 && path.find('/', prefix.size()) == std::string::npos) out.push_back(path);
    }
    return out;
}

void MemorySink::stage(const std::string& path, const std::string& content) {
    if (directories.count(path)) throw WriteError(path, "cannot write: " + errno_text(EISDIR));
    for (fs::path p = fs::path(path).parent_path(); !p.empty(); p = p.parent_path()) {
        if (files.count(p.string())) throw WriteError(p.string(), blocked_directory_message());
        if (p == p.parent_path()) break;
    }
    staged_[path] = content;
}

void MemorySink::commit(const std::string& path) {
    auto it = staged_.find(path);
    if (it == staged_.end()) throw WriteError(path, "nothing staged");
    files[path] = it->second;
    staged_.erase(it);
}

void MemorySink::discard(const std::string& path) { staged_.erase(path); }

std::vector<std::string> MemorySink::staged_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& [path, _] : staged_) {
        if (fs::path(path).parent_path() == fs::path(dir)) out.push_back(path);
    }
    return out;
}

void MemorySink::remove(const std::string& path) { files.erase(path); }

void FaultInjectingSink::stage(const std::string& path, const std::string& content) {
    if (++stages_ == fail_at_) throw WriteError(path, "cannot write: " + errno_text(ENOSPC) + " (injected)");
    inner_.stage(path, content);
}

namespace {

/// The journal lives in the directory being pruned, or else beside the first output.
std::string journal_path(const WritePlan& plan) {
    std::string dir = plan.prune_dir;
    if (dir.empty() && !plan.files.empty()) dir = fs::path(plan.files.front().path).parent_path().string();
    return (fs::path(dir.empty() ? "." : dir) / kJournalName).string();
}

/// Finishes the set a killed run journalled, or discards what a run killed before its journal
/// staged. True when there was anything to do.
bool recover(OutputSink& sink, const std::string& journal) {
    std::string dir = fs::path(journal).parent_path().string();
    std::optional<std::string> entries = sink.read(journal);
    if (!entries) {
        std::vector<std::string> leftovers = sink.staged_in(dir);
        for (const auto& path : leftovers) sink.discard(path);
        return !leftovers.empty();
    }
    std::istringstream lines(*entries);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("write ", 0) == 0) {
            std::string path = line.substr(6);
            if (sink.is_staged(path)) sink.commit(path);
        } else if (line.rfind("remove ", 0) == 0) {
            std::string path = line.substr(7);
            if (sink.read(path)) sink.remove(path);
        }
    }
    sink.remove(journal);
    return true;
}

}  // namespace

WriteResult write_outputs(OutputSink& sink, const WritePlan& plan, bool check, Diagnostics& diags) {
    WriteResult result;
    std::vector<const OutputFile*> changed;
    std::set<std::string> produced;
    size_t before = diags.size();
    const std::string journal = journal_path(plan);
    try {
        result.recovered = recover(sink, journal);
    } catch (const WriteError& e) {
        Diagnostic& d = diags.error(Location{e.path(), 0, 0}, "", e.what());
        d.notes.push_back(Note{Location{journal, 0, 0}, "while finishing an interrupted generation"});
        return result;
    }

    for (const auto& file : plan.files) {
        produced.insert(file.path);
        try {
            if (sink.is_directory(file.path)) {
                diags.error(Location{file.path, 0, 0}, "", "cannot write: " + errno_text(EISDIR));
                continue;
            }
            std::optional<std::string> current = sink.read(file.path);
            if (current && *current == file.content) {
                result.unchanged.push_back(file.path);
                continue;
            }
            changed.push_back(&file);
            if (check) {
                result.diff += unified_diff(current.value_or(""), file.content,
                                            current ? "a/" + file.path : "/dev/null", "b/" + file.path);
            }
        } catch (const WriteError& e) {
            diags.error(Location{e.path(), 0, 0}, "", e.what());
        }
    }

    std::vector<std::string> stale;
    if (!plan.prune_dir.empty()) {
        for (const auto& path : sink.list(plan.prune_dir)) {
            if (produced.count(path)) continue;
            try {
                std::optional<std::string> content = sink.read(path);
                // Only files hf2swift wrote are removed; anything else in the directory is left alone.
                if (content && content->find(kGeneratedMarker) != std::string::npos) {
                    stale.push_back(path);
                    if (check) result.diff += unified_diff(*content, "", "a/" + path, "/dev/null");
                }
            } catch (const WriteError&) {
            }
        }
    }
    if (diags.size() != before) return result;

    if (check) {
        for (const auto* f : changed) result.written.push_back(f->path);
        result.removed = stale;
        return result;
    }

    if (changed.empty() && stale.empty()) return result;
    std::vector<std::string> staged;
    std::string entries;
    for (const auto* f : changed) entries += "write " + f->path + "\n";
    for (const auto& p : stale) entries += "remove " + p + "\n";
    try {
        for (const auto* f : changed) {
            sink.stage(f->path, f->content);
            staged.push_back(f->path);
        }
        // The commit point: once the journal is in place, a run that is killed is finished by the next.
        sink.stage(journal, entries);
        sink.commit(journal);
    } catch (const WriteError& e) {
        for (const auto& p : staged) sink.discard(p);
        sink.discard(e.path());
        sink.rollback();
        Diagnostic& d = diags.error(Location{e.path(), 0, 0}, "", e.what());
        d.notes.push_back(Note{Location{}, "no file was changed"});
        return result;
    }
    for (const auto& p : staged) {
        try {
            sink.commit(p);
            result.written.push_back(p);
        } catch (const WriteError& e) {
            diags.error(Location{e.path(), 0, 0}, "", e.what());
        }
    }
    for (const auto& p : stale) {
        try {
            sink.remove(p);
            result.removed.push_back(p);
        } catch (const WriteError& e) {
            diags.error(Location{e.path(), 0, 0}, "", e.what());
        }
    }
    try {
        sink.remove(journal);
    } catch (const WriteError& e) {
        diags.error(Location{e.path(), 0, 0}, "", e.what());
    }
    return result;
}

}  // namespace hf2swift
