// must-pass: the caches of layers whose state is not keys and values, as the short convolution's
// runtime uses them beside the key/value caches of attention layers.
import MLX
import MLXLMCommon

func carry(_ x: MLXArray, held: Int, cache: KVCache?) -> MLXArray {
    guard let state = cache as? ArraysCache else { return x }
    let before = state[0] ?? MLXArray.zeros([x.dim(0), held, x.dim(2)], dtype: x.dtype)
    let extended = concatenated([before, x], axis: 1)
    state[0] = extended[0..., (extended.dim(1) - held)..., 0...]
    state.advance(x.dim(1))
    return extended
}

func layerCaches(_ kinds: [String]) -> [KVCache] {
    kinds.map { $0 == "short_conv" ? ArraysCache(size: 1) : KVCacheSimple() }
}

func recurrent(_ h: MLXArray) -> (MambaCache, MLXArray?) {
    let cache = MambaCache(leftPadding: [0])
    return (cache, createSSMMask(h: h, cache: cache))
}
