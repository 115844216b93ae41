// Stage 3 (lower): the intermediate model's names, expressions and decode order.
#include <algorithm>

#include <doctest/doctest.h>

#include "lower.h"
#include "test_support.h"

using namespace hf2swift;
using namespace hf2swift::test;

namespace {
ir::ModelFile lower_text(const std::string& name, const std::string& body, Diagnostics& d) {
    auto fs = resolve_texts(real_families_with({{name, family_text(name, body)}}), d);
    for (const auto& f : fs) {
        if (f.id == name) return lower_family(f, d);
    }
    FAIL("family not resolved");
    throw 0;
}

const ir::ConfigField* field(const ir::ModelFile& m, const std::string& json_key) {
    for (const auto& f : m.config.fields) {
        if (f.json_key == json_key) return &f;
    }
    return nullptr;
}
}  // namespace

TEST_SUITE("unit") {

TEST_CASE("lower: features become Swift expressions and flags") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({
        {"bound", family_text("bound",
                              "attention:\n  bias: {qkv: attention_bias, o: false}\n"
                              "  sliding: {layer_types: layer_types, window: sliding_window}\n"
                              "config:\n  attention_bias: {type: bool, default: false}\n"
                              "  layer_types: {type: layer_types, default: {derive: all_full_attention}}\n"
                              "  sliding_window: {type: int, optional: true}\n")},
        {"constant", family_text("constant",
                                 "attention:\n  bias: {qkv: true, o: false}\n  qk_norm: per_head\n"
                                 "head: {tie: false}\n"
                                 "config:\n  head_dim: {type: int, default: {derive: hidden_over_heads}, read: false}\n")},
    }), d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    std::map<std::string, ir::ModelFile> m;
    for (const auto& f : fs) {
        if (f.id == "bound" || f.id == "constant") m[f.id] = lower_family(f, d);
    }
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(m["bound"].attention.qkv_bias == "args.attentionBias");
    CHECK(m["bound"].attention.o_bias == "false");
    CHECK(m["bound"].attention.sliding);
    CHECK(m["bound"].attention.layer_types == "args.layerTypes");
    CHECK(m["bound"].attention.window == "args.slidingWindow");
    CHECK(m["bound"].head.tie_from_config);
    CHECK(m["bound"].head.tie == "args.tieWordEmbeddings");
    CHECK_FALSE(m["bound"].attention.qk_norm);
    CHECK(m["constant"].attention.qkv_bias == "true");
    CHECK(m["constant"].attention.qk_norm);
    CHECK_FALSE(m["constant"].attention.sliding);
    CHECK(m["constant"].head.never_tied);
    CHECK(m["constant"].types.model == "ConstantModel");
    CHECK(m["constant"].file_name == "ConstantGenerated.swift");
    CHECK(m["constant"].sources.size() == 2);
    CHECK(m["constant"].sources[1].path == "families/dense_decoder.yaml");
    // A computed field is never read.
    const ir::ConfigField* head_dim = field(m["constant"], "head_dim");
    REQUIRE(head_dim);
    CHECK_FALSE(head_dim->read);
    CHECK(head_dim->default_is_derived);
    CHECK(head_dim->derive_function == "ConfigDefaults.headDim");
    CHECK(head_dim->swift_name == "headDim");
    // A required field decodes on one line; a defaulted one falls back.
    CHECK(field(m["bound"], "hidden_size")->single_line);
    CHECK(field(m["bound"], "rope_theta")->has_fallback);
    CHECK(field(m["bound"], "rope_theta")->literal == "10_000");
    CHECK(m["bound"].config.validates_rope_scaling);
    CHECK(m["bound"].config.rope_scaling_kinds.size() == 4);
    CHECK(m["bound"].config.validates_sliding);
}

TEST_CASE("lower: fields decode after the fields their defaults read") {
    Diagnostics d;
    ir::ModelFile m = lower_text("zeta",
                                 "dims: {kv_heads: kv}\n"
                                 "config:\n"
                                 "  num_key_value_heads: null\n"
                                 "  kv: {type: int, default: {field: num_attention_heads}}\n"
                                 "  late: {type: int, default: {field: kv}}\n",
                                 d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    std::vector<std::string> order;
    for (const auto& f : m.config.fields) order.push_back(f.json_key);
    auto pos = [&](const std::string& k) { return std::find(order.begin(), order.end(), k) - order.begin(); };
    CHECK(pos("num_attention_heads") < pos("kv"));
    CHECK(pos("kv") < pos("late"));
    CHECK(pos("rope_parameters") < pos("rope_theta"));
    CHECK(field(m, "kv")->swift_name == "kvHeads");  // bound to a role: the role's Swift name
}

TEST_CASE("lower: two config keys that become one Swift name are an error") {
    Diagnostics d;
    lower_text("zeta", "config:\n  ropeTheta: {type: float, default: 1}\n", d);
    auto errors = error_lines(d);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "families/zeta.yaml:7:3: error: config.ropeTheta: config keys 'rope_theta' and 'ropeTheta' "
                       "both become the Swift name 'ropeTheta'");
}

TEST_CASE("lower: keyword config keys are escaped") {
    Diagnostics d;
    ir::ModelFile m = lower_text("zeta", "config:\n  default: {type: int, default: 1}\n", d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(field(m, "default")->swift_name == "`default`");
}

TEST_CASE("lower: the registry is sorted and names every model type") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({
        {"zeta", "family: zeta\nswift_name: Zeta\nextends: dense_decoder\ndescription: A test family\n"
                 "model_types: [zeta, alpha]\n"},
        {"beta", family_text("beta", "")},
    }), d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    std::vector<ir::ModelFile> models;
    for (const auto& f : fs) {
        if (!f.abstract) models.push_back(lower_family(f, d));
    }
    ir::Registry r = lower_registry(models);
    std::vector<std::string> types;
    for (const auto& e : r.entries) types.push_back(e.model_type);
    CHECK(std::is_sorted(types.begin(), types.end()));
    CHECK(std::find(types.begin(), types.end(), "alpha") != types.end());
    CHECK(std::find(types.begin(), types.end(), "zeta") != types.end());
    CHECK(std::find(types.begin(), types.end(), "beta") != types.end());
    // Real model types (bailing_moe) may sort between the two.
    CHECK(r.supported.find("\"alpha\", ") != std::string::npos);
    CHECK(r.supported.find("\"alpha\", ") < r.supported.find("\"beta\", "));
}

}  // TEST_SUITE
