// Stage 2 (resolve): merge rules, identity keys, provenance, required keys, cycles, claims, bindings.
#include <doctest/doctest.h>

#include <algorithm>

#include "resolve.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;

namespace {
const ResolvedFamily& by_id(const std::vector<ResolvedFamily>& fs, const std::string& id) {
    for (const auto& f : fs) {
        if (f.id == id) return f;
    }
    FAIL("no family " << id);
    throw 0;
}
}  // namespace

TEST_SUITE("unit") {

TEST_CASE("resolve: maps merge key by key, scalars and lists replace, null removes") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({
        {"child", family_text("child",
                              "attention:\n  qk_norm: per_head\n  bias: {o: true}\n"
                              "weights:\n  drop: [\"a.*\"]\n"
                              "config:\n  hidden_act: null\n"
                              "  max_position_embeddings: {type: int, default: 5}\n")},
    }), d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    const ResolvedFamily& f = by_id(fs, "child");
    CHECK(f.text("attention.qk_norm") == "per_head");
    CHECK(f.get("attention.bias.o")->boolean == true);
    CHECK(f.get("attention.bias.qkv")->boolean == false);          // merged from the parent
    CHECK(f.get("attention.rope.base")->text == "rope_theta");     // untouched parent value
    CHECK(f.strings("weights.drop") == std::vector<std::string>{"a.*"});  // the list replaced
    CHECK(f.get("config.hidden_act") == nullptr);                  // removed by null
    CHECK(f.history.at("config.hidden_act").back().text == "null");
    // A config entry replaces the parent's entry as a whole: nothing of the parent's survives.
    const Node* positions = f.get("config.max_position_embeddings");
    REQUIRE(positions);
    CHECK(positions->find("optional") == nullptr);
    CHECK(positions->find("default")->integer == 5);
}

TEST_CASE("resolve: RoPE settings are read where transformers 5 writes them") {
    Diagnostics d;
    resolve_texts(real_families_with({
        {"child", family_text("child", "config:\n  rope_theta: {type: float, default: 5}\n")},
        {"other", family_text("other", "config:\n  rope_parameters: {policy: ignored, why: not needed}\n")},
    }), d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "families/child.yaml:7:3: error: config.rope_theta: read for attention.rope.base, which "
                       "transformers 5 writes inside rope_parameters; give it 'fallback: rope_parameters.rope_theta' "
                       "(or the member of its layer type)");
    CHECK(errors[1].find("families/other.yaml:7:3: error: config.rope_parameters: transformers 5 writes the RoPE "
                         "base, scaling and rotated fraction here") == 0);
}

TEST_CASE("resolve: identity keys are never inherited") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({
        {"child", "family: child\nextends: qwen3\n"},
    }), d);
    REQUIRE(d.size() == 3);
    auto errors = error_lines(d);
    CHECK(errors[0] == "families/child.yaml:1:1: error: swift_name: missing required key: neither 'child' nor any "
                       "family it extends sets it");
    CHECK(errors[1].find("error: model_types: missing required key") != std::string::npos);
    CHECK(errors[2].find("error: description: missing required key") != std::string::npos);
    // The notes name the chain.
    CHECK(d.items()[0].notes.size() == 4);
    CHECK(d.items()[0].notes[1].message == "'child' extends 'qwen3'");
    const ResolvedFamily& f = by_id(fs, "child");
    CHECK(f.get("model_types") == nullptr);
    CHECK(f.text("reference") == "mlx_lm/models/qwen3.py");  // not an identity key: inherited
}

TEST_CASE("resolve: abstract families need no identity keys and are not inherited as abstract") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({}), d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(by_id(fs, "dense_decoder").abstract);
    CHECK_FALSE(by_id(fs, "llama").abstract);
}

TEST_CASE("resolve: every value remembers the documents that set it") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({}), d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    const ResolvedFamily& q = by_id(fs, "qwen3");
    const auto& bias = q.history.at("attention.bias.qkv");
    REQUIRE(bias.size() == 3);
    CHECK(bias[0].family == "dense_decoder");
    CHECK(bias[1].family == "qwen2");
    CHECK(bias[2].family == "qwen3");
    CHECK(bias[2].text == "false");
    CHECK(q.get("attention.bias.qkv")->loc.file == "families/qwen3.yaml");
    const auto& scale = q.history.at("attention.scale");
    REQUIRE(scale.size() == 1);
    CHECK(scale[0].family == "dense_decoder");
    const auto& placement = q.history.at("norm.placement");
    CHECK(placement.back().family == "dense_decoder");
    // A key nobody sets takes the vocabulary default, recorded as such.
    const ResolvedFamily& l = by_id(fs, "llama");
    CHECK(by_id(fs, "mistral").get("attention.sliding.layer_types")->text == "layer_types");
    CHECK(l.get("attention.sliding.layer_types") == nullptr);
    CHECK(by_id(fs, "qwen2").get("attention.sliding") != nullptr);
}

TEST_CASE("resolve: unknown parents and inheritance cycles are located") {
    Diagnostics d;
    resolve_texts(real_families_with({{"child", "family: child\nextends: lama\nabstract: true\n"}}), d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/child.yaml:2:10: error: extends: unknown parent family 'lama' (did you mean 'llama'?)");

    Diagnostics one;
    resolve_texts({{"a", "family: a\nabstract: true\nextends: a\n"}}, one);
    REQUIRE(one.size() == 1);
    CHECK(error_lines(one)[0] == "families/a.yaml:3:10: error: extends: inheritance cycle: a -> a");

    Diagnostics three;
    resolve_texts({{"a", "family: a\nabstract: true\nextends: b\n"},
                   {"b", "family: b\nabstract: true\nextends: c\n"},
                   {"c", "family: c\nabstract: true\nextends: a\n"}},
                  three);
    REQUIRE(three.size() == 1);
    CHECK(error_lines(three)[0] == "families/a.yaml:3:10: error: extends: inheritance cycle: a -> b -> c -> a");
    CHECK(three.items()[0].notes.size() == 2);
}

TEST_CASE("resolve: two families cannot claim one model_type or one swift_name") {
    Diagnostics d;
    resolve_texts(real_families_with({{"zeta", family_text("zeta") + "swift_name: Qwen2\n"}}), d);
    CHECK(d.size() == 1);  // the YAML duplicate key is caught first
    Diagnostics claims;
    resolve_texts(real_families_with({{"zeta",
                                       "family: zeta\nswift_name: Zeta\nextends: dense_decoder\n"
                                       "description: x\nmodel_types: [llama]\n"}}),
                  claims);
    auto errors = error_lines(claims);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "families/llama.yaml:7:15: error: model_types: model_type \"llama\" is also claimed by 'zeta'");
    CHECK(errors[1] == "families/zeta.yaml:5:15: error: model_types: model_type \"llama\" is also claimed by 'llama'");
    CHECK(claims.items()[1].notes[0].loc.str() == "families/llama.yaml:7:15");
}

TEST_CASE("resolve: bindings must name config fields of the right type") {
    Diagnostics d;
    resolve_texts(real_families_with({{"zeta", family_text("zeta",
                                                           "attention:\n  bias: {qkv: attn_bias}\n"
                                                           "norm: {eps: hidden_size}\n")}}),
                  d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "families/zeta.yaml:7:15: error: attention.bias.qkv: 'attn_bias' is not a config field of "
                       "this family; declare it under config: with type bool");
    CHECK(errors[1] == "families/zeta.yaml:8:13: error: norm.eps: config field 'hidden_size' has type int; "
                       "expected float");
}

TEST_CASE("resolve: config defaults fit their field and computed defaults make sense") {
    Diagnostics d;
    resolve_texts(real_families_with({{"zeta", family_text("zeta",
                                                           "config:\n"
                                                           "  a: {type: int, default: \"7\"}\n"
                                                           "  b: {type: float, default: {derive: all_full_attention}}\n"
                                                           "  c: {type: int, default: {field: d}}\n"
                                                           "  d: {type: int, default: {field: c}}\n"
                                                           "  e: {type: int, optional: true, default: {field: a}}\n"
                                                           "  f: {policy: expect}\n"
                                                           "  g: {policy: ignored}\n")}}),
                  d);
    auto errors = error_lines(d);
    INFO(d.format());
    REQUIRE(errors.size() == 6);
    auto has = [&](const std::string& text) {
        return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e == text; });
    };
    CHECK(has("families/zeta.yaml:7:27: error: config.a.default: default \"7\" does not fit the field's type int "
              "(quoted scalars are strings; remove the quotes)"));
    CHECK(has("families/zeta.yaml:8:38: error: config.b.default: derivation 'all_full_attention' gives layer_types; "
              "the field has type float"));
    CHECK(has("families/zeta.yaml:9:35: error: config.c.default: defaults copy each other in a cycle: c -> d -> c"));
    CHECK(has("families/zeta.yaml:11:43: error: config.e.default: an optional field's default is a literal, taken "
              "when the key is absent (a stated null stays null)"));
    CHECK(has("families/zeta.yaml:12:15: error: config.f: policy 'expect' needs 'values': the values that are "
              "accepted"));
    CHECK(has("families/zeta.yaml:13:15: error: config.g: policy 'ignored' needs 'why': the reason, shown to users"));
}

}  // TEST_SUITE
