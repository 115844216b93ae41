// The generated models: configurations from real checkpoints, the registry, the forward pass with
// and without a cache, and strict loading through the runtime.
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN
import XCTest

@testable import HF2SwiftModels
@testable import HF2SwiftRuntime

final class ModelTests: XCTestCase {
    func config(_ name: String) throws -> Data {
        try Data(contentsOf: Fixtures.url("tests/data/hf-configs/\(name).json"))
    }

    func testRealConfigsDecode() throws {
        let llama = try JSONDecoder().decode(LlamaConfiguration.self, from: config("Llama-3.2-1B-Instruct"))
        XCTAssertEqual(llama.hiddenSize, 2048)
        XCTAssertEqual(llama.headDim, 64)
        XCTAssertEqual(llama.kvHeads, 8)
        XCTAssertEqual(llama.ropeScaling?.kind, .llama3)
        XCTAssertEqual(llama.ropeTheta, 500_000)
        XCTAssertTrue(llama.tieWordEmbeddings)

        let mistral = try JSONDecoder().decode(MistralConfiguration.self, from: config("Mistral-7B-Instruct-v0.3"))
        XCTAssertNil(mistral.slidingWindow)
        XCTAssertEqual(mistral.headDim, 128)
        XCTAssertFalse(mistral.tieWordEmbeddings)

        let qwen2 = try JSONDecoder().decode(Qwen2Configuration.self, from: config("Qwen2.5-0.5B-Instruct"))
        XCTAssertEqual(qwen2.headDim, 64)
        XCTAssertEqual(qwen2.ropeTheta, 1_000_000)

        let qwen3 = try JSONDecoder().decode(Qwen3Configuration.self, from: config("Qwen3-0.6B"))
        XCTAssertEqual(qwen3.headDim, 128)
        XCTAssertNil(qwen3.ropeScaling)
    }

    func testAnAbsentKeyTakesTheDefaultAndAStatedNullStaysNull() throws {
        var object = try JSONSerialization.jsonObject(with: config("DeepSeek-V3")) as! [String: Any]
        func decoded() throws -> DeepSeekV3Configuration {
            try JSONDecoder().decode(DeepSeekV3Configuration.self, from: JSONSerialization.data(withJSONObject: object))
        }
        object["q_lora_rank"] = 64
        XCTAssertEqual(try decoded().qLoraRank, 64)
        object["q_lora_rank"] = NSNull()
        XCTAssertNil(try decoded().qLoraRank)
        object.removeValue(forKey: "q_lora_rank")
        XCTAssertEqual(try decoded().qLoraRank, 1536)
    }

    func testRefusedSettingsAreOneClearLine() throws {
        var object = try JSONSerialization.jsonObject(with: config("Llama-3.2-1B-Instruct")) as! [String: Any]
        var scaling = object["rope_scaling"] as! [String: Any]
        scaling["rope_type"] = "proportional"
        object["rope_scaling"] = scaling
        XCTAssertThrowsError(
            try JSONDecoder().decode(LlamaConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        ) {
            XCTAssertEqual(
                "\($0)",
                #"rope_scaling.rope_type: "proportional" is not supported (supported: linear, llama3, yarn, longrope, dynamic)"#)
        }
        var qwen = try JSONSerialization.jsonObject(with: config("Qwen2.5-0.5B-Instruct")) as! [String: Any]
        qwen["use_sliding_window"] = true
        XCTAssertThrowsError(
            try JSONDecoder().decode(Qwen2Configuration.self, from: JSONSerialization.data(withJSONObject: qwen))
        ) {
            XCTAssertEqual(
                "\($0)",
                "use_sliding_window: true is not supported: the sliding-window layers Qwen2 can enable are not supported")
        }
    }

    func testTransformers5RoPEParametersAreRead() throws {
        var object = try JSONSerialization.jsonObject(with: config("Llama-3.2-1B-Instruct")) as! [String: Any]
        var parameters = object.removeValue(forKey: "rope_scaling") as! [String: Any]
        parameters["rope_theta"] = object.removeValue(forKey: "rope_theta")
        object["rope_parameters"] = parameters
        let llama = try JSONDecoder().decode(LlamaConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(llama.ropeTheta, 500_000)
        XCTAssertEqual(llama.ropeScaling?.kind, .llama3)
        XCTAssertEqual(llama.ropeScaling?.factor, 32)
    }

    func testRegistryServesEveryModelTypeAndRefusesOthers() throws {
        let supported = ModelRegistry.supportedModelTypes
        XCTAssertEqual(supported, supported.sorted())
        XCTAssertTrue(supported.contains("llama"))
        XCTAssertThrowsError(try ModelRegistry.makeModel(modelType: "no_such_model", configuration: Data("{}".utf8))) {
            XCTAssertEqual(
                "\($0)",
                "model_type \"no_such_model\" is not supported; supported: " + supported.joined(separator: ", "))
        }
    }

    func testWrapperCheckpointsDispatchOnTheTextModelType() throws {
        func wrapped(_ textModelType: String?) throws -> Data {
            var text = Self.tiny()
            text["model_type"] = textModelType
            text["rope_parameters"] = [
                "rope_type": "default", "rope_theta": 10000.0, "llama_4_scaling_beta": 0.1,
                "original_max_position_embeddings": 8,
            ]
            text.removeValue(forKey: "tie_word_embeddings")
            return try JSONSerialization.data(withJSONObject: ["model_type": "mistral3", "text_config": text])
        }
        XCTAssertTrue(try ModelRegistry.makeModel(modelType: "mistral3", configuration: wrapped("ministral3")) is Mistral3Model)
        XCTAssertTrue(try ModelRegistry.makeModel(modelType: "mistral3", configuration: wrapped("mistral")) is MistralModel)
        XCTAssertTrue(try ModelRegistry.makeModel(modelType: "mistral3", configuration: wrapped("llama")) is LlamaModel)
        // transformers reads a text_config without a model_type as Mistral's.
        XCTAssertTrue(try ModelRegistry.makeModel(modelType: "mistral3", configuration: wrapped(nil)) is MistralModel)
        // Mistral Small 4 text models dispatch too (the transformers/mistral3_mistral4 fixture).
        for other in ["deepseek_v3", "qwen2"] {
            XCTAssertThrowsError(try ModelRegistry.makeModel(modelType: "mistral3", configuration: wrapped(other))) {
                XCTAssertEqual("\($0)", #"text_config.model_type ""# + other + #"" inside a "mistral3" checkpoint is not supported"#)
            }
        }
        XCTAssertEqual(ModelRegistry.checkpointPrefixes(modelType: "mistral3")["language_model."], "")
        XCTAssertEqual(ModelRegistry.checkpointPrefixes(modelType: "ministral3"), [:])
    }

    func testValuesReadOnlyFromRoPEParametersAreRequiredThere() throws {
        var object = Self.tiny()
        object["model_type"] = "ministral3"
        object["rope_parameters"] = ["rope_type": "default", "rope_theta": 10000.0, "original_max_position_embeddings": 8]
        // A top-level value is not read: transformers' ministral3 takes it from rope_parameters only.
        object["llama_4_scaling_beta"] = 0.1
        XCTAssertThrowsError(
            try JSONDecoder().decode(Mistral3Configuration.self, from: JSONSerialization.data(withJSONObject: object))
        ) {
            XCTAssertEqual("\($0)", "rope_parameters.llama_4_scaling_beta: is required")
        }
    }

    /// A setting a config states twice, at the top level and inside rope_parameters, must agree.
    func testRoPESettingsStatedTwiceMustAgree() throws {
        var object = Self.tiny()
        object["rope_parameters"] = ["rope_type": "default", "rope_theta": 500000.0]
        object["rope_theta"] = 500000.0
        XCTAssertEqual(
            try JSONDecoder().decode(LlamaConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
                .ropeTheta, 500_000)
        object["rope_theta"] = 10000.0
        XCTAssertThrowsError(
            try JSONDecoder().decode(LlamaConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        ) {
            XCTAssertEqual(
                "\($0)",
                "rope_theta: 10000.0 is not supported: it disagrees with rope_parameters.rope_theta (500000.0)")
        }
        object["rope_parameters"] = ["rope_type": "linear", "rope_theta": 10000.0, "factor": 2.0]
        object["rope_scaling"] = ["rope_type": "linear", "factor": 4.0]
        XCTAssertThrowsError(
            try JSONDecoder().decode(LlamaConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        ) {
            XCTAssertEqual(
                "\($0)",
                #"rope_scaling: rope_type "linear", factor 4.0 is not supported: it disagrees with "#
                    + #"rope_parameters.scaling (rope_type "linear", factor 2.0)"#)
        }
        object.removeValue(forKey: "rope_scaling")
        object["rope_parameters"] = ["rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5]
        XCTAssertThrowsError(
            try JSONDecoder().decode(LlamaConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        ) {
            XCTAssertEqual(
                "\($0)",
                "rope_parameters.partial_rotary_factor: 0.5 is not supported: this model rotates every dimension of each head")
        }
    }

    /// A small llama-shaped config; a function, since a global dictionary of `Any` is not Sendable.
    static func tiny() -> [String: Any] { [
        "model_type": "llama", "hidden_size": 32, "num_hidden_layers": 2, "intermediate_size": 48,
        "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "vocab_size": 64,
        "tie_word_embeddings": false,
    ] }

    func makeTiny(_ overrides: [String: Any] = [:]) throws -> (any LLMModel, Data) {
        let object = Self.tiny().merging(overrides) { _, new in new }
        let data = try JSONSerialization.data(withJSONObject: object)
        return (try ModelRegistry.makeModel(modelType: object["model_type"] as! String, configuration: data), data)
    }

    func testCachedDecodingEqualsOneLongPrefill() throws {
        for overrides: [String: Any] in [
            [:], ["model_type": "qwen3", "head_dim": 16, "max_position_embeddings": 64, "rope_theta": 1e4],
            ["model_type": "mistral", "sliding_window": 3],
            [
                "model_type": "ministral3", "layer_types": ["sliding_attention", "full_attention"],
                "sliding_window": 3,
                "rope_parameters": [
                    "rope_type": "default", "rope_theta": 10000.0, "llama_4_scaling_beta": 0.1,
                    "original_max_position_embeddings": 4,
                ],
            ],
        ] {
            let (model, _) = try makeTiny(overrides)
            let tokens = MLXArray([3, 9, 27, 17, 5, 41, 8] as [Int32], [1, 7])
            let full = model(tokens, cache: nil)
            XCTAssertEqual(full.shape, [1, 7, 64])
            let cache = model.newCache(parameters: nil)
            var steps = [model(tokens[0..., ..<4], cache: cache)]
            for i in 4 ..< 7 {
                steps.append(model(tokens[0..., i ..< (i + 1)], cache: cache))
            }
            let cached = concatenated(steps, axis: 1)
            XCTAssertLessThan(maxAbsDifference(cached, full), 1e-4, "\(overrides)")
        }
    }

    func testLoadingIsStrict() throws {
        let (model, data) = try makeTiny()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hf2swift-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try data.write(to: directory.appendingPathComponent("config.json"))
        let weights = Dictionary(uniqueKeysWithValues: model.parameters().flattened())
        let file = directory.appendingPathComponent("model.safetensors")

        try save(arrays: weights, url: file)
        let loaded = try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)
        let tokens = MLXArray([1, 2, 3] as [Int32], [1, 3])
        XCTAssertLessThan(maxAbsDifference(loaded(tokens, cache: nil), model(tokens, cache: nil)), 1e-6)

        // Each refusal is one line that names the weight.
        func refused(_ arrays: [String: MLXArray], naming key: String) throws {
            try save(arrays: arrays, url: file)
            XCTAssertThrowsError(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)) {
                XCTAssertTrue("\($0)".contains(key), "\($0)")
                XCTAssertFalse("\($0)".contains("\n"), "\($0)")
            }
        }
        var missing = weights
        missing.removeValue(forKey: "model.norm.weight")
        try refused(missing, naming: "model.norm.weight")

        var extra = weights
        extra["model.layers.0.mlp.extra.weight"] = MLXArray.zeros([2])
        try refused(extra, naming: "extra")

        var misshaped = weights
        misshaped["model.norm.weight"] = MLXArray.zeros([31])
        try refused(misshaped, naming: "norm")

        // What sanitize drops is not "unused": a rotary table and a tied head load fine.
        var sanitized = weights
        sanitized["model.layers.0.self_attn.rotary_emb.inv_freq"] = MLXArray.zeros([4])
        try save(arrays: sanitized, url: file)
        XCTAssertNoThrow(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self))
    }

    func testQuantizationRefusalsAreOneClearLine() throws {
        let (model, data) = try makeTiny()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hf2swift-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var weights = Dictionary(uniqueKeysWithValues: model.parameters().flattened())
        try save(arrays: weights, url: directory.appendingPathComponent("model.safetensors"))
        func refusal(_ quantization: [String: Any], key: String = "quantization") throws -> String {
            var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            object[key] = quantization
            try JSONSerialization.data(withJSONObject: object).write(to: directory.appendingPathComponent("config.json"))
            do {
                _ = try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(
            try refusal(["group_size": 16, "bits": 4, "mode": "nvfp4"]),
            #"config.json: quantization.mode: "nvfp4" is not supported (supported: affine, mxfp4, mxfp8)"#)
        XCTAssertEqual(
            try refusal(["group_size": 48, "bits": 4]),
            "config.json: quantization: 4 bits in groups of 48 is not a supported quantization")
        XCTAssertEqual(
            try refusal(["quant_method": "mxfp4"], key: "quantization_config"),
            #"config.json: quantization_config.quant_method: "mxfp4" (a Hugging Face quantized layout) is not "#
                + "supported; convert the checkpoint with mlx_lm.convert")

        // Quantized weights without a quantization object.
        try data.write(to: directory.appendingPathComponent("config.json"))
        weights["model.layers.0.mlp.down_proj.scales"] = MLXArray.zeros([2])
        try save(arrays: weights, url: directory.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self)) {
            XCTAssertEqual(
                "\($0)",
                "config.json: the weights are quantized (model.layers.0.mlp.down_proj.scales) but there is no "
                    + "quantization object")
        }
    }

    func testShardedCheckpointsLoadThroughTheIndex() throws {
        let (model, data) = try makeTiny()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hf2swift-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try data.write(to: directory.appendingPathComponent("config.json"))
        let weights = model.parameters().flattened()
        var map: [String: String] = [:]
        var shards: [[String: MLXArray]] = [[:], [:]]
        for (i, (key, value)) in weights.enumerated() {
            shards[i % 2][key] = value
            map[key] = "model-0000\(i % 2 + 1)-of-00002.safetensors"
        }
        for (i, shard) in shards.enumerated() {
            try save(arrays: shard, url: directory.appendingPathComponent("model-0000\(i + 1)-of-00002.safetensors"))
        }
        try JSONSerialization.data(withJSONObject: ["weight_map": map])
            .write(to: directory.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertNoThrow(try loadModelSynchronously(directory: directory, factory: ModelRegistry.self))
    }

    func testWeightPatterns() {
        XCTAssertTrue(globMatches("*.self_attn.rotary_emb.inv_freq", "model.layers.3.self_attn.rotary_emb.inv_freq"))
        XCTAssertTrue(globMatches("lm_head.*", "lm_head.weight"))
        XCTAssertFalse(globMatches("lm_head.*", "model.lm_head.weight"))
        XCTAssertTrue(globMatches("a*b*c", "aXXbYYc"))
        XCTAssertFalse(globMatches("a*b*c", "aXXbYY"))
        let kept = removingWeights(
            ["lm_head.weight": MLXArray(1), "model.norm.weight": MLXArray(2)], matching: ["lm_head.*"])
        XCTAssertEqual(Array(kept.keys), ["model.norm.weight"])
    }

    func testZeroedEmbeddingRow() throws {
        let table = MLXArray((1...(4 * 64)).map { Float($0) / 100 }, [4, 64])
        let key = "model.embed_tokens"
        func rowSums(_ weights: [String: MLXArray]) -> [Float] {
            let out: MLXArray
            if let scales = weights[key + ".scales"] {
                out = dequantized(
                    weights[key + ".weight"]!, scales: scales, biases: weights[key + ".biases"],
                    groupSize: 32, bits: 4)
            } else {
                out = weights[key + ".weight"]!
            }
            return abs(out).sum(axis: 1).asArray(Float.self)
        }
        let dense = [key + ".weight": table]
        XCTAssertEqual(rowSums(zeroingEmbeddingRow(dense, key: key, row: 1)).map { $0 == 0 }, [false, true, false, false])
        XCTAssertEqual(rowSums(zeroingEmbeddingRow(dense, key: key, row: -1)).map { $0 == 0 }, [false, false, false, true])
        XCTAssertEqual(rowSums(zeroingEmbeddingRow(dense, key: key, row: nil)), rowSums(dense))
        let (packed, scales, biases) = quantized(table, groupSize: 32, bits: 4)
        let converted = [key + ".weight": packed, key + ".scales": scales, key + ".biases": biases!]
        XCTAssertEqual(
            rowSums(zeroingEmbeddingRow(converted, key: key, row: 2)).map { $0 == 0 }, [false, false, true, false])
        XCTAssertThrowsError(try validateTokenRow(4, key: "pad_token_id", vocabulary: 4)) { error in
            XCTAssertEqual(
                "\(error)", "pad_token_id: is 4; it must name a row of the 4-row embedding")
        }
        XCTAssertNoThrow(try validateTokenRow(-4, key: "pad_token_id", vocabulary: 4))
        XCTAssertNoThrow(try validateTokenRow(nil, key: "pad_token_id", vocabulary: 4))
    }
}
