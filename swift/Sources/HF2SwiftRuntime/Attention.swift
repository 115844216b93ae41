// Attention masks and the one attention call site that updates the cache, as mlx-lm builds them.
import MLX
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
public func createCausalMask(n: Int, offset: Int, windowSize: Int? = nil) -> MLXArray {
    let keys = MLXArray(Int32(0) ..< Int32(offset + n)).reshaped(1, offset + n)
    let queries = MLXArray(Int32(offset) ..< Int32(offset + n)).reshaped(n, 1)
    var mask = queries .>= keys
    if let windowSize {
        mask = mask .&& (queries .< (keys + Int32(windowSize)))
    }
    return mask
}

/// A boolean `[n, offset + n - start]` mask for keys at positions `start ..< offset + n`: query i
/// (at position offset + i) sees key j when j is not in its future and both lie in the same chunk
/// of `chunkSize` positions.
public func createChunkedCausalMask(n: Int, offset: Int, start: Int = 0, chunkSize: Int) -> MLXArray {
    let keys = MLXArray(Int32(start) ..< Int32(offset + n)).reshaped(1, offset + n - start)
    let queries = MLXArray(Int32(offset) ..< Int32(offset + n)).reshaped(n, 1)
    let size = Int32(chunkSize)
    return (queries .>= keys) .&& (floorDivide(queries, size) .== floorDivide(keys, size))
}

/// The mask for the tokens in `h` (`[batch, length, hidden]`): from the cache when there is one,
/// otherwise `.causal` (`.none` for a single token), or an explicit array when a window cuts in.
public func createAttentionMask(h: MLXArray, cache: KVCache?, windowSize: Int? = nil)
    -> MLXFast.ScaledDotProductAttentionMaskMode
{
    let n = h.dim(1)
    if let cache {
        return cache.makeMask(queryLength: n, windowSize: windowSize)
    }
    if n == 1 {
        return .none
    }
    if let windowSize, n > windowSize {
        return .array(createCausalMask(n: n, offset: 0, windowSize: windowSize))
    }
    return .causal
}

/// One mask per layer for models mixing full and sliding-window layers: the full mask is sized by
/// the cache of the first full layer, the sliding mask by the cache of the first sliding layer.
/// The chunked layers' mask is sized by their cache too.
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
        return cache.makeMask(queryLength: n, windowSize: nil)
    }
    if n == 1 {
        return .none
    }
    return n > chunkSize ? .array(createChunkedCausalMask(n: n, offset: 0, chunkSize: chunkSize)) : .causal
}

/// Caches for a model whose layers follow `layerTypes`: rotating ones of `slidingWindow`
/// positions for sliding layers, ones holding the current chunk for chunked layers, growing ones
/// for full layers.
public func makeLayerCaches(
    layerTypes: [AttentionLayerType], slidingWindow: Int?, chunkSize: Int? = nil
) -> [KVCache] {
    layerTypes.map { kind in
        switch kind {
        case .fullAttention:
            return KVCacheSimple()
        case .slidingAttention:
            guard let slidingWindow else {
                preconditionFailure("sliding_attention layers need a sliding_window")
            }
            return RotatingKVCache(maxSize: slidingWindow)
        case .chunkedAttention:
            guard let chunkSize else {
                preconditionFailure("chunked_attention layers need a chunk size")
            }
            return ChunkedKVCache(chunkSize: chunkSize)
        }
    }
}

/// Adds this step's keys and values to the cache (if any) and attends over everything it holds.
public func attentionWithCacheUpdate(
    queries: MLXArray, keys: MLXArray, values: MLXArray, cache: KVCache?, scale: Float,
    mask: MLXFast.ScaledDotProductAttentionMaskMode, sinks: MLXArray? = nil
) -> MLXArray {
    var (cachedKeys, cachedValues) = (keys, values)
    if let cache {
        (cachedKeys, cachedValues) = cache.update(keys: keys, values: values)
    }
    return MLXFast.scaledDotProductAttention(
        queries: queries, keys: cachedKeys, values: cachedValues, scale: scale, mask: mask,
        sinks: sinks)
}

/// Whether `layer` projects its own keys and values under cross-layer sharing: without sharing
/// every layer does; with it, only the first layer of each consecutive group of `group`, whose
/// projections the rest of the group reuse.
public func projectsKeysAndValues(layer: Int, sharing: Bool, group: Int) -> Bool {
    !sharing || layer % group == 0
}
