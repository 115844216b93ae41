// Regression tests for what fuzzing and the bad-input review found (tests/fuzz/regressions/ holds the
// raw inputs): yaml-cpp 0.7 quirks the loader works around, text that would break the Swift it ends
// up in, and the error paths of rendering that must stay diagnostics.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "commands.h"
#include "load.h"
#include "pipeline.h"
#include "render.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;
namespace fs = std::filesystem;

namespace {

using Lines = std::vector<std::string>;

std::vector<std::string> parse_errors(const std::string& text) {
    Diagnostics d;
    Node root;
    parse_yaml("f.yaml", text, root, d);
    return error_lines(d);
}

/// Renders `text` as template t.mustache against `view`; returns the error lines.
std::vector<std::string> render_errors(const std::string& text, const nlohmann::ordered_json& view) {
    TemplateSet set;
    set.dir = "templates";
    set.files["t.md.mustache"] = text;
    Diagnostics d;
    render_template(set, "t.md.mustache", view, "out.md", d);
    return error_lines(d);
}

}  // namespace

TEST_SUITE("unit") {

TEST_CASE("robustness: a ',' outside any collection ends parsing with an error (yaml-cpp looped forever)") {
    // Found by fuzz_family (tests/fuzz/regressions/family/timeout-stray-comma).
    CHECK(parse_errors(",") == Lines{"f.yaml:1:1: error: YAML syntax: unexpected ',' outside a flow collection"});
    CHECK(parse_errors("# comment\n  ,  x\n") ==
          Lines{"f.yaml:2:3: error: YAML syntax: unexpected ',' outside a flow collection"});
    CHECK(parse_errors("\xEF\xBB\xBF,") ==
          Lines{"f.yaml:1:1: error: YAML syntax: unexpected ',' outside a flow collection"});
    // A second document is reported once, and reading stops there.
    CHECK(parse_errors("a: 1\n---\n,\n") ==
          Lines{"f.yaml:3:1: error: a family file holds exactly one YAML document"});
}

TEST_CASE("robustness: an unterminated quoted scalar is an error; closed ones with escapes are not") {
    // yaml-cpp 0.7 accepts a quote that runs to the end of the file.
    CHECK(parse_errors("a: \"open\nb: 1\n") ==
          Lines{
              "f.yaml:1:4: error: YAML syntax: this quoted scalar is never closed (no \" before the end of the file)"});
    CHECK(parse_errors("a: 'open\n") ==
          Lines{
              "f.yaml:1:4: error: YAML syntax: this quoted scalar is never closed (no ' before the end of the file)"});
    CHECK(parse_errors("\xEF\xBB\xBF" "a: \"open\n").size() == 1);
    CHECK(parse_errors("a: \"say \\\"hi\\\"\"\nb: 'it''s'\nc: \"back\\\\\"\nd: ''''\n").empty());
    CHECK(parse_errors("a: \"multi\n  line\"\nb: |\n  \"block\n").empty());
}

TEST_CASE("robustness: control characters and out-of-range numbers are refused where they are written") {
    // A U+0001 reached the renderer's line sentinel check as an internal error (exit 3).
    CHECK(parse_errors("a: \"x\\x01y\"\n") ==
          Lines{"f.yaml:1:4: error: control character U+0001 in a scalar; family documents hold printable text"});
    CHECK(parse_errors("a: \"x\\ty\"\n") ==
          Lines{
              "f.yaml:1:4: error: control character U+0009 (tab) in a scalar; family documents hold printable text"});
    CHECK(parse_errors("a: x\x7fy\n").size() == 1);
    CHECK(parse_errors("a: \"two\\nlines\"\n").empty());  // newlines are judged per key, below
    CHECK(parse_errors("a: 1e999\n") == Lines{"f.yaml:1:4: error: the number 1e999 is out of range"});
    CHECK(parse_errors("a: -1e999\n").size() == 1);
    CHECK(parse_errors("a: 1e-999\n").empty());  // underflows to zero, which is a number
}

TEST_CASE("robustness: no string of a family can put a second line into the Swift") {
    Diagnostics d;
    load_family("families/x.yaml", "family: x\nreference: \"a\\nimport Evil\"\nmodel_types: [\"a\\nb\"]\n", d);
    CHECK(error_lines(d) == Lines{
                                "families/x.yaml:2:12: error: reference: one line of text; got several lines",
                                "families/x.yaml:3:15: error: model_types[0]: one line of text; got several lines"});
}

TEST_CASE("robustness: YAML syntax errors name the mistake and where the open bracket is") {
    Diagnostics d;
    Node root;
    parse_yaml("f.yaml", "a: {b: 1\nc: 2\n", root, d);
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].format() ==
          "f.yaml:2:2: error: YAML syntax: expected ',' or '}' in the flow mapping\n"
          "f.yaml:1:4: note: to match this '{'\n");
    CHECK(parse_errors("a:\n\tb: 1\n") ==
          Lines{"f.yaml:2:1: error: YAML syntax: tab in indentation; YAML indents with spaces only"});
    CHECK(parse_errors("a: 1\n]\n") ==
          Lines{"f.yaml:2:1: error: YAML syntax: unexpected ']' with no '[' or '{' open"});
    CHECK(parse_errors("a: !!str x\n") ==
          Lines{"f.yaml:1:4: error: tags are not allowed (found '!!str')"});
}

TEST_CASE("robustness: template names split at dots exactly as before") {
    nlohmann::ordered_json view = {{"a", {{"b", "x"}}}, {"s", "y"}};
    CHECK(render_errors("{{a.b}} {{s}}\n", view).empty());
    CHECK(render_errors("{{a.c}}\n", view) == Lines{"templates/t.md.mustache:1:1: error: unknown name 'a.c'"});
    CHECK(render_errors("{{a.}}\n", view) ==
          Lines{"templates/t.md.mustache:1:1: error: 'a.' is a mapping, and a variable tag prints strings only"});
    auto leading_dot = render_errors("{{.a}}\n", view);
    REQUIRE(leading_dot.size() == 1);
    CHECK(leading_dot[0].rfind("templates/t.md.mustache:1:1: error: unknown name ''", 0) == 0);
    CHECK(render_errors("{{a..b}}\n", view) == Lines{"templates/t.md.mustache:1:1: error: unknown name 'a.'"});
}

TEST_CASE("robustness: an unclosed tag is named as such, even with a '}}' further on") {
    CHECK(render_errors("{{s\n{{s}}\n", {{"s", "y"}}) ==
          Lines{
              "templates/t.md.mustache:1:1: error: '{{' is not closed on its line "
              "(a tag, a comment too, stays on one line)"});
}

}  // TEST_SUITE

TEST_SUITE("unit") {

TEST_CASE("robustness: a model_type reaches Swift only as an escaped string literal") {
    // A claim with a quote, a backslash and an interpolation used to end the literal and run code.
    TempDir tmp;
    copy_tree(fs::path(source_dir()) / "families", tmp.path() / "families");
    write_text(tmp.path() / "families" / "odd.yaml",
               "family: odd\nswift_name: Odd\nextends: qwen3\ndescription: A family with an odd model type\n"
               "model_types: ['a\"); fatalError(\"x\\(1)']\n");
    GenerateArgs args;
    args.paths.families = tmp.str("families");
    args.paths.templates = (fs::path(source_dir()) / "templates").string();
    args.paths.out = tmp.str("generated");
    MemorySink sink;
    std::ostringstream out, err;
    REQUIRE_MESSAGE(run_generate(args, sink, out, err) == kOk, err.str());
    const std::string& registry = sink.files.at(tmp.str("generated") + "/ModelRegistry.swift");
    CHECK(registry.find(R"lit(case "a\"); fatalError(\"x\\(1)":)lit") != std::string::npos);
    CHECK(registry.find(R"lit(fatalError("x)lit") == std::string::npos);
}

TEST_CASE("robustness: a flood of errors is cut per file, and finding them stays linear") {
    // 2,000 template lines over 100 columns: every one an error, of which a few are shown.
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "// " + std::string(120, 'x') + " " + std::to_string(i) + "\n";
    TemplateSet set;
    set.dir = "templates";
    set.files["t.swift.mustache"] = text;
    Diagnostics d;
    render_template(set, "t.swift.mustache", nlohmann::ordered_json::object(), "out.swift", d);
    REQUIRE(d.size() == 2000);
    d.remove_duplicates();
    REQUIRE(d.size() == 2000);
    std::string report = d.format();
    size_t shown = 0;
    for (size_t at = report.find(": error: "); at != std::string::npos; at = report.find(": error: ", at + 1)) ++shown;
    CHECK(shown == Diagnostics::kShownPerFile);
    CHECK(report.find("out.swift: note: 1950 more errors in this file not shown\n") != std::string::npos);
    CHECK(report.substr(report.size() - 13) == "2000 errors.\n");
}

}  // TEST_SUITE
