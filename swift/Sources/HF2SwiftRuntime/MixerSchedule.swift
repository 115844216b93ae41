// Layers whose mixer kind comes from a schedule: each layer's cache of its kind, and the attention
// layers' mask, which only an attention layer's cache can give.
import Foundation
import MLX
import MLXFast
import MLXLMCommon
import MLXNN

/// One cache per layer by the mixer schedule: what `making` makes for the layer's kind (a
/// convolution's or a recurrence's state), a full-attention cache (honouring `maxKVSize`) for the
/// kinds it does not name.
public func makeLayerCaches(
    mixers: [String], parameters: GenerateParameters?, making: [String: () -> KVCache]
) -> [KVCache] {
    mixers.map { kind in making[kind]?() ?? fullAttentionCache(parameters, fullPrecision: false) }
}

/// The schedule of a model whose layers all mix by `kind`.
public func everyLayer(_ kind: String, _ layers: Int) -> [String] {
    Array(repeating: kind, count: max(layers, 0))
}

/// The mask of the attention layers: other mixers' caches count no positions, so it comes
/// from the cache of the first layer the schedule names `attention` (none: no layer needs one).
public func attentionMask(h: MLXArray, cache: [KVCache]?, mixers: [String]) -> MLXFast.ScaledDotProductAttentionMaskMode {
    let first = mixers.firstIndex(of: "attention")
    return createAttentionMask(h: h, cache: first.flatMap { cache?[$0] })
}
