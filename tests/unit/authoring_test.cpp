// What a family author works with besides the engine: the JSON Schema read off the vocabulary (its
// golden file and its shape), the schema line atop every family, and the `hf2swift new` scaffold.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "commands.h"
#include "diff.h"
#include "load.h"
#include "schema.h"
#include "test_support.h"
#include "vocabulary.h"

using namespace hf2swift;
using namespace hf2swift::test;
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

/// `path` is relative to the repository root, as `make regen` writes it.
void check_golden(const std::string& path, const std::string& actual) {
    fs::path file = fs::path(source_dir()) / path;
    std::string expected = fs::exists(file) ? read_text(file) : "";
    if (expected == actual) return;
    std::string diff = unified_diff(expected, actual, fs::exists(file) ? "a/" + path : "/dev/null", "b/" + path);
    FAIL_CHECK(path << " is out of date:\n" << diff << "If the change is intended, accept it with: make regen");
}

/// Runs in `dir` while alive, so paths in outputs are relative, as in the goldens.
struct WorkingDirectory {
    fs::path previous = fs::current_path();
    explicit WorkingDirectory(const fs::path& dir) { fs::current_path(dir); }
    ~WorkingDirectory() { fs::current_path(previous); }
};

/// Every key of the vocabulary is a property of the schema at the same place, and nothing else is.
void check_keys(const vocab::KeySpec& spec, const ordered_json& schema, const std::string& path) {
    CAPTURE(path);
    if (spec.type == vocab::Type::Map) {
        REQUIRE(schema.contains("properties"));
        std::set<std::string> names;
        for (const auto& c : spec.children) {
            names.insert(c.name);
            REQUIRE_MESSAGE(schema["properties"].contains(c.name), path << "." << c.name << " is not in the schema");
            check_keys(c, schema["properties"][c.name], path.empty() ? c.name : path + "." + c.name);
        }
        for (const auto& [name, value] : schema["properties"].items()) {
            CHECK_MESSAGE(names.count(name), path << "." << name << " is in the schema but not in the vocabulary");
        }
    } else if (spec.type == vocab::Type::EntryMap) {
        const ordered_json& variants = schema["additionalProperties"]["oneOf"];
        REQUIRE(variants.size() == spec.entry_variants.size() + 1);  // and null
        for (size_t v = 0; v < spec.entry_variants.size(); ++v) {
            vocab::KeySpec variant;
            variant.type = vocab::Type::Map;
            variant.children = spec.entry_variants[v];
            check_keys(variant, variants[v + 1], path + ".*");
        }
    }
}

/// Every key has a description and every fixed set of keys is closed. The conditional parts
/// (`allOf`: which keys a document must state) only repeat keys described here.
void check_shape(const ordered_json& s, const std::string& where, size_t& keys) {
    if (s.is_array()) {
        for (size_t i = 0; i < s.size(); ++i) check_shape(s[i], where + "/" + std::to_string(i), keys);
        return;
    }
    if (!s.is_object()) return;
    if (s.contains("properties")) {
        CHECK_MESSAGE(s.contains("additionalProperties"), where << " lists properties but is not closed");
        if (s.contains("additionalProperties")) CHECK_MESSAGE(s["additionalProperties"] == false, where);
        for (const auto& [name, value] : s["properties"].items()) {
            ++keys;
            CHECK_MESSAGE(value.contains("description"), where << "/properties/" << name << " has no description");
            if (value.contains("description")) CHECK(value["description"].get<std::string>().size() > 10);
        }
    }
    if (s.contains("type") && s["type"].dump().find("\"object\"") != std::string::npos && !s.contains("properties")) {
        // Free keys (config.json key names, wrapper names): named by a pattern, each value closed.
        CHECK_MESSAGE(s.contains("propertyNames"), where << " is an open mapping without a key pattern");
        CHECK_MESSAGE(s.contains("additionalProperties"), where);
    }
    for (const auto& [name, value] : s.items()) {
        if (name != "allOf" && name != "default") check_shape(value, where + "/" + name, keys);
    }
}

std::string scaffold_transcript(const fs::path& dir, const std::string& name, const std::string& like) {
    WorkingDirectory in(dir);
    std::ostringstream out, err;
    DiskSink disk;
    std::string transcript = "$ hf2swift new " + name + " --like " + like + "\n";
    REQUIRE_MESSAGE(run_new(Paths{}, name, like, disk, out, err) == kOk, err.str());
    transcript += out.str();
    transcript += "$ cat families/" + name + ".yaml\n" + read_text("families/" + name + ".yaml");
    std::ostringstream explained;
    REQUIRE_MESSAGE(run_explain(Paths{}, name, "", explained, err) == kOk, err.str());
    transcript += "$ hf2swift explain " + name + "\n" + explained.str();
    return transcript;
}

}  // namespace

TEST_SUITE("golden") {

TEST_CASE("golden: families/family.schema.json is what the vocabulary produces") {
    check_golden("families/family.schema.json", schema::family_schema_text());
}

TEST_CASE("golden: `hf2swift new` scaffolds a document that extends its model, and `explain` shows it") {
    // The README's example: the transcript a person sees, from the scaffold to its resolved values.
    TempDir tmp;
    copy_tree(fs::path(source_dir()) / "families", tmp.path() / "families");
    check_golden("tests/golden/new/my_model.txt", scaffold_transcript(tmp.path(), "my_model", "llama"));
}

}  // TEST_SUITE

TEST_SUITE("unit") {

TEST_CASE("schema: every vocabulary key is a described property, and every mapping is closed") {
    ordered_json s = schema::family_schema();
    CHECK(s["$schema"] == "http://json-schema.org/draft-07/schema#");
    check_keys(vocab::root(), s, "");
    size_t keys = 0;
    check_shape(s, "#", keys);
    CHECK(keys > 60);
}

TEST_CASE("schema: its name patterns accept exactly the names the loader accepts") {
    ordered_json s = schema::family_schema();
    const ordered_json& props = s["properties"];
    // Each key stands for one kind of name: an identifier, a Swift type name, a config field name.
    const std::vector<std::pair<std::string, std::string>> probes = {
        {"extends: ", props["extends"]["pattern"]},
        {"swift_name: ", props["swift_name"]["pattern"]},
        {"dims: {hidden: ", props["dims"]["properties"]["hidden"]["pattern"]},
    };
    const std::vector<std::string> names = {"llama", "llama_3", "l3", "Llama", "LLaMA", "Qwen2", "GptOSS", "Gpt_OSS",
                                            "3b", "_x", "x_", "x-y", "x.y", "a b", "rope_Theta", "x\u00e9", ""};
    for (const auto& [prefix, pattern] : probes) {
        for (const auto& name : names) {
            std::string text = prefix + "\"" + name + "\"" + (prefix.find('{') != std::string::npos ? "}" : "");
            Diagnostics d;
            Node root;
            REQUIRE(parse_yaml("x.yaml", text + "\n", root, d));
            check_against_vocabulary(root, d);
            bool by_loader = d.empty();
            bool by_schema = std::regex_search(name, std::regex(pattern));
            CHECK_MESSAGE(by_loader == by_schema, text << ": the loader " << (by_loader ? "accepts" : "refuses")
                                                       << " it, the schema " << (by_schema ? "accepts" : "refuses"));
        }
    }
}

TEST_CASE("schema: a document states what it cannot inherit") {
    ordered_json s = schema::family_schema();
    // Identity keys, in every concrete document; all required keys, in one that extends nothing.
    ordered_json own = s["allOf"][0]["else"]["required"];
    CHECK(own == ordered_json({"family", "swift_name", "model_types", "description"}));
    ordered_json all = s["allOf"][1]["else"];
    CHECK(all["required"].size() > own.size());
    CHECK(all["properties"]["dims"]["required"].size() == vocab::dim_roles().size());
    CHECK(all["properties"]["norm"]["required"] == ordered_json({"eps"}));
    // The RoPE base is required unless learned positions replace it: a rule the resolver keeps.
    CHECK(!all["properties"].contains("attention"));
}

TEST_CASE("schema: every family document starts with the schema line, which the loader reads as a comment") {
    for (const auto& file : list_family_files(fs::path(source_dir()) / "families")) {
        std::string text = read_text(file);
        std::string first = text.substr(0, text.find('\n'));
        CHECK_MESSAGE(first == schema::modeline(),
                      file << ": the first line must be `" << schema::modeline() << "` (`hf2swift new` writes it)");
    }
    Diagnostics d;
    std::vector<ResolvedFamily> families = resolve_texts(
        real_families_with({{"withline", schema::modeline() + "\n" + family_text("withline")}}), d);
    CHECK_MESSAGE(d.empty(), d.format());
}

TEST_CASE("new: prints the next commands for the directories it was given") {
    TempDir tmp;
    copy_tree(fs::path(source_dir()) / "families", tmp.path() / "families");
    Paths paths;
    paths.families = tmp.str("families");
    paths.out = tmp.str("out");
    DiskSink disk;
    std::ostringstream out, err;
    REQUIRE_MESSAGE(run_new(paths, "my_qwen", "qwen3", disk, out, err) == kOk, err.str());
    CHECK(out.str().find("hf2swift explain my_qwen --families " + paths.families + "  ") != std::string::npos);
    CHECK(out.str().find("hf2swift generate --families " + paths.families + " --out " + paths.out + "  ") !=
          std::string::npos);
    CHECK(read_text(tmp.path() / "families/my_qwen.yaml").rfind(schema::modeline() + "\nfamily: my_qwen\n", 0) == 0);
}

TEST_CASE("new: a scaffold that would not resolve is refused, and nothing is written") {
    TempDir tmp;
    copy_tree(fs::path(source_dir()) / "families", tmp.path() / "families");
    Paths paths;
    paths.families = tmp.str("families");
    MemorySink sink;
    std::ostringstream out, err;
    // gpt_o_s_s would be GptOSS, the Swift name gpt_oss already has.
    CHECK(run_new(paths, "gpt_o_s_s", "llama", sink, out, err) == kDiagnostics);
    CHECK(err.str().find("error: swift_name: swift_name \"GptOSS\" is also claimed by 'gpt_oss'") != std::string::npos);
    CHECK(sink.files.empty());
    CHECK(!fs::exists(tmp.path() / "families/gpt_o_s_s.yaml"));
}

}  // TEST_SUITE
