// Linux reference of mlx-swift-lm's attention call site (MLXLMCommon 3.31.4): extend the layer's cache,
// then attend over everything it holds (quantized caches through quantized attention).
import Foundation
import MLX
import MLXNN

/// Updates `cache` (when there is one) with this step's keys and values and runs scaled dot-product
/// attention over what the cache returns.
public func attentionWithCacheUpdate(
    queries: MLXArray, keys: MLXArray, values: MLXArray, cache: KVCache?, scale: Float,
    mask: MLXFast.ScaledDotProductAttentionMaskMode = .none
) -> MLXArray {
    if let quantizedCache = cache as? QuantizedKVCacheProtocol {
        let (quantizedKeys, quantizedValues) = quantizedCache.updateQuantized(keys: keys, values: values)
        return quantizedScaledDotProductAttention(
            queries: queries, quantizedKeys: quantizedKeys, quantizedValues: quantizedValues, scale: scale, mask: mask,
            groupSize: quantizedCache.groupSize, bits: quantizedCache.bits, mode: quantizedCache.mode)
    }
    var (visibleKeys, visibleValues) = (keys, values)
    if let cache {
        (visibleKeys, visibleValues) = cache.update(keys: keys, values: values)
    }
    return MLXFast.scaledDotProductAttention(
        queries: queries, keys: visibleKeys, values: visibleValues, scale: scale, mask: mask)
}
