// tests/golden/errors: one directory per kind of bad input. Expectations sit next to the offending
// line (`expect-error@+N:COL: message`); each case must fail with exactly those errors, exit 1, and
// leave the output directory byte-identical.
//
// case.txt directives: `expect: LINE` (an error line that has no place for a comment), `file: PATH`
// and `mkdir: PATH` (something in the way, made before the run), `out: DIR` (the output directory),
// `fail-write: K` (the K-th staged write fails, as on a full disk: the disk sink is wrapped in a
// FaultInjectingSink), `clear: DIR` (the directory emptied), `symlink: PATH` (a link to itself).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>

#include "commands.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;
namespace fs = std::filesystem;

namespace {

struct Case {
    std::string name;
    fs::path dir;
    std::vector<std::string> expected;
    std::string out = "generated";
    std::vector<std::string> make_dirs;
    std::vector<std::string> make_files;
    std::vector<std::string> clear_dirs;
    std::vector<std::string> self_links;
    int fail_write = 0;  // 0: no injected failure
};

void collect_expectations(Case& c) {
    static const std::regex relative(R"(expect-error@\+(\d+):(\d+): (.*?)( *\}\})?$)");
    static const std::regex whole(R"(expect-error@0: (.*?)( *\}\})?$)");
    for (const auto& entry : fs::recursive_directory_iterator(c.dir)) {
        if (!entry.is_regular_file()) continue;
        std::string rel = fs::relative(entry.path(), c.dir).string();
        std::istringstream in(read_text(entry.path()));
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            std::smatch m;
            if (std::regex_search(line, m, relative)) {
                c.expected.push_back(rel + ":" + std::to_string(n + std::stoi(m[1])) + ":" + m[2].str() +
                                     ": error: " + m[3].str());
            } else if (std::regex_search(line, m, whole)) {
                c.expected.push_back(rel + ": error: " + m[1].str());
            }
            if (rel == "case.txt") {
                if (line.rfind("out: ", 0) == 0) c.out = line.substr(5);
                if (line.rfind("mkdir: ", 0) == 0) c.make_dirs.push_back(line.substr(7));
                if (line.rfind("file: ", 0) == 0) c.make_files.push_back(line.substr(6));
                if (line.rfind("expect: ", 0) == 0) c.expected.push_back(line.substr(8));
                if (line.rfind("fail-write: ", 0) == 0) c.fail_write = std::stoi(line.substr(12));
                if (line.rfind("clear: ", 0) == 0) c.clear_dirs.push_back(line.substr(7));
                if (line.rfind("symlink: ", 0) == 0) c.self_links.push_back(line.substr(9));
            }
        }
    }
}

std::vector<Case> cases() {
    std::vector<Case> out;
    fs::path root = fs::path(source_dir()) / "tests/golden/errors";
    for (const auto& entry : fs::directory_iterator(root)) {
        if (!entry.is_directory()) continue;
        Case c;
        c.name = entry.path().filename().string();
        c.dir = entry.path();
        collect_expectations(c);
        out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
    return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST_SUITE("errors") {

TEST_CASE("errors: every bad-input case fails with exactly its expected errors and changes nothing") {
    std::vector<Case> all = cases();
    REQUIRE(all.size() >= 40);
    // One copy of the sources for the whole run; each case's tree hard-links it, so a case costs a
    // link per file rather than a copy. An overlaid file replaces its link instead of writing
    // through it, and a write by the generator into a linked file shows in that case's snapshot.
    TempDir pristine;
    for (const char* tree : {"families", "templates", "generated"}) {
        copy_tree(fs::path(source_dir()) / tree, pristine.path() / tree);
    }
    for (const Case& c : all) {
        CAPTURE(c.name);
        {
            REQUIRE_MESSAGE(!c.expected.empty(), c.name << " states no expected error");
            TempDir tmp;
            for (const char* tree : {"families", "templates", "generated"}) {
                fs::copy(pristine.path() / tree, tmp.path() / tree,
                         fs::copy_options::recursive | fs::copy_options::create_hard_links);
            }
            for (const char* overlay : {"families", "templates"}) {
                if (!fs::exists(c.dir / overlay)) continue;
                for (const auto& entry : fs::recursive_directory_iterator(c.dir / overlay)) {
                    fs::path target = tmp.path() / overlay / entry.path().lexically_relative(c.dir / overlay);
                    if (entry.is_directory()) {
                        fs::create_directories(target);
                    } else {
                        fs::remove(target);
                        fs::copy_file(entry.path(), target);
                    }
                }
            }
            for (const auto& f : c.make_files) {
                fs::remove_all(tmp.path() / f);
                write_text(tmp.path() / f, "in the way\n");
            }
            for (const auto& d : c.make_dirs) {
                fs::remove_all(tmp.path() / d);
                fs::create_directories(tmp.path() / d);
            }
            for (const auto& d : c.clear_dirs) {
                fs::remove_all(tmp.path() / d);
                fs::create_directories(tmp.path() / d);
            }
            for (const auto& link : c.self_links) fs::create_symlink(fs::path(link).filename(), tmp.path() / link);
            auto before = snapshot(tmp.path());

            GenerateArgs args;
            args.paths.families = tmp.str("families");
            args.paths.templates = tmp.str("templates");
            args.paths.out = tmp.str(c.out);
            DiskSink disk;
            FaultInjectingSink faulty(disk, c.fail_write);
            OutputSink& sink = c.fail_write > 0 ? static_cast<OutputSink&>(faulty) : disk;
            std::ostringstream out, err;
            int code = run_generate(args, sink, out, err);
            std::string text = replace_all(err.str(), tmp.str() + "/", "");

            CHECK_MESSAGE(code == kDiagnostics, text);
            std::vector<std::string> actual;
            std::istringstream lines(text);
            std::string line, last;
            while (std::getline(lines, line)) {
                if (line.find(": error: ") != std::string::npos || line.rfind("error: ", 0) == 0) actual.push_back(line);
                if (!line.empty()) last = line;
            }
            std::vector<std::string> expected = c.expected;
            std::sort(expected.begin(), expected.end());
            std::sort(actual.begin(), actual.end());
            CHECK_MESSAGE(actual == expected, "case " << c.name << ":\n--- actual\n" << text);
            std::string count = std::to_string(expected.size()) + (expected.size() == 1 ? " error." : " errors.");
            CHECK(last == count);
            CHECK_MESSAGE(snapshot(tmp.path()) == before, "case " << c.name << " changed files on disk");
        }
    }
}

}  // TEST_SUITE
