// Key/value caches with mlx-lm's semantics: a growing one, a rotating one for sliding windows, and
// one for chunked attention.
import MLX

/// Keeps the keys and values of earlier tokens so that decoding one token attends to all of them.
public protocol KVCache: AnyObject {
    /// Tokens seen so far (the position of the next token).
    var offset: Int { get }

    /// Adds this step's keys and values (`[batch, heads, length, headDim]`) and returns every key
    /// and value attention should see, in the cache's storage order.
    func update(keys: MLXArray, values: MLXArray) -> (MLXArray, MLXArray)

    /// The attention mask for `queryLength` new tokens, given what the cache holds before they
    /// are added. A `windowSize` limits how far back each query may look.
    func makeMask(queryLength: Int, windowSize: Int?) -> MLXFast.ScaledDotProductAttentionMaskMode
}

/// The cache of full-attention layers: every key and value is kept.
public final class KVCacheSimple: KVCache {
    /// Storage grows in steps of this many positions, so decoding does not reallocate per token.
    static let step = 256

    public private(set) var offset = 0
    private var keys: MLXArray?
    private var values: MLXArray?

    public init() {}

    public func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let previous = offset
        let length = newKeys.dim(2)
        if keys == nil || previous + length > keys!.dim(2) {
            let steps = (Self.step + length - 1) / Self.step
            let grownKeys = MLXArray.zeros(
                [newKeys.dim(0), newKeys.dim(1), steps * Self.step, newKeys.dim(3)], dtype: newKeys.dtype)
            let grownValues = MLXArray.zeros(
                [newValues.dim(0), newValues.dim(1), steps * Self.step, newValues.dim(3)],
                dtype: newValues.dtype)
            if var k = keys, var v = values {
                if previous % Self.step != 0 {
                    k = k[.ellipsis, ..<previous, 0...]
                    v = v[.ellipsis, ..<previous, 0...]
                }
                keys = concatenated([k, grownKeys], axis: 2)
                values = concatenated([v, grownValues], axis: 2)
            } else {
                keys = grownKeys
                values = grownValues
            }
        }
        offset += length
        keys![.ellipsis, previous ..< offset, 0...] = newKeys
        values![.ellipsis, previous ..< offset, 0...] = newValues
        return (keys![.ellipsis, ..<offset, 0...], values![.ellipsis, ..<offset, 0...])
    }

    public func makeMask(queryLength: Int, windowSize: Int?) -> MLXFast.ScaledDotProductAttentionMaskMode {
        if let windowSize {
            return .array(createCausalMask(n: queryLength, offset: offset, windowSize: windowSize))
        }
        return queryLength == 1 ? .none : .causal
    }
}

/// The cache of sliding-window layers: a ring of `maxSize` positions (after `keep` fixed ones).
/// A multi-token step first puts the ring in temporal order and keeps the last `maxSize - 1`
/// positions before appending, so every new token still sees a full window, as mlx-lm does.
public final class RotatingKVCache: KVCache {
    static let step = 256

    public let maxSize: Int
    public let keep: Int
    public private(set) var offset = 0
    private var keys: MLXArray?
    private var values: MLXArray?
    /// Where the next single-token write goes in the ring.
    private var index = 0

    public init(maxSize: Int, keep: Int = 0) {
        precondition(maxSize > 0, "a rotating cache needs a positive size")
        self.maxSize = maxSize
        self.keep = keep
    }

    public func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        newKeys.dim(2) == 1
            ? updateInPlace(keys: newKeys, values: newValues)
            : updateConcatenating(keys: newKeys, values: newValues)
    }

    /// Drops `trimSize` positions after the kept prefix, then appends `append`.
    private func trim(_ trimSize: Int, _ v: MLXArray, append: MLXArray? = nil) -> MLXArray {
        var parts: [MLXArray] =
            trimSize > 0
            ? [v[.ellipsis, ..<keep, 0...], v[.ellipsis, (trimSize + keep)..., 0...]]
            : [v]
        if let append { parts.append(append) }
        return concatenated(parts, axis: 2)
    }

    /// The ring rearranged oldest first, without unused trailing slots.
    private func temporalOrder(_ v: MLXArray) -> MLXArray {
        if index == v.dim(2) {
            return v
        } else if index < offset {
            return concatenated(
                [v[.ellipsis, ..<keep, 0...], v[.ellipsis, index..., 0...], v[.ellipsis, keep ..< index, 0...]],
                axis: 2)
        } else {
            return v[.ellipsis, ..<index, 0...]
        }
    }

    private func updateConcatenating(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        if let k = keys, let v = values {
            let orderedKeys = temporalOrder(k)
            let orderedValues = temporalOrder(v)
            index = orderedKeys.dim(2)
            let trimSize = index - maxSize + 1
            keys = trim(trimSize, orderedKeys, append: newKeys)
            values = trim(trimSize, orderedValues, append: newValues)
        } else {
            keys = newKeys
            values = newValues
        }
        offset += newKeys.dim(2)
        index = keys!.dim(2)
        return (keys!, values!)
    }

    private func updateInPlace(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let previous = offset
        if keys == nil || (previous >= keys!.dim(2) && keys!.dim(2) < maxSize) {
            let size = min(Self.step, maxSize - previous)
            let grownKeys = MLXArray.zeros(
                [newKeys.dim(0), newKeys.dim(1), size, newKeys.dim(3)], dtype: newKeys.dtype)
            let grownValues = MLXArray.zeros(
                [newValues.dim(0), newValues.dim(1), size, newValues.dim(3)], dtype: newValues.dtype)
            if let k = keys, let v = values {
                keys = concatenated([k, grownKeys], axis: 2)
                values = concatenated([v, grownValues], axis: 2)
            } else {
                keys = grownKeys
                values = grownValues
            }
            index = previous
        }
        let trimSize = keys!.dim(2) - maxSize
        if trimSize > 0 {
            keys = trim(trimSize, keys!)
            values = trim(trimSize, values!)
            index = maxSize
        }
        if index == maxSize {
            index = keep
        }
        keys![.ellipsis, index ..< (index + 1), 0...] = newKeys
        values![.ellipsis, index ..< (index + 1), 0...] = newValues
        offset += 1
        index += 1
        if offset < keys!.dim(2) {
            return (keys![.ellipsis, ..<offset, 0...], values![.ellipsis, ..<offset, 0...])
        }
        return (keys!, values!)
    }

    public func makeMask(queryLength: Int, windowSize: Int?) -> MLXFast.ScaledDotProductAttentionMaskMode {
        if queryLength > 1 {
            let window = windowSize ?? maxSize
            let held = min(maxSize - 1, offset)
            if held + queryLength > window {
                return .array(createCausalMask(n: queryLength, offset: held, windowSize: window))
            }
            return .causal
        }
        guard let windowSize else { return .none }
        // A window shorter than the ring needs a mask once the ring holds more than the window;
        // the ring's slots are not in temporal order, so the mask is rolled to the write index.
        if offset >= windowSize && maxSize > windowSize {
            let start = index >= maxSize ? 0 : index
            let size = offset < maxSize ? offset + 1 : maxSize
            let visible = MLXArray(Int32(0) ..< Int32(size)) .>= Int32(size - windowSize)
            return .array(roll(visible, shift: start + 1))
        }
        return .none
    }
}

/// The cache of chunked-attention layers: a position attends only within its chunk (position /
/// `chunkSize`), so after each step only the keys and values of the next position's chunk are kept.
public final class ChunkedKVCache: KVCache {
    public let chunkSize: Int
    public private(set) var offset = 0
    /// The position of the first key held.
    public private(set) var start = 0
    private var keys: MLXArray?
    private var values: MLXArray?

    public init(chunkSize: Int) {
        precondition(chunkSize > 0, "a chunked cache needs a positive chunk size")
        self.chunkSize = chunkSize
    }

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

    /// The held keys all lie in the chunk of the next position, so one new token sees all of them.
    public func makeMask(queryLength: Int, windowSize: Int?) -> MLXFast.ScaledDotProductAttentionMaskMode {
        if queryLength == 1 {
            return .none
        }
        return .array(createChunkedCausalMask(n: queryLength, offset: offset, start: start, chunkSize: chunkSize))
    }
}

/// `roll` along the only axis of a vector: element i moves to (i + shift) mod n.
func roll(_ v: MLXArray, shift: Int) -> MLXArray {
    let n = v.dim(0)
    let s = ((shift % n) + n) % n
    if s == 0 { return v }
    return concatenated([v[(n - s)...], v[..<(n - s)]], axis: 0)
}
