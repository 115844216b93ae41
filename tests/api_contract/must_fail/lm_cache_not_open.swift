// must-fail: MLXLMCommon's concrete caches are public, not open (and BaseKVCache has no public
// initializer): a new cache kind conforms to the KVCache protocol.
// expect: cannot inherit from non-open class 'KVCacheSimple' outside of its defining module
import MLX
import MLXLMCommon

final class CountingCache: KVCacheSimple {}
