// Whole-file goldens: generated/ and families/README.md against a fresh in-memory render, and the
// intermediate model and `explain` output of every family. A mismatch prints a diff and `make regen`.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "commands.h"
#include "diff.h"
#include "pipeline.h"
#include "render.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;
namespace fs = std::filesystem;

namespace {

/// The goldens name files relative to the repository root, as `make regen` writes them.
struct AtRoot {
    fs::path previous = fs::current_path();
    AtRoot() { fs::current_path(source_dir()); }
    ~AtRoot() { fs::current_path(previous); }
};

void check_golden(const std::string& path, const std::string& actual) {
    std::string expected = fs::exists(path) ? read_text(path) : "";
    if (expected == actual) return;
    std::string diff = unified_diff(expected, actual, fs::exists(path) ? "a/" + path : "/dev/null", "b/" + path);
    FAIL_CHECK(path << " is out of date:\n" << diff << "If the change is intended, accept it with: make regen");
}

}  // namespace

TEST_SUITE("golden") {

TEST_CASE("golden: generated/ and families/README.md are what the families and templates produce") {
    AtRoot root;
    FamilySet set = load_family_set("families");
    Generation g = generate(Paths{}, set);
    std::set<std::string> produced;
    for (const auto& out : g.outputs) {
        produced.insert(out.path);
        check_golden(out.path, out.content);
    }
    for (const auto& entry : fs::directory_iterator("generated")) {
        std::string path = fs::path("generated") / entry.path().filename();
        if (!produced.count(path)) FAIL_CHECK(path << " is not produced by any family; run make regen to remove it");
    }
}

TEST_CASE("golden: the committed outputs obey the layout rules") {
    AtRoot root;
    for (const auto& entry : fs::directory_iterator("generated")) {
        Diagnostics d;
        check_output_layout(entry.path().string(), read_text(entry.path()), "templates", d);
        CHECK_MESSAGE(d.empty(), d.format());
        std::string text = read_text(entry.path());
        CHECK(text.find("&lt;") == std::string::npos);
        CHECK(text.find("&amp;") == std::string::npos);
    }
}

TEST_CASE("golden: the intermediate model of each family") {
    AtRoot root;
    FamilySet set = load_family_set("families");
    std::set<std::string> expected_files;
    for (const auto& f : set.families) {
        if (f.abstract) continue;
        std::string path = "tests/golden/ir/" + f.id + ".json";
        expected_files.insert(path);
        check_golden(path, model_view(lower_one(f)).dump(2) + "\n");
    }
    for (const auto& entry : fs::directory_iterator("tests/golden/ir")) {
        std::string path = "tests/golden/ir/" + entry.path().filename().string();
        if (!expected_files.count(path)) FAIL_CHECK(path << " belongs to no family; run make regen to remove it");
    }
}

TEST_CASE("golden: explain output of each family") {
    AtRoot root;
    FamilySet set = load_family_set("families");
    for (const auto& f : set.families) {
        Diagnostics d;
        std::string text = explain_text(set, f.id, "", d);
        REQUIRE_MESSAGE(d.empty(), d.format());
        check_golden("tests/golden/explain/" + f.id + ".txt", text);
    }
}

TEST_CASE("golden: a changed family shows up as a diff of exactly the affected Swift") {
    AtRoot root;
    TempDir tmp;
    copy_tree("families", tmp.path() / "families");
    // Flip qwen3's q/k norm, whichever way it is set now.
    std::string qwen3 = read_text(tmp.path() / "families/qwen3.yaml");
    const std::string on = "qk_norm: per_head", off = "qk_norm: none";
    size_t at = qwen3.find(on);
    if (at != std::string::npos) {
        qwen3.replace(at, on.size(), off);
    } else {
        at = qwen3.find(off);
        REQUIRE(at != std::string::npos);
        qwen3.replace(at, off.size(), on);
    }
    write_text(tmp.path() / "families/qwen3.yaml", qwen3);

    GenerateArgs args;
    args.paths.families = tmp.str("families");
    args.check = true;
    MemorySink sink;
    for (const auto& entry : fs::directory_iterator("generated")) {
        sink.files["generated/" + entry.path().filename().string()] = read_text(entry.path());
    }
    sink.files[tmp.str("families/README.md")] = read_text("families/README.md");
    std::ostringstream out, err;
    CHECK(run_generate(args, sink, out, err) == kDiagnostics);
    std::string diff = out.str();
    CHECK(diff.find("--- a/generated/Qwen3Generated.swift") != std::string::npos);
    CHECK(diff.find("    @ModuleInfo(key: \"q_norm\") var qNorm: RMSNorm") != std::string::npos);
    CHECK(diff.find("LlamaGenerated") == std::string::npos);
    CHECK(diff.find("Qwen2Generated") == std::string::npos);
    CHECK(err.str() == "hf2swift: 1 generated file(s) are out of date; run `make regen` and commit the result\n");
}

}  // TEST_SUITE
