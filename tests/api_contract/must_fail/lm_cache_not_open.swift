// must-fail: MLXLMCommon's concrete caches are public, not open: a new cache kind derives from
// BaseKVCache.
// expect: cannot inherit from non-open class 'KVCacheSimple' outside of its defining module
import MLX
import MLXLMCommon

final class CountingCache: KVCacheSimple {}
