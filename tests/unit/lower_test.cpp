// Stage 3 (lower): the intermediate model's names, expressions and decode order.
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

TEST_CASE("lower: the real families choose their features") {
    Diagnostics d;
    auto fs = resolve_texts(real_families_with({}), d);
    REQUIRE_MESSAGE(d.empty(), d.format());
    std::map<std::string, ir::ModelFile> m;
    for (const auto& f : fs) {
        if (!f.abstract) m[f.id] = lower_family(f, d);
    }
    REQUIRE_MESSAGE(d.empty(), d.format());
    CHECK(m["qwen2"].attention.qkv_bias == "true");
    CHECK(m["qwen2"].attention.o_bias == "false");
    CHECK_FALSE(m["qwen2"].attention.qk_norm);
    CHECK(m["qwen3"].attention.qk_norm);
    CHECK(m["qwen3"].attention.qkv_bias == "false");
    CHECK(m["llama"].attention.qkv_bias == "args.attentionBias");
    CHECK(m["llama"].attention.o_bias == "args.attentionBias");
    CHECK(m["llama"].attention.rope.traditional == "args.ropeTraditional");
    CHECK(m["llama"].attention.sliding);
    CHECK_FALSE(m["qwen2"].attention.sliding);
    CHECK(m["mistral"].types.model == "MistralModel");
    CHECK(m["mistral"].file_name == "MistralGenerated.swift");
    CHECK(m["mistral"].sources.size() == 3);
    CHECK(m["llama"].head.tie_from_config);
    // qwen2 computes head_dim and never reads the key.
    const ir::ConfigField* head_dim = field(m["qwen2"], "head_dim");
    REQUIRE(head_dim);
    CHECK_FALSE(head_dim->read);
    CHECK(head_dim->default_is_derived);
    CHECK(head_dim->swift_name == "headDim");
    // qwen3 requires head_dim.
    CHECK(field(m["qwen3"], "head_dim")->single_line);
    // Every model refuses RoPE scaling types it does not apply.
    for (const auto& [id, model] : m) {
        CAPTURE(id);
        CHECK(model.config.validates_rope_scaling);
        CHECK(model.config.rope_scaling_kinds.size() == 4);
    }
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
    auto fs = resolve_texts(real_families_with({}), d);
    std::vector<ir::ModelFile> models;
    for (const auto& f : fs) {
        if (!f.abstract) models.push_back(lower_family(f, d));
    }
    ir::Registry r = lower_registry(models);
    REQUIRE(r.entries.size() == 4);
    CHECK(r.entries[0].model_type == "llama");
    CHECK(r.entries[3].model_type == "qwen3");
    CHECK(r.supported == "[\"llama\", \"mistral\", \"qwen2\", \"qwen3\"]");
}

}  // TEST_SUITE
