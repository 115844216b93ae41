// Shared by the libFuzzer harnesses: a private snapshot of the real families and templates, and the
// rule that decides what counts as a finding.
//
// A run may end in exactly two ways: it succeeds, or it throws hf2swift::DiagnosticError carrying at
// least one diagnostic. Anything else escaping the engine (InternalError, a std exception, an unknown
// exception) is a finding, and so is every sanitizer report, crash and hang, which libFuzzer reports
// by itself.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "diagnostics.h"
#include "pipeline.h"
#include "write.h"

#ifndef HF2SWIFT_SOURCE_DIR
#error "build with -DHF2SWIFT_SOURCE_DIR=\"/path/to/repository\""
#endif

namespace hf2swift::fuzz {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spill(const fs::path& p, const char* data, size_t size) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(data, static_cast<std::streamsize>(size));
}

/// Files of `dir` ending in `ext`, name -> content.
inline std::map<std::string, std::string> read_dir(const fs::path& dir, const std::string& ext) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().extension() == ext) out[e.path().filename().string()] = slurp(e.path());
    }
    return out;
}

/// A private working tree (families/, templates/) for this process, copied once from the repository
/// (HF2SWIFT_FUZZ_SOURCE overrides it), so that edits to the real tree do not change a fuzzing run.
struct Workspace {
    fs::path root;
    std::map<std::string, std::string> families;   // file name -> text
    std::map<std::string, std::string> templates;  // file name -> text
    Paths paths;

    Workspace() {
        const char* src_env = std::getenv("HF2SWIFT_FUZZ_SOURCE");
        fs::path src = src_env && *src_env ? fs::path(src_env) : fs::path(HF2SWIFT_SOURCE_DIR);
        families = read_dir(src / "families", ".yaml");
        templates = read_dir(src / "templates", ".mustache");
        std::string pattern = (fs::temp_directory_path() / "hf2swift-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        root = pattern;
        fs::create_directories(root / "families");
        fs::create_directories(root / "templates");
        for (const auto& [name, text] : families) spill(root / "families" / name, text.data(), text.size());
        for (const auto& [name, text] : templates) spill(root / "templates" / name, text.data(), text.size());
        paths.families = (root / "families").string();
        paths.templates = (root / "templates").string();
        paths.out = (root / "generated").string();
    }
    ~Workspace() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
};

[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "\n==hf2swift-fuzz== FINDING: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

/// Runs `body`; returns true when it succeeded, false on diagnostics; aborts on anything else.
template <typename F>
bool run_guarded(F&& body) {
    try {
        body();
        return true;
    } catch (const DiagnosticError& e) {
        if (e.diagnostics().empty()) finding("DiagnosticError without a diagnostic");
        // Formatting must not throw either: the CLI prints every diagnostic.
        std::string text = e.diagnostics().format();
        if (text.empty()) finding("diagnostics format to nothing");
        return false;
    } catch (const InternalError& e) {
        finding(std::string("InternalError escaped: ") + e.what());
    } catch (const std::exception& e) {
        finding(std::string("std::exception escaped: ") + e.what());
    } catch (...) {
        finding("unknown exception escaped");
    }
}

/// The whole `generate` run after loading: lower, render, and write into memory.
inline void generate_into_memory(const Paths& paths, const FamilySet& set) {
    Generation g = generate(paths, set);
    MemorySink sink;
    WritePlan plan{g.outputs, paths.out};
    Diagnostics diags;
    WriteResult r = write_outputs(sink, plan, false, diags);
    if (!diags.empty()) throw DiagnosticError(diags);
    if (r.written.size() != g.outputs.size()) finding("a fresh memory sink did not receive every output");
}

}  // namespace hf2swift::fuzz
