// The cache kinds MLXLMCommon lacks: chunked attention that forgets every chunk before the current
// one (mlx-lm's llama4), and a growing cache that mlx-swift-lm's KV quantization leaves alone.
import MLX
import MLXLMCommon

/// Holds the keys and values of the current chunk of `chunkSize` positions: attention within a chunk
/// never looks back past its start, so earlier chunks are dropped as soon as the next token starts a
/// new one. `update` returns what the queries of this step can see.
public final class ChunkLocalKVCache: KVCache {
    public let chunkSize: Int
    public private(set) var offset = 0
    /// The absolute position of the first held key.
    public private(set) var start = 0
    private var keys: MLXArray?
    private var values: MLXArray?

    public init(chunkSize: Int) {
        precondition(chunkSize > 0, "a chunked cache needs a positive chunk size")
        self.chunkSize = chunkSize
    }

    public var maxSize: Int? { nil }
    public var isTrimmable: Bool { false }

    @discardableResult
    public func trim(_ n: Int) -> Int { 0 }

    public func innerState() -> [MLXArray] { [keys, values].compactMap { $0 } }

    public func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let allKeys = keys.map { concatenated([$0, newKeys], axis: 2) } ?? newKeys
        let allValues = values.map { concatenated([$0, newValues], axis: 2) } ?? newValues
        offset += newKeys.dim(2)
        // Positions before the next token's chunk are never seen again.
        let chunkStart = offset / chunkSize * chunkSize
        let dropped = chunkStart - start
        if dropped > 0 {
            keys = allKeys[.ellipsis, dropped..., 0...]
            values = allValues[.ellipsis, dropped..., 0...]
            start = chunkStart
        } else {
            keys = allKeys
            values = allValues
        }
        return (allKeys, allValues)
    }

    public func makeMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode {
        if n == 1 { return .none }
        return .array(createChunkedCausalMask(n: n, offset: offset, start: start, chunkSize: chunkSize))
    }

    public var state: [MLXArray] {
        get { [keys, values].compactMap { $0 } }
        set {
            precondition(newValue.count == 2, "ChunkLocalKVCache's state is its keys and values")
            keys = newValue[0]
            values = newValue[1]
        }
    }

    public var metaState: [String] {
        get { [String(chunkSize), String(offset), String(start)] }
        set {
            precondition(newValue.count == 3 && Int(newValue[0]) == chunkSize, "a chunk cache of another size")
            offset = Int(newValue[1]) ?? 0
            start = Int(newValue[2]) ?? 0
        }
    }

    public func copy() -> any KVCache {
        let twin = ChunkLocalKVCache(chunkSize: chunkSize)
        twin.state = state
        twin.metaState = metaState
        return twin
    }
}

/// A growing cache exactly like `KVCacheSimple` that is not one: mlx-swift-lm's `maybeQuantizeKVCache`
/// turns every `KVCacheSimple` into a `QuantizedKVCache`, whose `update` traps, so layers that update
/// their cache themselves (attention sinks, keys and values shared with later layers) keep theirs in
/// full precision instead.
public final class FullPrecisionKVCache: KVCache {
    private let held = KVCacheSimple()

    public init() {}

    public var offset: Int { held.offset }
    public var maxSize: Int? { nil }
    public var isTrimmable: Bool { true }

    public func innerState() -> [MLXArray] { held.state }

    public func update(keys: MLXArray, values: MLXArray) -> (MLXArray, MLXArray) {
        held.update(keys: keys, values: values)
    }

    public var state: [MLXArray] {
        get { held.state }
        set { held.state = newValue }
    }

    public var metaState: [String] {
        get { held.metaState }
        set { held.metaState = newValue }
    }

    @discardableResult
    public func trim(_ n: Int) -> Int { held.trim(n) }

    public func makeMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode {
        held.makeMask(n: n, windowSize: windowSize, returnArray: returnArray)
    }

    public func copy() -> any KVCache {
        let twin = FullPrecisionKVCache()
        let state = held.state
        if !state.isEmpty { twin.held.state = state.map { $0[.ellipsis] } }
        return twin
    }
}
