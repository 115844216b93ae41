// The namer: casing, Swift keywords, literals.
#include <doctest/doctest.h>

#include "namer.h"

using namespace hf2swift;

TEST_SUITE("unit") {

TEST_CASE("namer: snake_case config keys become lowerCamelCase") {
    CHECK(namer::camel_case("num_key_value_heads") == "numKeyValueHeads");
    CHECK(namer::camel_case("rope_theta") == "ropeTheta");
    CHECK(namer::camel_case("_name_or_path") == "nameOrPath");
    CHECK(namer::camel_case("a__b") == "aB");
    CHECK(namer::camel_case("3d_rope") == "_3dRope");
    CHECK(namer::camel_case("Mixed_Key") == "mixedKey");
    CHECK(namer::camel_case("UPPER_CASE_") == "uPPERCASE");
    CHECK(namer::camel_case("___") == "value");
}

TEST_CASE("namer: Swift keywords are escaped with backticks") {
    CHECK(namer::camel_case("default") == "`default`");
    CHECK(namer::camel_case("self") == "`self`");
    CHECK(namer::camel_case("protocol") == "`protocol`");
    CHECK(namer::camel_case("type") == "type");  // only Type is special
    CHECK(namer::camel_case("Type") == "type");
    CHECK(namer::is_swift_keyword("init"));
    CHECK_FALSE(namer::is_swift_keyword("rope"));
}

TEST_CASE("namer: dimension roles name the Swift property") {
    CHECK(namer::config_property("num_hidden_layers", "hiddenLayers") == "hiddenLayers");
    CHECK(namer::config_property("n_layer", "hiddenLayers") == "hiddenLayers");
    CHECK(namer::config_property("rope_theta", "") == "ropeTheta");
    CHECK(namer::type_name("Qwen3", "Attention") == "Qwen3Attention");
    CHECK(namer::model_file_name("GptOSS") == "GptOSSGenerated.swift");
}

TEST_CASE("namer: literals") {
    CHECK(namer::int_literal(1234) == "1234");
    CHECK(namer::int_literal(10000) == "10_000");
    CHECK(namer::int_literal(1000000) == "1_000_000");
    CHECK(namer::int_literal(-32768) == "-32_768");
    CHECK(namer::float_literal(10000.0) == "10_000");
    CHECK(namer::float_literal(1e-5) == "1e-5");
    CHECK(namer::float_literal(1e-6) == "1e-6");
    CHECK(namer::float_literal(0.5) == "0.5");
    CHECK(namer::float_literal(1000000.5) == "1000000.5");
    CHECK(namer::float_literal(1.5e20) == "1.5e20");
    CHECK(namer::string_literal("a \"b\" \\ c\n") == "\"a \\\"b\\\" \\\\ c\\n\"");
    CHECK(namer::enum_case("llama3") == ".llama3");
    CHECK(namer::enum_case("full_attention") == ".fullAttention");
}

}  // TEST_SUITE
