// End-to-end test: a tiny Llama-style model written the way generated code uses the API
// (GQA attention with RoPE and a KV cache, SwiGLU MLP, tied embeddings), checked for speed,
// cache consistency and a safetensors weight round trip.
import Foundation
@testable import MLX
@testable import MLXNN
import XCTest

private final class KVCache {
    var keys: MLXArray?
    var values: MLXArray?
    var offset = 0

    /// Append to preallocated buffers through the subscript setter, return the filled part.
    func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let (b, h, t, d) = newKeys.shape4
        if keys == nil {
            keys = MLXArray.zeros([b, h, 64, d])
            values = MLXArray.zeros([b, h, 64, d])
        }
        keys?[.ellipsis, offset ..< offset + t, 0...] = newKeys
        values?[.ellipsis, offset ..< offset + t, 0...] = newValues
        offset += t
        return (keys![.ellipsis, ..<offset, 0...], values![.ellipsis, ..<offset, 0...])
    }
}

private final class Attention: Module {
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    @ModuleInfo(key: "q_proj") var wq: Linear
    @ModuleInfo(key: "k_proj") var wk: Linear
    @ModuleInfo(key: "v_proj") var wv: Linear
    @ModuleInfo(key: "o_proj") var wo: Linear
    let rope: RoPE

    init(hidden: Int, heads: Int, kvHeads: Int) {
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = hidden / heads
        self._wq.wrappedValue = Linear(hidden, heads * headDim, bias: false)
        self._wk.wrappedValue = Linear(hidden, kvHeads * headDim, bias: false)
        self._wv.wrappedValue = Linear(hidden, kvHeads * headDim, bias: false)
        self._wo.wrappedValue = Linear(heads * headDim, hidden, bias: false)
        self.rope = RoPE(dimensions: headDim, traditional: false, base: 10_000)
    }

    func callAsFunction(_ x: MLXArray, cache: KVCache?) -> MLXArray {
        let (b, l, _) = x.shape3
        var q = wq(x).reshaped(b, l, heads, -1).transposed(0, 2, 1, 3)
        var k = wk(x).reshaped(b, l, kvHeads, -1).transposed(0, 2, 1, 3)
        var v = wv(x).reshaped(b, l, kvHeads, -1).transposed(0, 2, 1, 3)
        let offset = cache?.offset ?? 0
        q = rope(q, offset: offset)
        k = rope(k, offset: offset)
        if let cache {
            (k, v) = cache.update(keys: k, values: v)
        }
        let out = MLXFast.scaledDotProductAttention(
            queries: q, keys: k, values: v, scale: 1 / Float(headDim).squareRoot(),
            mask: l > 1 ? .causal : .none)
        return wo(out.transposed(0, 2, 1, 3).reshaped(b, l, -1))
    }
}

private final class MLP: Module, UnaryLayer {
    @ModuleInfo(key: "gate_proj") var gate: Linear
    @ModuleInfo(key: "up_proj") var up: Linear
    @ModuleInfo(key: "down_proj") var down: Linear

    init(hidden: Int, intermediate: Int) {
        self._gate.wrappedValue = Linear(hidden, intermediate, bias: false)
        self._up.wrappedValue = Linear(hidden, intermediate, bias: false)
        self._down.wrappedValue = Linear(intermediate, hidden, bias: false)
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        down(silu(gate(x)) * up(x))
    }
}

private final class DecoderLayer: Module {
    @ModuleInfo(key: "self_attn") var attention: Attention
    let mlp: MLP
    @ModuleInfo(key: "input_layernorm") var inputNorm: RMSNorm
    @ModuleInfo(key: "post_attention_layernorm") var postNorm: RMSNorm

    init(hidden: Int) {
        self._attention.wrappedValue = Attention(hidden: hidden, heads: 4, kvHeads: 2)
        self.mlp = MLP(hidden: hidden, intermediate: 2 * hidden)
        self._inputNorm.wrappedValue = RMSNorm(dimensions: hidden, eps: 1e-6)
        self._postNorm.wrappedValue = RMSNorm(dimensions: hidden, eps: 1e-6)
    }

    func callAsFunction(_ x: MLXArray, cache: KVCache?) -> MLXArray {
        let h = x + attention(inputNorm(x), cache: cache)
        return h + mlp(postNorm(h))
    }
}

private final class LlamaLike: Module {
    @ModuleInfo(key: "embed_tokens") var embed: Embedding
    let layers: [DecoderLayer]
    let norm: RMSNorm

    init(hidden: Int = 64, layers: Int = 4, vocab: Int = 256) {
        self._embed.wrappedValue = Embedding(embeddingCount: vocab, dimensions: hidden)
        self.layers = (0 ..< layers).map { _ in DecoderLayer(hidden: hidden) }
        self.norm = RMSNorm(dimensions: hidden, eps: 1e-6)
    }

    func callAsFunction(_ tokens: MLXArray, caches: [KVCache]? = nil) -> MLXArray {
        var h = embed(tokens)
        for (i, layer) in layers.enumerated() {
            h = layer(h, cache: caches?[i])
        }
        return embed.asLinear(norm(h))
    }
}

final class TinyModelTests: XCTestCase {
    private let tokens = MLXArray((0 ..< 24).map { Int32(($0 * 37 + 11) % 256) }, [1, 24])

    func testForwardIsFastEnough() {
        MLXRandom.seed(0)
        let model = LlamaLike()
        _ = model(tokens[0..., ..<2])
        let start = Date()
        let logits = model(tokens)
        eval(logits)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(logits.shape, [1, 24, 256])
        XCTAssertFalse(isNaN(logits).any().item(Bool.self))
        XCTAssertLessThan(elapsed, 1.0, "a 24-token forward pass of the tiny model took \(elapsed) s")
    }

    func testCachedDecodingMatchesFullForward() {
        MLXRandom.seed(1)
        let model = LlamaLike(layers: 2)
        let full = model(tokens)
        let caches = model.layers.map { _ in KVCache() }
        let prefix = model(tokens[0..., ..<20], caches: caches)
        assertClose(prefix, full[0..., ..<20].asArray(Float.self), rtol: 1e-5, atol: 1e-5)
        var last = prefix
        for t in 20 ..< 24 {
            last = model(tokens[0..., t ..< t + 1], caches: caches)
        }
        assertClose(last[0, 0], full[0, 23].asArray(Float.self), rtol: 1e-4, atol: 1e-5)
    }

    func testWeightsRoundTripThroughSafetensors() throws {
        MLXRandom.seed(2)
        let source = LlamaLike(layers: 2)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try save(arrays: Dictionary(uniqueKeysWithValues: source.parameters().flattened()), url: url)
        let weights = try loadArrays(url: url)
        XCTAssertNotNil(weights["layers.1.self_attn.k_proj.weight"])
        XCTAssertNotNil(weights["embed_tokens.weight"])

        MLXRandom.seed(3)
        let target = LlamaLike(layers: 2)
        try target.update(parameters: ModuleParameters.unflattened(weights), verify: [.all])
        eval(target)
        XCTAssertEqual(target(tokens).asArray(Float.self), source(tokens).asArray(Float.self))
    }
}
