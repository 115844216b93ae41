// Stage 4 (render): partial expansion with indentation, strict names, no HTML escaping, layout checks.
#include <doctest/doctest.h>

#include "model_data.h"
#include "render.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;
using nlohmann::ordered_json;

namespace {
TemplateSet templates(std::map<std::string, std::string> files) {
    TemplateSet set;
    set.dir = "templates";
    set.files = std::move(files);
    return set;
}

std::string render(const TemplateSet& set, const ordered_json& view, Diagnostics& d,
                   const std::string& output = "out.md") {
    return render_template(set, "main.mustache", view, output, d);
}
}  // namespace

TEST_SUITE("unit") {

TEST_CASE("render: HTML is never escaped") {
    Diagnostics d;
    std::string out = render(templates({{"main.mustache", "{{a}} -> {{b}}\n"}}),
                             ordered_json{{"a", "Array<Int> && \"x\""}, {"b", "'y' & <z>"}}, d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(out == "Array<Int> && \"x\" -> 'y' & <z>\n");
}

TEST_CASE("render: standalone section and comment lines leave no blank lines; intended blanks stay") {
    Diagnostics d;
    std::string t = "{{! a comment }}\nA\n{{#items}}\n{{#flag}}\n\n  x {{name}}\n{{/flag}}\n{{^flag}}\n  y {{name}}\n"
                    "{{/flag}}\n{{/items}}\nB\n";
    ordered_json view = {{"items", ordered_json::array({{{"name", "one"}, {"flag", true}},
                                                       {{"name", "two"}, {"flag", false}}})}};
    std::string out = render(templates({{"main.mustache", t}}), view, d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(out == "A\n\n  x one\n  y two\nB\n");
}

TEST_CASE("render: standalone partials are indented line by line, with a line map") {
    Diagnostics d;
    TemplateSet set = templates({{"main.mustache", "struct A {\n    {{>body}}\n}\n"},
                                 {"_body.mustache", "let a = 1\n\nlet {{name}} = 2\n"}});
    std::string out = render(set, ordered_json{{"name", "b"}}, d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(out == "struct A {\n    let a = 1\n\n    let b = 2\n}\n");
    Diagnostics e;
    ExpandedTemplate t = expand_template(set, "main.mustache", e);
    REQUIRE(t.lines.size() == 5);
    CHECK(t.lines[3].file == "templates/_body.mustache");
    CHECK(t.lines[3].line == 3);
    CHECK(t.locate(t.text.find("{{name}}")).str() == "templates/_body.mustache:3:5");
}

TEST_CASE("render: missing names are errors at the template's location, with suggestions") {
    Diagnostics d;
    render(templates({{"main.mustache", "line\n  {{nmae}}\n"}}), ordered_json{{"name", "x"}}, d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "templates/main.mustache:2:3: error: unknown name 'nmae' (did you mean 'name'?)");
}

TEST_CASE("render: names inside a section come from its item, never silently from outside") {
    Diagnostics d;
    render(templates({{"main.mustache", "{{#items}}\n{{title}}: {{name}}\n{{/items}}\n"}}),
           ordered_json{{"title", "T"}, {"items", ordered_json::array({{{"name", "a"}}})}}, d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("templates/main.mustache:2:1: error: 'title' is not a name of the current section item") == 0);
    // A boolean section keeps the current item, so its names stay visible.
    Diagnostics ok;
    CHECK(render(templates({{"main.mustache", "{{#flag}}\n{{title}}\n{{/flag}}\n"}}),
                 ordered_json{{"title", "T"}, {"flag", true}}, ok) == "T\n");
    CHECK(ok.empty());
}

TEST_CASE("render: only strings print; sections take booleans, lists and mappings") {
    Diagnostics d;
    render(templates({{"main.mustache", "{{flag}}\n{{#name}}x{{/name}}\n{{^obj}}y{{/obj}}\n"}}),
           ordered_json{{"flag", true}, {"name", "n"}, {"obj", ordered_json{{"a", "b"}}}}, d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == "templates/main.mustache:1:1: error: 'flag' is a boolean, and a variable tag prints strings only");
    CHECK(errors[1].find("'name' is a string; sections take booleans, lists and mappings") != std::string::npos);
    CHECK(errors[2].find("'obj' is a mapping; inverted sections take booleans and lists") != std::string::npos);
}

TEST_CASE("render: names under a false flag are still checked") {
    Diagnostics d;
    render(templates({{"main.mustache", "{{#flag}}\n{{missing}}\n{{/flag}}\n"}}), ordered_json{{"flag", false}}, d);
    CHECK(d.size() == 1);
}

TEST_CASE("render: a template that fits a record type's sample fits its records, even with empty lists") {
    const std::string file = "main.mustache";
    TemplateSet good = templates({{file, "{{family}}\n{{#sources}}{{path}} {{family}}\n{{/sources}}"
                                         "{{#wrappers}}{{model_type}}\n{{/wrappers}}"}});
    auto names = template_tag_names(good, file);
    REQUIRE(names);
    CHECK(data_fits_template(good, file, sample_data<ir::ModelFile>(*names, {}).data));
    ir::ModelFile no_items;
    CHECK(data_fits_template(good, file, model_data(no_items, MemberFilter(names, nullptr), {}).data));

    // A wrong name in a list item: the sample has an item to show it, a record without items does not.
    TemplateSet wrong = templates({{file, "{{#sources}}{{nothing}}\n{{/sources}}"}});
    names = template_tag_names(wrong, file);
    REQUIRE(names);
    CHECK_FALSE(data_fits_template(wrong, file, sample_data<ir::ModelFile>(*names, {}).data));
    CHECK(data_fits_template(wrong, file, model_data(no_items, MemberFilter(names, nullptr), {}).data));

    // The sample's string maps hold no keys, so a template reading one never fits it.
    TemplateSet map = templates({{file, "{{#wrappers}}{{dispatch.x}}\n{{/wrappers}}"}});
    names = template_tag_names(map, file);
    REQUIRE(names);
    CHECK_FALSE(data_fits_template(map, file, sample_data<ir::ModelFile>(*names, {}).data));
}

TEST_CASE("render: data leaves out members a template names only for records of other types") {
    const std::string file = "main.mustache";
    TemplateSet set = templates({{file, "{{#config}}{{#fields}}{{json_key}}\n{{/fields}}"
                                        "{{#declarations}}{{swift_name}}\n{{/declarations}}{{/config}}"}});
    auto names = template_tag_names(set, file);
    REQUIRE(names);
    MemberOrigins origins;
    ModelData sample = sample_data<ir::ModelFile>(*names, {}, &origins);
    DataReads read;
    REQUIRE(data_fits_template(set, file, sample.data, &read));
    auto reads = std::make_shared<MemberReads>(member_reads(read, origins));
    ir::ModelFile model;
    model.config.fields.resize(1);
    model.config.fields[0].json_key = "hidden_size";  // a learned filter leaves empty strings out
    model.config.declarations.resize(1);
    auto field_has = [&](const MemberFilter& filter, const std::string& name) {
        ModelData built = model_data(model, filter, {});
        const auto& field = built.data.get("config")->get("fields")->list_value().front();
        return field.get(name) != nullptr;
    };
    MemberFilter all(names, nullptr), used(names, reads);
    used.learn<ir::ModelFile>();
    CHECK(field_has(all, "swift_name"));  // named, for declarations
    CHECK_FALSE(field_has(used, "swift_name"));
    CHECK(field_has(used, "json_key"));
}

TEST_CASE("render: data leaves out members a record's flags keep a render from") {
    const std::string file = "main.mustache";
    TemplateSet set = templates({{file, "{{#config}}{{#fields}}{{swift_name}}\n"
                                        "{{#has_doc}}{{#read}}{{doc}}\n{{/read}}{{/has_doc}}"
                                        "{{^read}}{{json_key}}\n{{/read}}{{/fields}}{{/config}}"
                                        "{{#attention.fused_qkv}}{{#config.fields}}{{literal}}\n{{/config.fields}}"
                                        "{{/attention.fused_qkv}}"}});
    auto names = template_tag_names(set, file);
    REQUIRE(names);
    MemberOrigins origins;
    ModelData sample = sample_data<ir::ModelFile>(*names, {}, &origins);
    DataReads read;
    REQUIRE(data_fits_template(set, file, sample.data, &read));
    MemberFilter filter(names, std::make_shared<MemberReads>(member_reads(read, origins)));
    filter.learn<ir::ModelFile>();
    auto field_has = [&](bool has_doc, bool is_read, const std::string& name) {
        ir::ModelFile model;
        model.config.fields.resize(1);
        ir::ConfigField& field = model.config.fields[0];
        field.has_doc = has_doc;
        field.read = is_read;
        model.attention.fused_qkv = true;
        for (auto* text : {&field.swift_name, &field.json_key, &field.doc, &field.literal}) *text = "x";
        ModelData built = model_data(model, filter, {});
        const auto& item = built.data.get("config")->get("fields")->list_value().front();
        return item.get(name) != nullptr;
    };
    CHECK(field_has(false, false, "swift_name"));  // read whatever the flags
    CHECK_FALSE(field_has(false, true, "has_doc"));  // false, as a missing flag is
    CHECK(field_has(true, true, "has_doc"));
    CHECK(field_has(true, true, "doc"));
    CHECK_FALSE(field_has(false, true, "doc"));
    CHECK_FALSE(field_has(true, false, "doc"));
    CHECK(field_has(true, false, "json_key"));
    CHECK_FALSE(field_has(true, true, "json_key"));
    // A flag of another record, reached through a dotted name, guards nothing of a field.
    CHECK(field_has(false, false, "literal"));
}

TEST_CASE("render: syntax errors are located") {
    Diagnostics d;
    render(templates({{"main.mustache", "a\n{{#open}}\nb\n"}}), ordered_json{{"open", true}}, d);
    REQUIRE(d.size() == 1);
    CHECK(error_lines(d)[0] == "templates/main.mustache:2:1: error: section 'open' is never closed");
    Diagnostics e;
    render(templates({{"main.mustache", "a\nb {{x\n"}}), ordered_json{{"x", "1"}}, e);
    REQUIRE(e.size() == 1);
    CHECK(error_lines(e)[0] == "templates/main.mustache:2:3: error: unclosed tag '{{'");
    Diagnostics f;
    render(templates({{"main.mustache", "{{#a}}\n{{/b}}\n"}}), ordered_json{{"a", true}}, f);
    REQUIRE(f.size() == 1);
    CHECK(error_lines(f)[0].find("templates/main.mustache:2:1: error: '{{/b}}' closes 'a', opened at "
                                 "templates/main.mustache:1:1") == 0);
    Diagnostics g;
    render(templates({{"main.mustache", "{{=<% %>=}}\n"}}), ordered_json::object(), g);
    REQUIRE(g.size() == 1);
    CHECK(error_lines(g)[0].find("set-delimiter tags are not supported") != std::string::npos);
}

TEST_CASE("render: unknown and self-including partials are located") {
    Diagnostics d;
    render(templates({{"main.mustache", "x\n{{>bdy}}\n"}, {"_body.mustache", "b\n"}}), ordered_json::object(), d);
    REQUIRE(d.size() == 1);
    CHECK(error_lines(d)[0] == "templates/main.mustache:2:1: error: unknown partial 'bdy': no file _bdy.mustache "
                               "(did you mean 'body'?)");
    Diagnostics e;
    render(templates({{"main.mustache", "{{>a}}\n"}, {"_a.mustache", "{{>b}}\n"}, {"_b.mustache", "  {{>a}}\n"}}),
           ordered_json::object(), e);
    REQUIRE(e.size() == 1);
    CHECK(error_lines(e)[0] == "templates/_b.mustache:1:3: error: partial 'a' includes itself: main.mustache -> "
                               "_a.mustache -> _b.mustache -> _a.mustache");
}

TEST_CASE("render: partials that include each other many times over stop at a budget") {
    // Each level includes the next twice: 2^20 lines with no cycle.
    std::map<std::string, std::string> files{{"main.mustache", "{{>p0}}\n"}, {"_p20.mustache", "leaf\n"}};
    for (int i = 0; i < 20; ++i) {
        std::string next = "{{>p" + std::to_string(i + 1) + "}}\n";
        files["_p" + std::to_string(i) + ".mustache"] = next + next;
    }
    Diagnostics d;
    render(templates(files), ordered_json::object(), d);
    REQUIRE(d.size() == 1);
    CHECK(error_lines(d)[0].find("the expanded template passes 100000 lines") != std::string::npos);
}

TEST_CASE("render: output layout is checked") {
    Diagnostics d;
    check_output_layout("x.swift", "a  \n\n\nb\t\n" + std::string(101, 'c') + "\n&lt;\n", "t.mustache", d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 6);
    CHECK(errors[0] == "x.swift:1:1: error: trailing whitespace");
    CHECK(errors[1] == "x.swift:3:1: error: two blank lines in a row");
    CHECK(errors[2] == "x.swift:4:1: error: tab character (outputs indent with spaces)");
    CHECK(errors[3] == "x.swift:4:1: error: trailing whitespace");
    CHECK(errors[4] == "x.swift:5:1: error: line is 101 columns; Swift output stays within 100");
    CHECK(errors[5] == "x.swift:6:1: error: HTML entity in Swift output");
    Diagnostics e;
    check_output_layout("x.md", "no newline", "t.mustache", e);
    CHECK(e.size() == 1);
}

}  // TEST_SUITE
