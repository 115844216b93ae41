// must-pass: a model an mlx-swift-lm app loads: LLMModel with its LoRA layers, caches from the
// parameters, masks and attention from MLXLMCommon, and registration of its model_type.
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN

struct TinyConfiguration: Codable, Sendable {
    var hiddenSize: Int
    var layers: Int
    var window: Int?
}

final class TinyLayer: Module {
    @ModuleInfo(key: "q_proj") var wq: Linear
    let window: Int?
    let rope: RoPELayer

    init(_ c: TinyConfiguration) {
        _wq.wrappedValue = Linear(c.hiddenSize, c.hiddenSize, bias: false)
        window = c.window
        rope = RoPE(dimensions: c.hiddenSize, traditional: false, base: 10_000)
        super.init()
    }

    func callAsFunction(_ x: MLXArray, cache: KVCache?) -> MLXArray {
        let mask = createAttentionMask(h: x, cache: cache, windowSize: window)
        let q = rope(wq(x).expandedDimensions(axis: 1), offset: cache?.offset ?? 0)
        let out = attentionWithCacheUpdate(queries: q, keys: q, values: q, cache: cache, scale: 0.5, mask: mask)
        return out.squeezed(axis: 1)
    }
}

final class TinyModel: Module, LLMModel {
    let configuration: TinyConfiguration
    let layers: [TinyLayer]

    init(_ configuration: TinyConfiguration) {
        self.configuration = configuration
        layers = (0 ..< configuration.layers).map { _ in TinyLayer(configuration) }
        super.init()
    }

    var loraLayers: [Module] { layers }

    func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray {
        var h = inputs.asType(.float32).expandedDimensions(axis: -1)
        for (i, layer) in layers.enumerated() {
            h = layer(h, cache: cache?[i])
        }
        return h
    }

    func newCache(parameters: GenerateParameters?) -> [KVCache] {
        layers.map { layer -> KVCache in
            if let window = layer.window { return RotatingKVCache(maxSize: window) }
            if let maxKVSize = parameters?.maxKVSize { return RotatingKVCache(maxSize: maxKVSize, keep: 4) }
            return KVCacheSimple()
        }
    }

    func sanitize(weights: [String: MLXArray]) -> [String: MLXArray] {
        weights.filter { !$0.key.hasSuffix("rotary_emb.inv_freq") }
    }
}

func registerTinyModel() async {
    await LLMTypeRegistry.shared.registerModelType("tiny") { data in
        TinyModel(try JSONDecoder().decode(TinyConfiguration.self, from: data))
    }
}

func prefill(_ model: any LanguageModel, tokens: MLXArray) throws -> MLXArray {
    let cache = model.newCache(parameters: GenerateParameters(maxKVSize: 1024, temperature: 0))
    switch try model.prepare(LMInput(tokens: tokens), cache: cache, windowSize: 256) {
    case .tokens(let rest):
        return model(rest, cache: cache, state: nil).logits
    case .logits(let output):
        return output.logits
    }
}
