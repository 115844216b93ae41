// must-fail: MLXLMCommon's attentionWithCacheUpdate takes no attention sinks; a model with sinks updates
// its cache and calls MLXFast.scaledDotProductAttention(..., sinks:) itself.
// expect: extra argument 'sinks' in call
import MLX
import MLXLMCommon

func attend(_ q: MLXArray, _ cache: KVCache?, _ sinks: MLXArray) -> MLXArray {
    attentionWithCacheUpdate(queries: q, keys: q, values: q, cache: cache, scale: 1, mask: .causal, sinks: sinks)
}
