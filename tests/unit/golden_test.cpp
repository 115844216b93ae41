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
#include "vocabulary.h"

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

namespace {
void key_paths(const vocab::KeySpec& spec, const std::string& prefix, std::vector<std::string>& out) {
    for (const auto& c : spec.children) {
        std::string path = prefix.empty() ? c.name : prefix + "." + c.name;
        out.push_back(path);
        key_paths(c, path, out);
    }
    for (const auto& variant : spec.entry_variants) {
        for (const auto& c : variant) out.push_back(prefix + ".*." + c.name);
    }
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

TEST_CASE("golden: features select code; no template section or vocabulary key is named after a family") {
    AtRoot root;
    FamilySet set = load_family_set("families");
    std::vector<std::string> names;
    for (const auto& f : set.families) {
        names.push_back(lower(f.id));
        if (!f.abstract) names.push_back(lower(f.text("swift_name")));
    }
    std::vector<std::string> keys;
    key_paths(vocab::root(), "", keys);
    REQUIRE(keys.size() > 30);
    for (const auto& key : keys) {
        for (const auto& name : names) {
            CHECK_MESSAGE(lower(key).find(name) == std::string::npos, "vocabulary key " << key << " names " << name);
        }
    }
    // Every tag of every template: sections, inverted sections, variables and partials.
    TemplateSet templates = load_templates("templates");
    size_t tags = 0;
    for (const auto& [file, text] : templates.files) {
        for (size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
            size_t end = text.find("}}", at);
            REQUIRE(end != std::string::npos);
            std::string tag = lower(text.substr(at + 2, end - at - 2));
            if (!tag.empty() && tag[0] == '!') continue;  // comments may name what they explain
            ++tags;
            for (const auto& name : names) {
                CHECK_MESSAGE(tag.find(name) == std::string::npos, file << ": tag {{" << tag << "}} names " << name);
            }
        }
    }
    CHECK(tags > 100);
    // One template per kind of output file, plus partials.
    size_t outputs = 0;
    for (const auto& [file, text] : templates.files) outputs += file[0] != '_';
    CHECK(outputs == 4);
}

TEST_CASE("golden: each block kind is one partial, and a feed-forward kind's tags stay in it") {
    AtRoot root;
    TemplateSet templates = load_templates("templates");
    for (const char* slot : {"layers.mixer", "layers.feed_forward"}) {
        const vocab::KeySpec* spec = vocab::find_key(slot);
        REQUIRE(spec != nullptr);
        REQUIRE(!spec->values.empty());
        for (const auto& kind : spec->values) {
            // `none` names a layer without a block of the slot's: there is nothing to render.
            if (kind == "none") continue;
            std::string partial = "_" + kind + ".swift.mustache";
            CHECK_MESSAGE(templates.files.count(partial), slot << " kind " << kind << " has no partial " << partial);
            if (std::string(slot) != "layers.feed_forward") continue;
            // Outside its partial, a feed-forward kind appears only as the gate that includes it, and in
            // the decoder layer, which composes kinds (experts beside a dense MLP), only inside a
            // section the kind itself gates.
            for (const auto& [file, text] : templates.files) {
                // The kind's own sub-partials (`_<kind>_*.swift.mustache`) are part of its partial.
                if (file == partial || file.rfind("_" + kind + "_", 0) == 0) continue;
                bool composes = file == "_decoder_layer.swift.mustache";
                int gated = 0;  // sections of this kind open around the tag
                for (size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
                    size_t end = text.find("}}", at);
                    REQUIRE(end != std::string::npos);
                    std::string tag = text.substr(at + 2, end - at - 2);
                    std::string name = tag.empty() || std::string("#^/").find(tag[0]) == std::string::npos ? tag : tag.substr(1);
                    if (name.rfind(kind + ".", 0) != 0) continue;
                    bool allowed = name == kind + ".used" || (composes && (gated > 0 || tag[0] == '#' || tag[0] == '^'));
                    if (tag[0] == '/') --gated;
                    if (tag[0] == '#' || tag[0] == '^') ++gated;
                    CHECK_MESSAGE(allowed, file << ": {{" << tag << "}} belongs in " << partial);
                }
                CHECK(gated == 0);
            }
        }
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
    // qwen3_moe extends qwen3, qwen3_next qwen3_moe, qwen3_5 qwen3_next and qwen3_5_moe qwen3_5, so they
    // change too; qwen3's own ancestors and unrelated families do not.
    CHECK(diff.find("--- a/generated/Qwen3MoEGenerated.swift") != std::string::npos);
    CHECK(diff.find("--- a/generated/Qwen3NextGenerated.swift") != std::string::npos);
    CHECK(diff.find("--- a/generated/Qwen35Generated.swift") != std::string::npos);
    CHECK(diff.find("--- a/generated/Qwen35MoEGenerated.swift") != std::string::npos);
    CHECK(diff.find("LlamaGenerated") == std::string::npos);
    CHECK(diff.find("Qwen2Generated") == std::string::npos);
    CHECK(err.str() == "hf2swift: 5 generated file(s) are out of date; run `make regen` and commit the result\n");
}

}  // TEST_SUITE
