// Runtime inputs a model cannot take (a config, a checkpoint, a token id) are one-line refusals that
// name the file, key and value; none reaches a trap. Each case is one that once trapped or ran on.
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN
import XCTest

@testable import HF2SwiftModels
@testable import HF2SwiftRuntime

final class HostileInputTests: XCTestCase {
    var directory: URL!
    var weights: [String: MLXArray] = [:]

    /// A valid tiny llama checkpoint in a scratch directory; each test breaks one thing in it.
    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hf2swift-hostile-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: ModelTests.tiny())
        let model = try ModelRegistry.makeModel(modelType: "llama", configuration: data)
        weights = Dictionary(uniqueKeysWithValues: model.parameters().flattened())
        try writeConfig([:])
        try save(arrays: weights, url: directory.appendingPathComponent("model.safetensors"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func writeConfig(_ overrides: [String: Any], removing: [String] = []) throws {
        var object = ModelTests.tiny().merging(overrides) { _, new in new }
        for key in removing { object.removeValue(forKey: key) }
        try JSONSerialization.data(withJSONObject: object).write(to: directory.appendingPathComponent("config.json"))
    }

    /// Loading the directory is refused with exactly `message`, on one line.
    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self), file: file, line: line) {
            XCTAssertEqual("\($0)", message, file: file, line: line)
        }
    }

    func testSizesOutOfRangeAreRefusedBeforeAnythingIsBuilt() throws {
        let cases: [(String, Any, String)] = [
            ("num_attention_heads", 0, "num_attention_heads: is 0; it must be between 1 and 4096"),
            ("vocab_size", 0, "vocab_size: is 0; it must be between 1 and 16777216"),
            ("vocab_size", -3, "vocab_size: is -3; it must be between 1 and 16777216"),
            ("num_hidden_layers", -1, "num_hidden_layers: is -1; it must be between 1 and 4096"),
            ("num_hidden_layers", 10_000_000, "num_hidden_layers: is 10000000; it must be between 1 and 4096"),
            ("hidden_size", -32, "hidden_size: is -32; it must be between 1 and 1048576"),
            ("hidden_size", 1 << 62, "hidden_size: is 4611686018427387904; it must be between 1 and 1048576"),
            ("num_key_value_heads", 3, "num_key_value_heads: is 3, which does not divide the 4 attention heads into groups"),
        ]
        // The configuration alone refuses them (an app building a model from a config).
        for (key, value, message) in cases {
            let data = try JSONSerialization.data(withJSONObject: ModelTests.tiny().merging([key: value]) { $1 })
            XCTAssertThrowsError(try ModelRegistry.checkConfiguration(modelType: "llama", configuration: data)) {
                XCTAssertEqual("\($0)", message)
            }
        }
        // The loader refuses sizes the checkpoint does not hold before it builds anything.
        try writeConfig(["num_hidden_layers": 10_000_000])
        assertRefused("config.json: num_hidden_layers: 10000000, but the checkpoint holds 2 decoder layers")
        try writeConfig(["hidden_size": 1 << 19])
        assertRefused(
            "config.json: hidden_size 524288 and vocab_size 64 describe a matrix far larger than any tensor of the checkpoint")
        try writeConfig(["num_attention_heads": 0])
        assertRefused("config.json: num_attention_heads: is 0; it must be between 1 and 4096")
    }

    /// A router that could not route (more experts per token than it has, groups that do not divide
    /// its experts, kept groups too few for a token) once indexed out of range mid-forward.
    func testRoutersThatCannotRouteAreRefused() throws {
        let grouped: [String: Any] = [
            "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 96, "num_attention_heads": 4,
            "num_key_value_heads": 2, "vocab_size": 64, "n_routed_experts": 8, "num_experts_per_tok": 2,
            "moe_intermediate_size": 32, "n_group": 2, "topk_group": 1, "first_k_dense_replace": 1,
        ]
        let cases: [(String, Any, String)] = [
            ("n_routed_experts", 0, "n_routed_experts: is 0; it must be between 1 and 65536"),
            ("num_experts_per_tok", 9, "num_experts_per_tok: is 9; a token takes between 1 and the 8 experts"),
            ("num_experts_per_tok", 0, "num_experts_per_tok: is 0; a token takes between 1 and the 8 experts"),
            ("n_group", 3, "n_group: is 3, which does not divide the 8 experts evenly"),
            ("topk_group", 3, "topk_group: is 3; it must be between 1 and the 2 groups"),
            ("num_experts_per_tok", 5, "topk_group: is 1; its groups hold fewer experts than the 5 a token takes"),
        ]
        for (key, value, message) in cases {
            let data = try JSONSerialization.data(withJSONObject: grouped.merging([key: value]) { $1 })
            XCTAssertThrowsError(try ModelRegistry.checkConfiguration(modelType: "glm4_moe", configuration: data)) {
                XCTAssertEqual("\($0)", message)
            }
        }
        // Every layer dense: the expert counts route nothing, and are not checked.
        let dense = try JSONSerialization.data(
            withJSONObject: grouped.merging(["first_k_dense_replace": 2, "n_group": 3]) { $1 })
        XCTAssertNoThrow(try ModelRegistry.checkConfiguration(modelType: "glm4_moe", configuration: dense))
        // One group routes ungrouped, as the router computes it: how many groups are kept is moot.
        let ungrouped = try JSONSerialization.data(
            withJSONObject: grouped.merging(["n_group": 1, "topk_group": 4]) { $1 })
        XCTAssertNoThrow(try ModelRegistry.checkConfiguration(modelType: "glm4_moe", configuration: ungrouped))
    }

    func testEpsilonsAndBasesMustBeFiniteAndPositive() throws {
        try writeConfig(["rope_theta": 0])
        assertRefused("config.json: rope_theta: is 0.0; it must be a finite number above zero")
        try writeConfig(["rms_norm_eps": -1])
        assertRefused("config.json: rms_norm_eps: is -1.0; it must be a finite number above zero")
    }

    func testValuesOfTheWrongTypeNameTheKey() throws {
        try writeConfig(["hidden_size": 64.5])
        assertRefused("config.json: hidden_size: 64.5 is not an integer")
        try Data("{\"model_type\": \"llama\", ".utf8).write(to: directory.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)) {
            XCTAssertTrue("\($0)".hasPrefix("config.json: not valid JSON"), "\($0)")
        }
    }

    func testNonFiniteNumbersAreReadAsTransformersSpellsThem() throws {
        // Python's json module writes bare Infinity and NaN; inside a string they stay text.
        let bare = Data(#"{"a": [0.0, Infinity], "b": -Infinity, "c": NaN, "d": "Infinity \" NaN"}"#.utf8)
        XCTAssertEqual(
            String(decoding: spellingNonFiniteNumbers(bare), as: UTF8.self),
            #"{"a": [0.0, {"__float__": "Infinity"}], "b": {"__float__": "-Infinity"}, "#
                + #""c": {"__float__": "NaN"}, "d": "Infinity \" NaN"}"#)
        let plain = Data(#"{"a": 1}"#.utf8)
        XCTAssertEqual(spellingNonFiniteNumbers(plain), plain)
        let spelled = #"{"r": [-Infinity, 0.5], "s": [0.0, {"__float__": "Infinity"}]}"#
        let ranges = try JSONDecoder().decode(
            [String: FloatRange].self, from: spellingNonFiniteNumbers(Data(spelled.utf8)))
        XCTAssertEqual(ranges["r"], FloatRange(low: -.infinity, high: 0.5))
        XCTAssertEqual(ranges["s"], FloatRange(low: 0, high: .infinity))
        for refused in [#"{"r": [1.0, 0.5]}"#, #"{"r": [1.0]}"#, #"{"r": [0.0, {"__float__": "x"}]}"#] {
            XCTAssertThrowsError(try JSONDecoder().decode([String: FloatRange].self, from: Data(refused.utf8)))
        }
    }

    func testAMamba2ConfigWithABareInfinityLoads() throws {
        // As configs saved before transformers 5 state Mamba-2's time_step_limit.
        let config = #"""
            {"model_type": "mamba2", "hidden_size": 16, "num_hidden_layers": 1, "vocab_size": 32,
             "num_heads": 4, "head_dim": 8, "state_size": 4, "n_groups": 2, "conv_kernel": 3,
             "time_step_limit": [0.0, Infinity]}
            """#
        let spelled = spellingNonFiniteNumbers(Data(config.utf8))
        let model = try ModelRegistry.makeModel(modelType: "mamba2", configuration: spelled)
        let built = Dictionary(uniqueKeysWithValues: model.parameters().flattened())
        try FileManager.default.removeItem(at: directory.appendingPathComponent("model.safetensors"))
        try save(arrays: built, url: directory.appendingPathComponent("model.safetensors"))
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
        XCTAssertNoThrow(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self))
        let ungrouped = Data(config.replacingOccurrences(of: "\"n_groups\": 2", with: "\"n_groups\": 3").utf8)
        XCTAssertThrowsError(
            try ModelRegistry.checkConfiguration(modelType: "mamba2", configuration: spellingNonFiniteNumbers(ungrouped))
        ) {
            XCTAssertEqual("\($0)", "n_groups: is 3, which does not divide the 4 heads into groups")
        }
    }

    func testQuantizationFieldsOfTheWrongTypeAreRefused() throws {
        try writeConfig(["quantization": ["group_size": 64, "bits": "8"]])
        assertRefused(#"config.json: quantization.bits: "8" is not an integer"#)
        try writeConfig(["quantization": ["group_size": "sixty-four", "bits": 4]])
        assertRefused(#"config.json: quantization.group_size: "sixty-four" is not an integer"#)
    }

    func testALayerCountTheCheckpointDoesNotHaveIsNamed() throws {
        try writeConfig(["num_hidden_layers": 1])
        assertRefused("config.json: num_hidden_layers: 1, but the checkpoint holds 2 decoder layers")
    }

    func testIntegerOrBooleanTensorsAreNoFloatWeights() throws {
        var broken = weights
        broken["model.norm.weight"] = MLXArray.zeros([32], type: Int32.self)
        try save(arrays: broken, url: directory.appendingPathComponent("model.safetensors"))
        assertRefused("checkpoint: model.norm.weight has dtype int32; the model expects float32")
        broken["model.norm.weight"] = MLXArray.zeros([32], type: Bool.self)
        try save(arrays: broken, url: directory.appendingPathComponent("model.safetensors"))
        assertRefused("checkpoint: model.norm.weight has dtype bool; the model expects float32")
    }

    /// A safetensors file whose header says `entry` for its one tensor.
    func writeSafetensors(entry: String, payload: Int = 64) throws {
        let header = Data(("{\"model.norm.weight\":" + entry + "}").utf8)
        var data = Data()
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(header)
        data.append(Data(count: payload))
        try data.write(to: directory.appendingPathComponent("model.safetensors"))
    }

    func testSafetensorsHeadersAreCheckedAgainstTheFile() throws {
        try writeSafetensors(entry: #"{"dtype":"F32","shape":[16],"data_offsets":[-256,0]}"#)
        assertRefused(
            "model.safetensors: MLX Error: [load_safetensors] Tensor 'model.norm.weight' invalid data offsets (-256, 0). "
                + "Expecting 64 bytes.")
        try writeSafetensors(entry: #"{"dtype":"F32","shape":[16],"data_offsets":[-64,0]}"#)
        assertRefused(
            "model.safetensors: MLX Error: [load_safetensors] Tensor 'model.norm.weight' invalid data offsets (-64, 0). "
                + "Expecting 64 bytes.")
        try writeSafetensors(entry: #"{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,64]}"#)
        assertRefused(
            "model.safetensors: MLX Error: [load_safetensors] Tensor 'model.norm.weight' has a shape "
                + "[4611686018427387904, 4] too large to hold")
        try writeSafetensors(entry: #"{"dtype":"F32","shape":[-16],"data_offsets":[0,64]}"#)
        assertRefused(
            "model.safetensors: MLX Error: [load_safetensors] Tensor 'model.norm.weight' has a negative dimension in its shape [-16]")
    }

    func testAnIndexThatIsNotJSONNamesItself() throws {
        try Data("not json".utf8).write(to: directory.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertThrowsError(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)) {
            XCTAssertTrue("\($0)".hasPrefix("model.safetensors.index.json: not valid JSON"), "\($0)")
            XCTAssertFalse("\($0)".contains("\n"))
        }
    }

    func testTokenIdsOutsideTheVocabularyAreRefused() throws {
        let model = try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)
        XCTAssertNoThrow(try validateTokens([0, 63], vocabularySize: (model as! VocabularySized).vocabularySize))
        XCTAssertThrowsError(try validateTokens([1, 64, 3], vocabularySize: (model as! VocabularySized).vocabularySize)) {
            XCTAssertEqual("\($0)", "token 64 at position 1 is outside the vocabulary (0..<64)")
        }
        XCTAssertThrowsError(try validateTokens([-1], vocabularySize: (model as! VocabularySized).vocabularySize)) {
            XCTAssertEqual("\($0)", "token -1 at position 0 is outside the vocabulary (0..<64)")
        }
    }

    func testPositionsPastALearnedTableAreRefused() throws {
        let config: [String: Any] = ["n_embd": 16, "n_layer": 1, "n_head": 2, "n_positions": 8, "vocab_size": 32]
        let model = try ModelRegistry.makeModel(
            modelType: "gpt2", configuration: try JSONSerialization.data(withJSONObject: config))
        let table = try XCTUnwrap(model as? PositionTableSized).positionTableSize
        XCTAssertEqual(table, 8)
        XCTAssertNoThrow(try validatePositions(8, tableSize: table))
        XCTAssertThrowsError(try validatePositions(9, tableSize: table)) {
            XCTAssertEqual("\($0)", "9 positions do not fit the model's 8 learned positions (n_positions)")
        }
    }

    func testAModelTypeRefusedByNameSaysWhy() throws {
        XCTAssertThrowsError(try ModelRegistry.checkConfiguration(modelType: "minimax", configuration: Data("{}".utf8))) {
            XCTAssertEqual(
                "\($0)", "model_type \"minimax\" is refused: MiniMax-Text-01's lightning attention is not supported")
        }
    }

    func testSettingsTheHunyuanModelsCannotTakeAreRefused() throws {
        let hunyuan: [String: Any] = [
            "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 32, "num_attention_heads": 4,
            "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 64, "rope_theta": 10000.0,
            "attention_bias": false, "num_experts": 4, "moe_topk": 2, "use_mixed_mlp_moe": true,
            "num_shared_expert": 1, "use_cla": true, "cla_share_factor": 2,
            "rope_scaling": ["type": "dynamic", "factor": 1.0, "alpha": 1000.0],
        ]
        func refusal(_ modelType: String, _ overrides: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: hunyuan.merging(overrides) { $1 })
            do {
                try ModelRegistry.checkConfiguration(modelType: modelType, configuration: data)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        XCTAssertEqual(try refusal("hunyuan", [:]), "accepted")
        // Dynamic NTK without alpha changes with the sequence length, which is not implemented.
        XCTAssertEqual(
            try refusal("hunyuan", ["rope_scaling": ["type": "dynamic", "factor": 2.0]]),
            "rope_scaling.alpha: required by rope_type \"dynamic\"")
        XCTAssertEqual(
            try refusal("hunyuan", ["cla_share_factor": 0]),
            "cla_share_factor: is 0; layers share in groups of 1 to 4096")
        XCTAssertEqual(try refusal("hunyuan", ["use_cla": false, "cla_share_factor": 0]), "accepted")
        XCTAssertEqual(
            try refusal("hunyuan", ["moe_topk": [2, 2, 2]]), "moe_topk: has 3 entries for 2 layers")
        XCTAssertEqual(
            try refusal("hunyuan_v1_moe", ["head_dim": 16]),
            "use_cla: true is not supported: transformers' Hunyuan has no cross-layer key/value sharing")
    }

    /// LFM2's schedule, convolution width and MLP sizing come from the config: a layer kind it does not
    /// know, a convolution without taps or an MLP rounded to a multiple of nothing would trap later.
    func testSettingsTheLFM2ModelsCannotTakeAreRefused() throws {
        let lfm2: [String: Any] = [
            "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
            "vocab_size": 64, "block_ff_dim": 96, "layer_types": ["conv", "full_attention"],
        ]
        func refusal(_ overrides: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: lfm2.merging(overrides) { $1 })
            do {
                try ModelRegistry.checkConfiguration(modelType: "lfm2", configuration: data)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        XCTAssertEqual(try refusal([:]), "accepted")
        XCTAssertEqual(try refusal(["conv_L_cache": 0]), "conv_L_cache: is 0; it must be between 1 and 1048576")
        XCTAssertEqual(
            try refusal(["block_multiple_of": 0]), "feed_forward_width: is 0; it must be between 1 and 1048576")
        // The schedule derived from layer_types names the kinds it holds.
        XCTAssertEqual(
            try refusal(["layer_types": ["conv", "sliding_attention"]]),
            "mixer_layer_kinds: names 'sliding_attention'; each layer is one of attention, short_conv")
        XCTAssertEqual(try refusal(["layer_types": ["conv"]]), "mixer_layer_kinds: has 1 entries for 2 layers")
    }

    /// Mamba's sizes come from the config: a state, a step rank or a convolution of no width, an
    /// expansion that overflows, or a rank that is neither a number nor auto would trap later.
    func testSettingsTheMambaModelsCannotTakeAreRefused() throws {
        let mamba: [String: Any] = [
            "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 64, "state_size": 8,
            "conv_kernel": 4, "time_step_rank": "auto",
        ]
        func refusal(_ overrides: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: mamba.merging(overrides) { $1 })
            do {
                try ModelRegistry.checkConfiguration(modelType: "mamba", configuration: data)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        XCTAssertEqual(try refusal([:]), "accepted")
        XCTAssertEqual(try refusal(["state_size": 0]), "state_size: is 0; it must be between 1 and 1048576")
        XCTAssertEqual(try refusal(["conv_kernel": 0]), "conv_kernel: is 0; it must be between 1 and 1048576")
        XCTAssertEqual(
            try refusal(["time_step_rank": 0]), "ssm_time_step_rank: is 0; it must be between 1 and 1048576")
        XCTAssertEqual(
            try refusal(["expand": Int.max]), "intermediate_size: is 0; it must be between 1 and 1048576")
        XCTAssertEqual(
            try refusal(["time_step_rank": "half"]),
            "time_step_rank: \"half\" is not supported (supported: auto, an integer)")
    }

    /// Nemotron-H's layers come from its block list: a block no list names, routing its experts
    /// cannot do, a latent width of zero and the biases only mlx-lm builds are refused by name.
    func testSettingsTheNemotronHModelsCannotTakeAreRefused() throws {
        let nemotronH: [String: Any] = [
            "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
            "vocab_size": 64, "intermediate_size": 96, "mamba_num_heads": 4, "mamba_head_dim": 16,
            "ssm_state_size": 8, "n_groups": 2, "hybrid_override_pattern": "M-*",
        ]
        func refusal(_ overrides: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: nemotronH.merging(overrides) { $1 })
            do {
                try ModelRegistry.checkConfiguration(modelType: "nemotron_h", configuration: data)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        XCTAssertEqual(try refusal([:]), "accepted")
        XCTAssertEqual(try refusal(["layers_block_type": ["linear_attention", "mlp", "full_attention"]]), "accepted")
        XCTAssertEqual(try refusal(["hybrid_override_pattern": "M-E*"]), "accepted")
        XCTAssertEqual(try refusal(["layers_block_type": ["moe", "full_attention"]]), "accepted")
        XCTAssertEqual(
            try refusal(["hybrid_override_pattern": "M+*"]),
            "feed_forward_layer_kinds: names '+'; each layer is one of mlp, experts, none")
        XCTAssertEqual(
            try refusal(["hybrid_override_pattern": "ME*", "num_experts_per_tok": 9]),
            "num_experts_per_tok: is 9; a token takes between 1 and the 8 experts")
        XCTAssertEqual(
            try refusal(["hybrid_override_pattern": "ME*", "n_group": 3]),
            "n_group: is 3, which does not divide the 8 experts evenly")
        XCTAssertEqual(
            try refusal(["hybrid_override_pattern": "ME*", "n_group": 4, "topk_group": 5]),
            "topk_group: is 5; it must be between 1 and the 4 groups")
        XCTAssertEqual(
            try refusal(["moe_latent_size": 0]), "moe_latent_size: is 0; it must be between 1 and 1048576")
        // Without layers of experts their routing is never run.
        XCTAssertEqual(try refusal(["num_experts_per_tok": 9]), "accepted")
        XCTAssertEqual(
            try refusal(["mamba_proj_bias": true]),
            "mamba_proj_bias: true is not supported: mlx-lm's in_proj and out_proj biases; transformers reads use_bias")
        XCTAssertEqual(
            try refusal(["attention_bias": true]),
            "attention_bias: true is not supported: transformers' attention has no biases; mlx-lm's switch is refused")
    }

    /// Falcon-H1's muP lists must name every segment of in_proj and both MLP projections; an
    /// interleaved rotation and a head width saved as "auto" are refused by name.
    func testSettingsTheFalconH1ModelsCannotTakeAreRefused() throws {
        let falconH1: [String: Any] = [
            "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
            "vocab_size": 64, "intermediate_size": 96, "num_hidden_layers": 2, "mamba_n_heads": 8,
            "mamba_d_head": 16, "mamba_d_state": 8, "mamba_n_groups": 2,
        ]
        func refusal(_ overrides: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: falconH1.merging(overrides) { $1 })
            do {
                try ModelRegistry.checkConfiguration(modelType: "falcon_h1", configuration: data)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        XCTAssertEqual(try refusal([:]), "accepted")
        XCTAssertEqual(try refusal(["ssm_multipliers": [1.0, 0.5, 0.5, 0.5, 2.0], "mlp_multipliers": [0.5, 2.0]]), "accepted")
        XCTAssertEqual(
            try refusal(["ssm_multipliers": [1.0, 0.5]]),
            "ssm_multipliers: holds 2 multipliers; in_proj's five segments take five")
        XCTAssertEqual(
            try refusal(["mlp_multipliers": [1.0, 0.5, 2.0]]),
            "mlp_multipliers: holds 3 multipliers; the gate and down projections take two")
        XCTAssertEqual(
            try refusal(["rope_traditional": true]),
            "rope_traditional: true is not supported: RoPE rotates each head's halves; mlx-lm's interleaving is refused")
        XCTAssertEqual(try refusal(["mamba_n_groups": 3]), "mamba_n_groups: is 3, which does not divide the 8 heads into groups")
        XCTAssertEqual(try refusal(["mamba_d_ssm": 128]), "accepted")
        XCTAssertEqual(
            try refusal(["mamba_d_ssm": 96]),
            "mamba_d_ssm: 96 is not supported: the model derives it from the config's other keys; the model computes 128")
    }

    func testSettingsTheLingModelsCannotTakeAreRefused() throws {
        // Ling v1's keys: no n_group or topk_group, whose defaults (1 and 4) route ungrouped.
        let ling: [String: Any] = [
            "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 96, "num_attention_heads": 4,
            "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "vocab_size": 64, "rope_theta": 10000.0,
            "max_position_embeddings": 512, "num_experts": 8, "num_experts_per_tok": 2,
            "moe_intermediate_size": 32, "num_shared_experts": 1, "norm_topk_prob": true,
            "first_k_dense_replace": 1,
        ]
        func refusal(_ overrides: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: ling.merging(overrides) { $1 })
            do {
                try ModelRegistry.checkConfiguration(modelType: "bailing_moe", configuration: data)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        XCTAssertEqual(try refusal([:]), "accepted")
        XCTAssertEqual(
            try refusal(["score_function": "tanh"]),
            "score_function: \"tanh\" is not supported (supported: softmax, sigmoid)")
        XCTAssertEqual(
            try refusal(["norm_head": true, "tie_word_embeddings": true]),
            "norm_head: a normalised head cannot be tied: the embedding would be divided too")
        XCTAssertEqual(
            try refusal(["n_group": 4, "topk_group": 5]), "topk_group: is 5; it must be between 1 and the 4 groups")
    }
}
