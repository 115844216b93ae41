// Attention masks and the one attention call site that updates the cache, as mlx-lm builds them.
import MLX
import MLXLMCommon
import MLXNN

/// Per-layer attention kind, as `layer_types` in `config.json` names it.
public enum AttentionLayerType: String, Codable, Sendable, CaseIterable {
    case fullAttention = "full_attention"
    case slidingAttention = "sliding_attention"
    /// Each position sees only the earlier positions of its own chunk (position / chunk size).
    case chunkedAttention = "chunked_attention"
}

/// A boolean `[n, offset + n]` mask: query i (at position offset + i) sees key j when j is not in
/// its future and, with a window, when it is fewer than `windowSize` positions back.
public func createChunkedCausalMask(n: Int, offset: Int, start: Int = 0, chunkSize: Int) -> MLXArray {
    let keys = MLXArray(Int32(start) ..< Int32(offset + n)).reshaped(1, offset + n - start)
    let queries = MLXArray(Int32(offset) ..< Int32(offset + n)).reshaped(n, 1)
    let size = Int32(chunkSize)
    return (queries .>= keys) .&& (floorDivide(queries, size) .== floorDivide(keys, size))
}

/// The mask for the tokens in `h` (`[batch, length, hidden]`): from the cache when there is one,
/// otherwise `.causal` (`.none` for a single token), or an explicit array when a window cuts in.
public func createAttentionMasks(
    h: MLXArray, cache: [KVCache]?, layerTypes: [AttentionLayerType], slidingWindow: Int?,
    chunkSize: Int? = nil
) -> [MLXFast.ScaledDotProductAttentionMaskMode] {
    func mask(for kind: AttentionLayerType) -> MLXFast.ScaledDotProductAttentionMaskMode? {
        guard let first = layerTypes.firstIndex(of: kind) else { return nil }
        if kind == .chunkedAttention {
            guard let chunkSize else { preconditionFailure("chunked_attention layers need a chunk size") }
            return createChunkedAttentionMask(h: h, cache: cache?[first], chunkSize: chunkSize)
        }
        let window = kind == .slidingAttention ? slidingWindow : nil
        return createAttentionMask(h: h, cache: cache?[first], windowSize: window)
    }
    let full = mask(for: .fullAttention)
    let sliding = mask(for: .slidingAttention)
    let chunked = mask(for: .chunkedAttention)
    return layerTypes.map {
        switch $0 {
        case .fullAttention: full!
        case .slidingAttention: sliding!
        case .chunkedAttention: chunked!
        }
    }
}

/// The mask of a chunked layer for the tokens in `h`: from its cache when there is one, otherwise
/// causal within chunks from position 0.
public func createChunkedAttentionMask(h: MLXArray, cache: KVCache?, chunkSize: Int)
    -> MLXFast.ScaledDotProductAttentionMaskMode
{
    let n = h.dim(1)
    if let cache {
        return cache.makeMask(n: n, windowSize: nil, returnArray: false)
    }
    if n == 1 {
        return .none
    }
    return n > chunkSize ? .array(createChunkedCausalMask(n: n, offset: 0, chunkSize: chunkSize)) : .causal
}

/// Caches for a model whose layers follow `layerTypes`: rotating ones of `slidingWindow`
/// positions for sliding layers, ones holding the current chunk for chunked layers, growing ones
/// for full layers.
/// One cache per layer for models whose every layer attends to all earlier tokens: a growing cache,
/// or a rotating one of `maxKVSize` positions (keeping the first 4) when the parameters bound it.
/// `fullPrecision` keeps the growing caches out of mlx-swift-lm's KV quantization (for attention that
/// reads its cache directly: sinks, shared keys and values).
public func makeLayerCaches(count: Int, parameters: GenerateParameters?, fullPrecision: Bool = false) -> [KVCache] {
    (0 ..< count).map { _ in fullAttentionCache(parameters, fullPrecision: fullPrecision) }
}

func fullAttentionCache(_ parameters: GenerateParameters?, fullPrecision: Bool) -> KVCache {
    if let maxKVSize = parameters?.maxKVSize {
        return RotatingKVCache(maxSize: maxKVSize, keep: 4)
    }
    return fullPrecision ? FullPrecisionKVCache() : KVCacheSimple()
}

/// One cache per layer, of the kind the layer's attention needs; full-attention layers honour
/// `maxKVSize` and `fullPrecision` as `makeLayerCaches(count:parameters:fullPrecision:)` does,
/// sliding layers keep their window.
public func makeLayerCaches(
    layerTypes: [AttentionLayerType], slidingWindow: Int?, chunkSize: Int? = nil, parameters: GenerateParameters?,
    fullPrecision: Bool = false
) -> [KVCache] {
    layerTypes.map { kind in
        switch kind {
        case .fullAttention:
            return fullAttentionCache(parameters, fullPrecision: fullPrecision)
        case .slidingAttention:
            guard let slidingWindow else {
                preconditionFailure("sliding_attention layers need a sliding_window")
            }
            return RotatingKVCache(maxSize: slidingWindow)
        case .chunkedAttention:
            guard let chunkSize else {
                preconditionFailure("chunked_attention layers need a chunk size")
            }
            return ChunkLocalKVCache(chunkSize: chunkSize)
        }
    }
}

/// Adds this step's keys and values to the cache (if any) and attends over everything it holds.
/// MLXLMCommon's `attentionWithCacheUpdate` with attention sinks, which it does not take.
public func attentionWithCacheUpdate(
    queries: MLXArray, keys: MLXArray, values: MLXArray, cache: KVCache?, scale: Float,
    mask: MLXFast.ScaledDotProductAttentionMaskMode, sinks: MLXArray
) -> MLXArray {
    var (cachedKeys, cachedValues) = (keys, values)
    if let cache {
        (cachedKeys, cachedValues) = cache.update(keys: keys, values: values)
    }
    return MLXFast.scaledDotProductAttention(
        queries: queries, keys: cachedKeys, values: cachedValues, scale: scale, mask: mask,
        sinks: sinks)
}

/// Updates `cache` and attends with the scores capped at `logitSoftcap` before the mask:
/// cap * tanh(scores / cap), the queries scaled first, the scores in the inputs' dtype and the softmax
/// in float32, as transformers and mlx-lm compute it outside a fused kernel. Without a cap this is
/// MLXLMCommon's attention.
public func attentionWithCacheUpdate(
    queries: MLXArray, keys: MLXArray, values: MLXArray, cache: KVCache?, scale: Float,
    mask: MLXFast.ScaledDotProductAttentionMaskMode, logitSoftcap: Float?
) -> MLXArray {
    guard let cap = logitSoftcap else {
        return attentionWithCacheUpdate(
            queries: queries, keys: keys, values: values, cache: cache, scale: scale, mask: mask)
    }
    var (keys, values) = (keys, values)
    if let cache {
        (keys, values) = cache.update(keys: keys, values: values)
    }
    let (b, heads, length, width) = (queries.dim(0), queries.dim(1), queries.dim(2), queries.dim(3))
    let groups = keys.dim(1)
    var q = queries * scale
    if heads > groups {
        // Each key/value head serves heads / groups query heads.
        q = q.reshaped(b, groups, heads / groups, length, width)
        keys = keys.expandedDimensions(axis: 2)
        values = values.expandedDimensions(axis: 2)
    }
    var scores = matmul(q, keys.swappedAxes(-1, -2))
    scores = tanh(scores / cap) * cap
    let visible: MLXArray?
    switch mask {
    case .causal: visible = createCausalMask(n: length, offset: keys.dim(-2) - length)
    default: visible = mask.mask
    }
    if let visible {
        // Hidden scores take the lowest float32 (in a half type, -inf): either weighs nothing once
        // exponentiated, as a row always keeps its own position.
        let hidden = MLXArray(-Float.greatestFiniteMagnitude).asType(scores.dtype)
        scores = visible.dtype == .bool ? MLX.where(visible, scores, hidden) : scores + visible
    }
    let output = matmul(softmax(scores, axis: -1, precise: true), values)
    return heads > groups ? output.reshaped(b, heads, length, width) : output
}

/// Whether `layer` projects its own keys and values under cross-layer sharing: without sharing
/// every layer does; with it, only the first layer of each consecutive group of `group`, whose
/// projections the rest of the group reuse.
public func projectsKeysAndValues(layer: Int, sharing: Bool, group: Int) -> Bool {
    !sharing || layer % group == 0
}
