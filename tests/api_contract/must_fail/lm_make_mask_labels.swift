// must-fail: a cache's mask is asked for with `n:windowSize:returnArray:` (no `queryLength:` label).
// expect: incorrect argument label
import MLX
import MLXLMCommon

func mask(_ cache: KVCache, _ n: Int) -> MLXFast.ScaledDotProductAttentionMaskMode {
    cache.makeMask(queryLength: n, windowSize: nil, returnArray: false)
}
