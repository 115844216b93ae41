// Real checkpoint configs: the generated configurations and attention layers derive what mlx-lm
// derives from the same files (tools/make_config_facts.py recorded mlx-lm's side).
import Foundation
import MLX
import MLXNN
import XCTest

@testable import HF2SwiftModels
@testable import HF2SwiftRuntime

/// What one model derives from its configuration, in mlx-lm's terms.
struct DerivedFacts {
    var layers: Int
    var hidden: Int
    var vocab: Int
    var heads: Int
    var kvHeads: Int
    var headDim: Int
    var intermediate: Int
    var scale: Float
    var qkvBias: Bool
    var oBias: Bool
    var qkNorm: Bool
    var tied: Bool
    var sliding: [Bool]
    var caches: [KVCache]?
    var rope: RoPELayer
}

final class ConfigFactsTests: XCTestCase {
    /// Decodes `data` with the configuration of `modelType` and builds one attention layer, which is
    /// where biases, norms, scale and RoPE are decided.
    func derive(modelType: String, data: Data) throws -> DerivedFacts {
        let decoder = JSONDecoder()
        switch modelType {
        case "llama", "mistral":
            // Mistral's family extends Llama's; each decodes with its own type.
            if modelType == "mistral" {
                let c = try decoder.decode(MistralConfiguration.self, from: data)
                let a = MistralAttention(c)
                return DerivedFacts(
                    layers: c.hiddenLayers, hidden: c.hiddenSize, vocab: c.vocabularySize, heads: c.attentionHeads,
                    kvHeads: c.kvHeads, headDim: c.headDim, intermediate: c.intermediateSize, scale: a.scale,
                    qkvBias: a.wq.bias != nil, oBias: a.wo.bias != nil, qkNorm: false, tied: c.tieWordEmbeddings,
                    sliding: c.layerTypes.map { $0 == .slidingAttention },
                    caches: makeLayerCaches(layerTypes: c.layerTypes, slidingWindow: c.slidingWindow), rope: a.rope)
            }
            let c = try decoder.decode(LlamaConfiguration.self, from: data)
            let a = LlamaAttention(c)
            return DerivedFacts(
                layers: c.hiddenLayers, hidden: c.hiddenSize, vocab: c.vocabularySize, heads: c.attentionHeads,
                kvHeads: c.kvHeads, headDim: c.headDim, intermediate: c.intermediateSize, scale: a.scale,
                qkvBias: a.wq.bias != nil, oBias: a.wo.bias != nil, qkNorm: false, tied: c.tieWordEmbeddings,
                sliding: c.layerTypes.map { $0 == .slidingAttention },
                caches: makeLayerCaches(layerTypes: c.layerTypes, slidingWindow: c.slidingWindow), rope: a.rope)
        case "qwen2":
            let c = try decoder.decode(Qwen2Configuration.self, from: data)
            let a = Qwen2Attention(c)
            return DerivedFacts(
                layers: c.hiddenLayers, hidden: c.hiddenSize, vocab: c.vocabularySize, heads: c.attentionHeads,
                kvHeads: c.kvHeads, headDim: c.headDim, intermediate: c.intermediateSize, scale: a.scale,
                qkvBias: a.wq.bias != nil, oBias: a.wo.bias != nil, qkNorm: false, tied: c.tieWordEmbeddings,
                sliding: Array(repeating: false, count: c.hiddenLayers), caches: nil, rope: a.rope)
        case "qwen3":
            let c = try decoder.decode(Qwen3Configuration.self, from: data)
            let a = Qwen3Attention(c)
            return DerivedFacts(
                layers: c.hiddenLayers, hidden: c.hiddenSize, vocab: c.vocabularySize, heads: c.attentionHeads,
                kvHeads: c.kvHeads, headDim: c.headDim, intermediate: c.intermediateSize, scale: a.scale,
                qkvBias: a.wq.bias != nil, oBias: a.wo.bias != nil, qkNorm: true, tied: c.tieWordEmbeddings,
                sliding: Array(repeating: false, count: c.hiddenLayers), caches: nil, rope: a.rope)
        default:
            throw ModelFactoryError.unsupportedModelType(modelType, supported: ModelRegistry.supportedModelTypes)
        }
    }

    func testRealConfigsDeriveWhatMLXLMDerives() throws {
        let facts = try Fixtures.json("tests/fixtures/configs/facts.json")
        let ropeTensors = try loadArrays(url: Fixtures.url("tests/fixtures/configs/rope.safetensors"))
        XCTAssertGreaterThanOrEqual(facts.count, 4)
        for (name, value) in facts.sorted(by: { $0.key < $1.key }) {
            let expected = value as! [String: Any]
            let data = try Data(contentsOf: Fixtures.url("tests/data/hf-configs/\(name).json"))
            let derived = try derive(modelType: expected["model_type"] as! String, data: data)
            XCTAssertEqual(derived.layers, expected["layers"] as! Int, name)
            XCTAssertEqual(derived.hidden, expected["hidden"] as! Int, name)
            XCTAssertEqual(derived.vocab, expected["vocab"] as! Int, name)
            XCTAssertEqual(derived.heads, expected["heads"] as! Int, name)
            XCTAssertEqual(derived.kvHeads, expected["kv_heads"] as! Int, name)
            XCTAssertEqual(derived.headDim, expected["head_dim"] as! Int, name)
            XCTAssertEqual(derived.intermediate, expected["intermediate"] as! Int, name)
            XCTAssertEqual(derived.scale, Float(expected["scale"] as! Double), accuracy: 1e-7, name)
            XCTAssertEqual(derived.qkvBias, expected["qkv_bias"] as! Bool, name)
            XCTAssertEqual(derived.oBias, expected["o_bias"] as! Bool, name)
            XCTAssertEqual(derived.qkNorm, expected["qk_norm"] as! Bool, name)
            XCTAssertEqual(derived.tied, expected["tied"] as! Bool, name)
            let kinds = expected["layer_kinds"] as! [[String: Any]]
            XCTAssertEqual(derived.sliding, kinds.map { $0["sliding"] as! Bool }, name)
            if let caches = derived.caches, kinds.first?["cache"] != nil {
                for (cache, kind) in zip(caches, kinds) {
                    switch kind["cache"] as! String {
                    case "KVCache": XCTAssertTrue(cache is KVCacheSimple, name)
                    case "RotatingKVCache":
                        XCTAssertEqual((cache as? RotatingKVCache)?.maxSize, kind["window"] as? Int, name)
                    default: XCTFail("\(name): unknown cache kind \(kind)")
                    }
                }
            }
            let rope = expected["rope"] as! [String: Any]
            XCTAssertEqual("\(type(of: derived.rope))", rope["class"] as! String, name)
            let y = derived.rope(ropeTensors["\(name).x"]!, offset: rope["offset"] as! Int)
            XCTAssertLessThan(maxAbsDifference(y, ropeTensors["\(name).y"]!), 1e-5, name)
        }
    }
}
