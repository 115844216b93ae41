// Stage 1 (load): strict scalars, YAML features that would bypass the vocabulary, vocabulary checks.
#include <doctest/doctest.h>

#include "load.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;

namespace {
std::vector<std::string> load_errors(const std::string& text, const std::string& name = "llamax") {
    Diagnostics d;
    load_family("families/" + name + ".yaml", text, d);
    return error_lines(d);
}
}  // namespace

TEST_SUITE("unit") {

TEST_CASE("load: the text check finds a bad byte wherever it stands among printable bytes") {
    // Printable text is passed over eight bytes at a time: a bad byte at any place in or after such
    // a word is still found at its own column, and every other byte passes.
    for (char bad : {'\x07', '\x7f', '\x80', '\r'}) {
        for (size_t at = 0; at < 20; ++at) {
            std::string text = "family: x\n" + std::string(24, 'a') + "\n";
            text[10 + at] = bad;
            Diagnostics d;
            CHECK_FALSE(check_text("f.yaml", text, TextRules{false, "documents"}, d));
            REQUIRE(d.size() == 1);
            CHECK(error_lines(d)[0].find("f.yaml:2:" + std::to_string(at + 1) + ": error:") == 0);
        }
    }
    Diagnostics d;
    CHECK(check_text("f.yaml", "family: x\n~ \t{}|\u00e9\u4e2d\U0001F600 end\n", TextRules{false, "documents"}, d));
    CHECK(d.empty());
}

TEST_CASE("load: a valid document loads with locations on every value") {
    Diagnostics d;
    FamilyDocument doc = load_family("families/x.yaml", "family: x\nattention:\n  qk_norm: per_head\n", d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    const Node* attention = doc.root.find("attention");
    REQUIRE(attention);
    const Node* qk = attention->find("qk_norm");
    REQUIRE(qk);
    CHECK(qk->text == "per_head");
    CHECK(qk->loc.str() == "families/x.yaml:3:12");
    CHECK(doc.logical == "families/x.yaml");
}

TEST_CASE("load: only true and false are booleans") {
    auto errors = load_errors("family: llamax\nabstract: yes\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:2:11: error: abstract: expected a boolean; got \"yes\" "
                       "(YAML 1.1 booleans are not accepted; write true or false)");
    errors = load_errors("family: llamax\nabstract: \"true\"\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("got the string \"true\" (remove the quotes)") != std::string::npos);
    CHECK(load_errors("family: llamax\nabstract: On\n").size() == 1);
    CHECK(load_errors("family: llamax\nabstract: false\n").empty());
}

TEST_CASE("load: numbers are plain decimals and quoted numbers are strings") {
    auto errors = load_errors("family: llamax\nconfig:\n  rope_theta: {type: float, default: \"10000\"}\n");
    // The default's type is checked against the field in resolve; here only the syntax tree matters.
    CHECK(errors.empty());
    Diagnostics d;
    FamilyDocument doc = load_family("families/llamax.yaml",
                                     "family: llamax\nconfig:\n  a: {type: int, default: 010}\n"
                                     "  b: {type: int, default: 1e4}\n  c: {type: int, default: \"7\"}\n", d);
    const Node* config = doc.root.find("config");
    REQUIRE(config);
    CHECK(config->find("a")->find("default")->kind == Node::Kind::String);  // 010 is not a number here
    CHECK(config->find("b")->find("default")->kind == Node::Kind::Float);
    CHECK(config->find("b")->find("default")->number == 10000.0);
    CHECK(config->find("c")->find("default")->kind == Node::Kind::String);
    CHECK(config->find("c")->find("default")->quoted);
}

TEST_CASE("load: numbers other YAML readers accept get a hint instead of a silent reading") {
    auto hint = [](const std::string& text, bool quoted = false) {
        Node n;
        n.kind = Node::Kind::String;
        n.text = text;
        n.quoted = quoted;
        return scalar_hint(n);
    };
    CHECK(hint("010") == " (leading zeros are not accepted: YAML 1.1 reads them as octal)");
    CHECK(hint("0x10") == " (only plain decimal numbers are accepted)");
    CHECK(hint("1_000") == " (only plain decimal numbers are accepted)");
    CHECK(hint(".5") == " (only plain decimal numbers are accepted)");
    CHECK(hint("+1") == " (only plain decimal numbers are accepted)");
    CHECK(hint(".inf") == " (only plain decimal numbers are accepted)");
    CHECK(hint("1.5", true) == " (quoted scalars are strings; remove the quotes)");
    CHECK(hint("on") == " (YAML 1.1 booleans are not accepted; write true or false)");
    CHECK(hint("silu").empty());
    // And plain decimals are numbers.
    Diagnostics d;
    FamilyDocument doc = load_family("families/x.yaml", "a: [0, -3, 1.5, 2e-5, 1E+3, 1.]\n", d);
    const Node* a = doc.root.find("a");
    REQUIRE(a);
    CHECK(a->items[0].kind == Node::Kind::Int);
    CHECK(a->items[1].integer == -3);
    CHECK(a->items[2].kind == Node::Kind::Float);
    CHECK(a->items[3].number == doctest::Approx(2e-5));
    CHECK(a->items[4].number == 1000.0);
    CHECK(a->items[5].kind == Node::Kind::String);
}

TEST_CASE("load: duplicate keys are errors that point at both definitions") {
    Diagnostics d;
    load_family("families/llamax.yaml", "family: llamax\nattention:\n  qk_norm: none\n  qk_norm: per_head\n", d);
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].format() ==
          "families/llamax.yaml:4:3: error: duplicate key 'qk_norm'\n"
          "families/llamax.yaml:3:3: note: first defined here\n");
    // Flow mappings too.
    CHECK(load_errors("family: llamax\nattention: {qk_norm: none, qk_norm: none}\n").size() == 1);
}

TEST_CASE("load: anchors, aliases, merge keys and tags are refused") {
    auto errors = load_errors("family: llamax\nmlp: &m {bias: true}\nnorm: *m\n");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].find("2:6: error: anchors are not allowed") != std::string::npos);
    CHECK(errors[1].find("3:7: error: aliases are not allowed") != std::string::npos);
    errors = load_errors("family: llamax\nmlp:\n  <<: {bias: true}\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("3:3: error: merge keys ('<<') are not allowed") != std::string::npos);
    errors = load_errors("family: llamax\nabstract: !!bool true\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("tags are not allowed") != std::string::npos);
}

TEST_CASE("load: unknown keys name the closest known key") {
    auto errors = load_errors("family: llamax\nattention:\n  qk_nrom: per_head\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:3:3: error: attention.qk_nrom: unknown key 'qk_nrom' "
                       "(did you mean 'qk_norm'?)");
    errors = load_errors("family: llamax\nwhatever: 1\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:2:1: error: whatever: unknown key 'whatever'");
}

TEST_CASE("load: values outside their set suggest the closest one") {
    auto errors = load_errors("family: llamax\nattention:\n  qk_norm: perhead\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:3:12: error: attention.qk_norm: expected one of none, per_head, whole, per_head_weights; "
                       "got \"perhead\" (did you mean 'per_head'?)");
}

TEST_CASE("load: config entries are fields or policies, never both") {
    auto errors = load_errors("family: llamax\nconfig:\n  x: {type: int, policy: ignored}\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("'type' and 'policy' exclude each other") != std::string::npos);
    errors = load_errors("family: llamax\nconfig:\n  x: {doc: hello}\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("expected 'type' (a field the family reads) or 'policy'") != std::string::npos);
    errors = load_errors("family: llamax\nconfig:\n  x: {type: int, defualt: 3}\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("unknown key 'defualt' (did you mean 'default'?)") != std::string::npos);
    errors = load_errors("family: llamax\nconfig:\n  x: {type: int, default: {derive: hidden_over_head}}\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("unknown derivation \"hidden_over_head\"") != std::string::npos);
}

TEST_CASE("load: the family id equals the file name") {
    auto errors = load_errors("family: other\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:1:9: error: family: the family id must equal the file name: "
                       "expected \"llamax\"; got \"other\"");
}

TEST_CASE("load: syntax errors, empty files, several documents and deep nesting") {
    auto errors = load_errors("family: llamax\nmodel_types: [a, b\nextends: x\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:3:8: error: YAML syntax: expected ',' or ']' in the flow sequence");
    errors = load_errors("");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/llamax.yaml:1:1: error: the file is empty; a family document is a mapping");
    errors = load_errors("family: llamax\n---\nfamily: llamax\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("a family file holds exactly one YAML document") != std::string::npos);
    std::string deep = "family: llamax\nx: ";
    for (int i = 0; i < 12; ++i) deep += "[";
    for (int i = 0; i < 12; ++i) deep += "]";
    errors = load_errors(deep + "\n");
    REQUIRE(!errors.empty());
    CHECK(errors[0].find("nesting deeper than 8 levels") != std::string::npos);
    errors = load_errors("- a\n- b\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("a family document is a mapping") != std::string::npos);
}

TEST_CASE("load: one-line prose stays one short line") {
    std::string long_text(80, 'x');
    auto errors = load_errors("family: llamax\ndescription: " + long_text + "\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("description: at most 72 characters (one line); got 80") != std::string::npos);
}

}  // TEST_SUITE
