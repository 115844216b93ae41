// Real checkpoint configs: the generated configurations and attention layers derive what
// transformers derives from the same files (tools/make_config_facts.py recorded it).
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN
import XCTest

@testable import HF2SwiftModels
@testable import HF2SwiftRuntime

final class ConfigFactsTests: XCTestCase {
    /// One attention layer is enough to see biases, norms, scale and RoPE; building a whole
    /// full-size model would allocate every weight. `layer` matters where layers differ. The
    /// feed-forward kinds are the configuration's schedule, one per layer. A model without attention
    /// has none; its layers' one mixer kind is the family's.
    static func configurationAndAttention(modelType: String, data: Data, layer: Int) throws -> (
        configuration: Any, attention: Module?, feedForwardKinds: [String]
    ) {
        let decoder = JSONDecoder()
        let text = try ModelRegistry.textConfiguration(modelType: modelType, configuration: data)
        switch modelType {
        case "llama":
            let c = try decoder.decode(LlamaConfiguration.self, from: text)
            return (c, LlamaAttention(c), c.feedForwardKinds)
        case "mistral":
            let c = try decoder.decode(MistralConfiguration.self, from: text)
            return (c, MistralAttention(c), c.feedForwardKinds)
        case "qwen2":
            let c = try decoder.decode(Qwen2Configuration.self, from: text)
            return (c, Qwen2Attention(c), c.feedForwardKinds)
        case "qwen3":
            let c = try decoder.decode(Qwen3Configuration.self, from: text)
            return (c, Qwen3Attention(c), c.feedForwardKinds)
        case "phi3":
            let c = try decoder.decode(Phi3Configuration.self, from: text)
            return (c, Phi3Attention(c), c.feedForwardKinds)
        case "smollm3":
            let c = try decoder.decode(SmolLM3Configuration.self, from: text)
            return (c, SmolLM3Attention(c, layer: layer), c.feedForwardKinds)
        case "qwen3_moe":
            let c = try decoder.decode(Qwen3MoEConfiguration.self, from: text)
            return (c, Qwen3MoEAttention(c), c.feedForwardKinds)
        case "glm4_moe":
            let c = try decoder.decode(Glm4MoEConfiguration.self, from: text)
            return (c, Glm4MoEAttention(c), c.feedForwardKinds)
        case "gpt_oss":
            let c = try decoder.decode(GptOSSConfiguration.self, from: text)
            return (c, GptOSSAttention(c), c.feedForwardKinds)
        case "deepseek_v3", "kimi_k2":
            let c = try decoder.decode(DeepSeekV3Configuration.self, from: text)
            return (c, DeepSeekV3LatentAttention(c), c.feedForwardKinds)
        case "gemma3", "gemma3_text":
            let c = try decoder.decode(Gemma3Configuration.self, from: text)
            return (c, Gemma3Attention(c, layer: layer), c.feedForwardKinds)
        case "nemotron_h":
            let c = try decoder.decode(NemotronHConfiguration.self, from: text)
            return (c, NemotronHAttention(c), c.feedForwardKinds)
        case "jamba":
            let c = try decoder.decode(JambaConfiguration.self, from: text)
            return (c, JambaAttention(c), c.feedForwardKinds)
        case "mamba":
            let c = try decoder.decode(MambaConfiguration.self, from: text)
            return (c, nil, c.feedForwardKinds)
        case "falcon_mamba":
            let c = try decoder.decode(FalconMambaConfiguration.self, from: text)
            return (c, nil, c.feedForwardKinds)
        case "mamba2":
            let c = try decoder.decode(Mamba2Configuration.self, from: text)
            return (c, nil, c.feedForwardKinds)
        default:
            throw ModelRegistryError.unsupportedModelType(modelType, supported: ModelRegistry.supportedModelTypes)
        }
    }

    /// The rotation each RoPE layer applies, as transformers names its RoPE types (linear scaling is
    /// a plain rotation with scaled positions).
    static let ropeKinds = [
        "RoPE": "default", "Llama3RoPE": "llama3", "YarnRotaryEmbedding": "yarn", "LongRotaryEmbedding": "longrope", "DynamicNTKRotaryEmbedding": "dynamic", "NoPE": "none",
    ]

    /// The one mixer kind of every layer of a family without a mixer schedule.
    static let familyMixers = ["mamba": "selective_ssm", "falcon_mamba": "selective_ssm", "mamba2": "ssd"]

    /// A stored property of a configuration or module, by its Swift name.
    static func value(_ name: String, of subject: Any) -> Any? {
        var mirror: Mirror? = Mirror(reflecting: subject)
        while let m = mirror {
            if let child = m.children.first(where: { $0.label == name }) { return child.value }
            mirror = m.superclassMirror
        }
        return nil
    }

    func testRealConfigsDeriveWhatTransformersDerives() throws {
        let facts = try Fixtures.json("tests/fixtures/configs/facts.json")
        let ropeTensors = try loadArrays(url: Fixtures.url("tests/fixtures/configs/rope.safetensors"))
        XCTAssertGreaterThanOrEqual(facts.count, 4)
        for (name, value) in facts.sorted(by: { $0.key < $1.key }) {
            let expected = value as! [String: Any]
            // Weight-format keys (a quantization) were left out on the references' side too.
            var object =
                try JSONSerialization.jsonObject(
                    with: spellingNonFiniteNumbers(
                        Data(contentsOf: Fixtures.url("tests/data/hf-configs/\(name).json")))) as! [String: Any]
            for key in expected["stripped"] as! [String] { object.removeValue(forKey: key) }
            let data = try JSONSerialization.data(withJSONObject: object)
            let modelType = expected["model_type"] as! String
            let (config, attention, feedForwardKinds) = try Self.configurationAndAttention(modelType: modelType, data: data, layer: 0)
            func int(_ property: String) -> Int? { Self.value(property, of: config) as? Int }
            XCTAssertEqual(int("hiddenLayers"), expected["layers"] as? Int, name)
            XCTAssertEqual(int("hiddenSize"), expected["hidden"] as? Int, name)
            XCTAssertEqual(int("vocabularySize"), expected["vocab"] as? Int, name)
            // Each width is checked where a layer of its kind exists; a family with one kind of
            // feed-forward keeps its width in intermediate_size whichever kind it is.
            if let dense = expected["intermediate"] as? Int {
                XCTAssertEqual(int("intermediateSize"), dense, name)
            }
            if let experts = expected["expert_intermediate"] as? Int {
                XCTAssertEqual(int("moeIntermediateSize") ?? int("intermediateSize"), experts, name)
            }
            XCTAssertEqual(
                feedForwardKinds, expected["feed_forward"] as? [String], name)
            // Layers that mix by more than attention: each layer's mixer, as the schedule names it.
            if let mixers = expected["mixer"] as? [String] {
                let kinds =
                    Self.value("mixerLayerKinds", of: config) as? [String]
                    ?? Self.familyMixers[modelType].map { Array(repeating: $0, count: mixers.count) }
                XCTAssertEqual(kinds, mixers, name)
            }
            // A family without the setting never ties.
            XCTAssertEqual(Self.value("tieWordEmbeddings", of: config) as? Bool ?? false, expected["tied"] as? Bool, name)
            // A model without attention: nothing more to derive.
            guard let attention else {
                XCTAssertNil(expected["heads"], name)
                continue
            }
            XCTAssertEqual(int("attentionHeads"), expected["heads"] as? Int, name)
            XCTAssertEqual(int("kvHeads"), expected["kv_heads"] as? Int, name)
            XCTAssertEqual(int("headDim"), expected["head_dim"] as? Int, name)
            XCTAssertEqual(
                Self.value("scale", of: attention) as! Float, Float(expected["scale"] as! Double), accuracy: 1e-7, name)

            let keys = Set(attention.parameters().flattened().map(\.0))
            // Latent attention's shared key projection stands for the key projection.
            XCTAssertEqual(
                keys.contains("q_proj.bias") || keys.contains("qkv_proj.bias") || keys.contains("kv_a_proj_with_mqa.bias"),
                expected["qkv_bias"] as? Bool, name)
            XCTAssertEqual(keys.contains("o_proj.bias"), expected["o_bias"] as? Bool, name)
            XCTAssertEqual(keys.contains("q_norm.weight"), expected["qk_norm"] as? Bool, name)

            let kinds = expected["layer_kinds"] as! [[String: Any]]
            let layerTypes =
                Self.value("layerTypes", of: config) as? [AttentionLayerType]
                ?? Array(repeating: .fullAttention, count: kinds.count)
            XCTAssertEqual(layerTypes.map { $0 == .slidingAttention }, kinds.map { $0["sliding"] as! Bool }, name)
            if kinds.first?["cache"] != nil {
                let window = Self.value("slidingWindow", of: config) as? Int
                for (cache, kind) in zip(makeLayerCaches(layerTypes: layerTypes, slidingWindow: window, parameters: nil), kinds) {
                    switch kind["cache"] as! String {
                    case "KVCache": XCTAssertTrue(cache is KVCacheSimple, name)
                    case "RotatingKVCache":
                        XCTAssertEqual((cache as? RotatingKVCache)?.maxSize, kind["window"] as? Int, name)
                    default: XCTFail("\(name): unknown cache kind \(kind)")
                    }
                }
            }

            for ropeFacts in expected["rope"] as! [[String: Any]] {
                let layer = ropeFacts["layer"] as! Int
                let (_, layerAttention, _) = try Self.configurationAndAttention(modelType: modelType, data: data, layer: layer)
                guard let rope = layerAttention.flatMap({ Self.value("rope", of: $0) }) as? RoPELayer else {
                    // Attention that holds no rotation at all rotates nothing.
                    XCTAssertEqual(ropeFacts["kind"] as? String, "none", "\(name) layer \(layer)")
                    continue
                }
                XCTAssertEqual(Self.ropeKinds["\(type(of: rope))"], ropeFacts["kind"] as? String, "\(name) layer \(layer)")
                let y = rope(ropeTensors["\(name).layer\(layer).x"]!, offset: ropeFacts["offset"] as! Int)
                XCTAssertLessThan(
                    maxAbsDifference(y, ropeTensors["\(name).layer\(layer).y"]!), 1e-5, "\(name) layer \(layer)")
            }
        }
    }
}
