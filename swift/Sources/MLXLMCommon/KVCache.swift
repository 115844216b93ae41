// Linux reference of mlx-swift-lm's key/value caches and attention masks (MLXLMCommon, release
// 3.31.4): the cache protocol, its base class, the growing, rotating and chunked caches, and the mask
// helpers, with the public names, labels and defaults of that release.
import Foundation
import MLX
import MLXNN

/// The position a rotary embedding starts at: one offset, or one per batch row.
public enum RoPEOffset {
    case scalar(Int)
    case batch(MLXArray)
}

/// A per-layer store of the keys and values of earlier tokens.
public protocol KVCache: Evaluatable {
    /// Tokens seen so far.
    var offset: Int { get }
    var ropeOffset: RoPEOffset { get }
    /// The most tokens the cache holds, nil when it grows without bound.
    var maxSize: Int? { get }

    /// Appends this step's keys and values; returns everything attention should see.
    func update(keys: MLXArray, values: MLXArray) -> (MLXArray, MLXArray)

    var state: [MLXArray] { get set }
    var metaState: [String] { get set }
    var isTrimmable: Bool { get }

    @discardableResult
    func trim(_ n: Int) -> Int

    func makeMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode

    func copy() -> any KVCache

    func prepare(lengths: [Int]?)
    func prepare(lengths: MLXArray?)
    func finalize()
}

extension KVCache {
    public var ropeOffset: RoPEOffset { .scalar(offset) }
    public func prepare(lengths: [Int]?) {}
    public func prepare(lengths: MLXArray?) {}
    public func finalize() {}
}

/// Runs `body` with every cache told the batch's sequence lengths (when there are any), and
/// finalizes the caches afterwards.
public func withPreparedCache<Result>(
    _ cache: [any KVCache], lengths: [Int]?, _ body: () throws -> Result
) rethrows -> Result {
    guard let lengths else { return try body() }
    cache.forEach { $0.prepare(lengths: lengths) }
    defer { cache.forEach { $0.finalize() } }
    return try body()
}

/// What every cache shares: an offset, no state, and the causal mask a cache without a window needs.
open class BaseKVCache: KVCache {
    public var offset: Int = 0
    public var maxSize: Int? { nil }

    public func innerState() -> [MLXArray] { [] }

    open func update(keys: MLXArray, values: MLXArray) -> (MLXArray, MLXArray) {
        fatalError("\(Self.self) does not implement update(keys:values:)")
    }

    open var state: [MLXArray] {
        get { [] }
        set { precondition(newValue.isEmpty, "\(Self.self) holds no state") }
    }

    open var metaState: [String] {
        get { [""] }
        set { precondition(newValue == [""], "\(Self.self) holds no meta state") }
    }

    open var isTrimmable: Bool { false }

    @discardableResult
    open func trim(_ n: Int) -> Int { 0 }

    open func copy() -> any KVCache {
        fatalError("\(Self.self) does not implement copy()")
    }

    open func prepare(lengths: [Int]?) {}
    open func prepare(lengths: MLXArray?) {}
    open func finalize() {}

    /// One query needs no mask; more need the causal one, as an array when asked for or when a window
    /// is shorter than the queries.
    open func makeMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode {
        if n == 1 { return .none }
        if returnArray || (windowSize.map { n > $0 } ?? false) {
            return .array(createCausalMask(n: n, offset: offset, windowSize: windowSize))
        }
        return .causal
    }
}

/// The boolean mask `[n, offset + n]` (batched when `lengths` is given) letting query `offset + i` see
/// key `j` when `j <= offset + i`, within the last `windowSize` positions, and before the row's length.
public func createCausalMask(n: Int, offset: Int, windowSize: Int? = nil, lengths: MLXArray? = nil) -> MLXArray {
    let keyPositions = MLXArray(Int32(0) ..< Int32(offset + n)).reshaped(1, offset + n)
    let queryPositions = MLXArray(Int32(offset) ..< Int32(offset + n)).reshaped(n, 1)
    var mask = queryPositions .>= keyPositions
    if let windowSize {
        mask = mask & (queryPositions .< keyPositions + Int32(windowSize))
    }
    if let lengths {
        mask = mask & (keyPositions .< lengths.reshaped(-1, 1, 1, 1))
    }
    return mask
}

/// The mask for `n` queries against `cache` (or against themselves when there is no cache).
public func makeAttentionMask(
    n: Int, cache: KVCache?, windowSize: Int? = nil, returnArray: Bool = false
) -> MLXFast.ScaledDotProductAttentionMaskMode {
    if let cache { return cache.makeMask(n: n, windowSize: windowSize, returnArray: returnArray) }
    return uncachedMask(n: n, windowSize: windowSize, returnArray: returnArray)
}

/// The mask for the hidden states `h` (`[batch, length, ...]`) against `cache`.
public func createAttentionMask(
    h: MLXArray, cache: KVCache?, windowSize: Int? = nil, returnArray: Bool = false
) -> MLXFast.ScaledDotProductAttentionMaskMode {
    makeAttentionMask(n: h.dim(1), cache: cache, windowSize: windowSize, returnArray: returnArray)
}

private func uncachedMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode {
    if n == 1 { return .none }
    if returnArray || (windowSize.map { n > $0 } ?? false) {
        return .array(createCausalMask(n: n, offset: 0, windowSize: windowSize))
    }
    return .causal
}

/// Keys and values grown in steps of `step` positions; only the first `offset` are live.
public class KVCacheSimple: BaseKVCache, CustomDebugStringConvertible {
    var keys: MLXArray?
    var values: MLXArray?
    public var step = 256

    public override init() {}

    public override func innerState() -> [MLXArray] { [keys, values].compactMap { $0 } }

    public override func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let start = offset
        let end = start + newKeys.dim(2)
        if keys == nil || end > keys!.dim(2) {
            grow(toHold: newKeys, newValues, live: start)
        }
        offset = end
        keys![.ellipsis, start ..< end, 0...] = newKeys
        values![.ellipsis, start ..< end, 0...] = newValues
        return (keys![.ellipsis, ..<end, 0...], values![.ellipsis, ..<end, 0...])
    }

    /// Adds room for `newKeys` in whole steps, first dropping slots past the `live` ones when the
    /// buffers are not a whole number of steps.
    func grow(toHold newKeys: MLXArray, _ newValues: MLXArray, live: Int) {
        let steps = (step + newKeys.dim(2) - 1) / step
        let room = steps * step
        let blankKeys = MLXArray.zeros(
            [newKeys.dim(0), newKeys.dim(1), room, newKeys.dim(3)], dtype: newKeys.dtype)
        let blankValues = MLXArray.zeros(
            [newValues.dim(0), newValues.dim(1), room, newValues.dim(3)], dtype: newValues.dtype)
        guard var heldKeys = keys, var heldValues = values else {
            keys = blankKeys
            values = blankValues
            return
        }
        if live % step != 0 {
            heldKeys = heldKeys[.ellipsis, ..<live, 0...]
            heldValues = heldValues[.ellipsis, ..<live, 0...]
        }
        keys = concatenated([heldKeys, blankKeys], axis: 2)
        values = concatenated([heldValues, blankValues], axis: 2)
    }

    public override var state: [MLXArray] {
        get {
            guard let keys, let values else { return [] }
            if offset == keys.dim(2) { return [keys, values] }
            return [keys[.ellipsis, ..<offset, 0...], values[.ellipsis, ..<offset, 0...]]
        }
        set {
            precondition(newValue.count == 2, "KVCacheSimple's state is its keys and values")
            keys = newValue[0]
            values = newValue[1]
            offset = newValue[0].dim(2)
        }
    }

    public override var isTrimmable: Bool { true }

    @discardableResult
    public override func trim(_ n: Int) -> Int {
        let removed = min(offset, n)
        offset -= removed
        return removed
    }

    public override func copy() -> any KVCache {
        let twin = KVCacheSimple()
        twin.step = step
        let held = state
        if !held.isEmpty { twin.state = held.map { $0[.ellipsis] } }
        return twin
    }

    public var debugDescription: String {
        "KVCacheSimple offset: \(offset), step: \(step), keys: \(keys?.shape.description ?? "-")"
    }
}

/// A ring of at most `maxSize` positions whose first `keep` positions are never overwritten: what a
/// sliding-window layer (or a bounded `maxKVSize`) needs.
public class RotatingKVCache: BaseKVCache, CustomDebugStringConvertible {
    private var keep: Int
    private var ringSize: Int
    private var step: Int
    private var keys: MLXArray?
    private var values: MLXArray?
    /// The slot the next single-token update writes.
    private var writeIndex = 0

    public override var maxSize: Int? { ringSize }

    public init(maxSize: Int, keep: Int = 0, step: Int = 256) {
        ringSize = maxSize
        self.keep = keep
        self.step = step
    }

    public override func innerState() -> [MLXArray] { [keys, values].compactMap { $0 } }

    /// Drops `count` positions after the kept ones and appends `tail`.
    private func dropping(_ count: Int, from v: MLXArray, appending tail: MLXArray? = nil) -> MLXArray {
        var parts = count > 0 ? [v[.ellipsis, ..<keep, 0...], v[.ellipsis, (keep + count)..., 0...]] : [v]
        if let tail { parts.append(tail) }
        return concatenated(parts, axis: 2)
    }

    /// The held positions, oldest first.
    private func inTemporalOrder(_ v: MLXArray) -> MLXArray {
        if writeIndex == v.dim(2) { return v }
        if writeIndex < offset {
            return concatenated(
                [v[.ellipsis, ..<keep, 0...], v[.ellipsis, writeIndex..., 0...], v[.ellipsis, keep ..< writeIndex, 0...]],
                axis: 2)
        }
        return v[.ellipsis, ..<writeIndex, 0...]
    }

    /// Several tokens at once: the ring is put in order, cut to `maxSize - 1` positions, and the new
    /// ones appended (so this step's queries see a full window).
    private func appendMany(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        if let heldKeys = keys, let heldValues = values {
            let orderedKeys = inTemporalOrder(heldKeys)
            let orderedValues = inTemporalOrder(heldValues)
            let excess = orderedKeys.dim(2) - ringSize + 1
            keys = dropping(excess, from: orderedKeys, appending: newKeys)
            values = dropping(excess, from: orderedValues, appending: newValues)
        } else {
            keys = newKeys
            values = newValues
        }
        offset += newKeys.dim(2)
        writeIndex = keys!.dim(2)
        return (keys!, values!)
    }

    /// One token: written into its slot, the ring growing in steps until it reaches `maxSize`.
    private func writeOne(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let start = offset
        let count = newKeys.dim(2)
        if keys == nil || (start >= keys!.dim(2) && keys!.dim(2) < ringSize) {
            let room = min(step, ringSize - start)
            let blankKeys = MLXArray.zeros(
                [newKeys.dim(0), newKeys.dim(1), room, newKeys.dim(3)], dtype: newKeys.dtype)
            let blankValues = MLXArray.zeros(
                [newValues.dim(0), newValues.dim(1), room, newValues.dim(3)], dtype: newValues.dtype)
            if let heldKeys = keys, let heldValues = values {
                keys = concatenated([heldKeys, blankKeys], axis: 2)
                values = concatenated([heldValues, blankValues], axis: 2)
            } else {
                keys = blankKeys
                values = blankValues
            }
            writeIndex = start
        }
        let excess = keys!.dim(2) - ringSize
        if excess > 0 {
            keys = dropping(excess, from: keys!)
            values = dropping(excess, from: values!)
            writeIndex = ringSize
        }
        if writeIndex == ringSize { writeIndex = keep }
        keys![.ellipsis, writeIndex ..< (writeIndex + count), 0...] = newKeys
        values![.ellipsis, writeIndex ..< (writeIndex + count), 0...] = newValues
        offset += count
        writeIndex += count
        if offset < ringSize {
            return (keys![.ellipsis, ..<offset, 0...], values![.ellipsis, ..<offset, 0...])
        }
        return (keys!, values!)
    }

    public override func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        newKeys.dim(2) == 1
            ? writeOne(keys: newKeys, values: newValues) : appendMany(keys: newKeys, values: newValues)
    }

    public override var state: [MLXArray] {
        get {
            guard let keys, let values else { return [] }
            if offset < keys.dim(2) { return [keys[.ellipsis, ..<offset, 0...], values[.ellipsis, ..<offset, 0...]] }
            return [keys, values]
        }
        set {
            precondition(newValue.count == 2, "RotatingKVCache's state is its keys and values")
            keys = newValue[0]
            values = newValue[1]
        }
    }

    public override var metaState: [String] {
        get { [String(keep), String(ringSize), String(step), String(offset), String(writeIndex)] }
        set {
            precondition(newValue.count == 5, "RotatingKVCache's meta state has five values")
            guard let keep = Int(newValue[0]), let size = Int(newValue[1]), let step = Int(newValue[2]),
                let offset = Int(newValue[3]), let index = Int(newValue[4])
            else { preconditionFailure("RotatingKVCache's meta state holds integers: \(newValue)") }
            self.keep = keep
            ringSize = size
            self.step = step
            self.offset = offset
            writeIndex = index
        }
    }

    public override var isTrimmable: Bool { offset < ringSize }

    @discardableResult
    public override func trim(_ n: Int) -> Int {
        let removed = min(offset, n)
        offset -= removed
        writeIndex -= removed
        return removed
    }

    public override func makeMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode {
        if n > 1 {
            let window = windowSize ?? ringSize
            let held = min(ringSize - 1, offset)
            if held + n > window || returnArray {
                return .array(createCausalMask(n: n, offset: held, windowSize: window))
            }
            return .causal
        }
        guard let windowSize else { return .none }
        // A window shorter than the ring: once the ring holds more than the window, the single query
        // sees the newest `windowSize` slots, which sit just before the write index.
        if offset >= windowSize && ringSize > windowSize {
            let index = writeIndex >= ringSize ? 0 : writeIndex
            let size = offset < ringSize ? offset + 1 : ringSize
            let visible = MLXArray(Int32(0) ..< Int32(size)) .>= Int32(size - windowSize)
            return .array(rotated(visible, by: index + 1))
        }
        return .none
    }

    public override func copy() -> any KVCache {
        let twin = RotatingKVCache(maxSize: ringSize, keep: keep, step: step)
        let held = state
        if !held.isEmpty { twin.state = held.map { $0[.ellipsis] } }
        twin.metaState = metaState
        return twin
    }

    public var debugDescription: String {
        "RotatingKVCache offset: \(offset), maxSize: \(ringSize), keep: \(keep), index: \(writeIndex)"
    }
}

/// Rolls a vector `shift` places towards its end, wrapping around.
private func rotated(_ v: MLXArray, by shift: Int) -> MLXArray {
    let n = v.dim(0)
    let s = ((shift % n) + n) % n
    if s == 0 { return v }
    return concatenated([v[(n - s)...], v[..<(n - s)]], axis: 0)
}

/// A growing cache that can drop everything but the last `chunkSize` positions
/// (`maybeTrimFront()`), for chunked attention.
public class ChunkedKVCache: KVCacheSimple {
    private var chunkSize: Int?
    /// The absolute position of the first held key.
    private var startPosition = 0

    public init(chunkSize: Int? = nil) {
        self.chunkSize = chunkSize
    }

    public func maybeTrimFront() {
        guard let heldKeys = keys, let chunkSize, heldKeys.dim(2) >= chunkSize else { return }
        startPosition += heldKeys.dim(2) - chunkSize
        keys = heldKeys[.ellipsis, (-chunkSize)..., 0...]
        values = values?[.ellipsis, (-chunkSize)..., 0...]
    }

    public override func update(keys newKeys: MLXArray, values newValues: MLXArray) -> (MLXArray, MLXArray) {
        let start = offset - startPosition
        let end = start + newKeys.dim(2)
        if keys == nil || end > keys!.dim(2) {
            grow(toHold: newKeys, newValues, live: start)
        }
        offset += newKeys.dim(2)
        keys![.ellipsis, start ..< end, 0...] = newKeys
        values![.ellipsis, start ..< end, 0...] = newValues
        return (keys![.ellipsis, ..<end, 0...], values![.ellipsis, ..<end, 0...])
    }

    @discardableResult
    public override func trim(_ n: Int) -> Int {
        let removed = min(offset - startPosition, n)
        offset -= removed
        return removed
    }

    public override func copy() -> any KVCache {
        let twin = ChunkedKVCache(chunkSize: chunkSize)
        twin.step = step
        let held = state
        if !held.isEmpty { twin.state = held.map { $0[.ellipsis] } }
        twin.metaState = metaState
        return twin
    }

    public override var metaState: [String] {
        get { [chunkSize.map(String.init) ?? "None", String(startPosition)] }
        set {
            precondition(newValue.count == 2, "ChunkedKVCache's meta state has two values")
            chunkSize = Int(newValue[0])
            startPosition = Int(newValue[1]) ?? 0
        }
    }
}

/// A cache of a fixed number of arrays (slots), for layers whose state is not keys and values: the
/// input a convolution still needs, a recurrent state. Its offset counts nothing; attention masks
/// come from the caches of attention layers.
public class ArraysCache: BaseKVCache {
    fileprivate var cache: [MLXArray?]
    internal var leftPadding: MLXArray?
    internal var lengths: MLXArray?

    public init(size: Int, leftPadding: [Int]? = nil) {
        cache = Array(repeating: nil, count: size)
        self.leftPadding = leftPadding.map { MLXArray($0) }
    }

    public override func innerState() -> [MLXArray] { cache.compactMap { $0 } }

    public subscript(index: Int) -> MLXArray? {
        get { cache[index] }
        set { cache[index] = newValue }
    }

    public override var state: [MLXArray] {
        get { cache.compactMap { $0 } }
        set { cache = newValue.map { $0 } }
    }

    public override func copy() -> any KVCache {
        let twin = ArraysCache(size: cache.count)
        copyContents(to: twin)
        return twin
    }

    internal func copyContents(to twin: ArraysCache) {
        twin.cache = cache.map { $0?[.ellipsis] }
        twin.offset = offset
        twin.leftPadding = leftPadding
        twin.lengths = lengths
    }

    public override func prepare(lengths: [Int]?) { self.lengths = lengths.map { MLXArray($0) } }
    public override func prepare(lengths: MLXArray?) { self.lengths = lengths }

    public override func finalize() {
        lengths = nil
        leftPadding = nil
    }

    /// Moves the batch's padding and lengths on by `N` positions, as a step consumes them.
    public func advance(_ N: Int) {
        if let held = lengths { lengths = held - N }
        if let held = leftPadding { leftPadding = held - N }
    }

    public var currentLengths: MLXArray? { lengths }

    /// Which of `N` positions of each row are real, from the left padding or the lengths; nil when
    /// every position is.
    public func makeMask(N: Int) -> MLXArray? {
        let positions = MLXArray(0 ..< N)
        if let leftPadding { return positions .>= leftPadding[0..., .newAxis] }
        if let lengths { return positions .< lengths[0..., .newAxis] }
        return nil
    }
}

/// The two slots a Mamba layer keeps: its convolution's input and its recurrent state.
public class MambaCache: ArraysCache {
    public init(leftPadding: [Int]? = nil) {
        super.init(size: 2, leftPadding: leftPadding)
    }

    public override func copy() -> any KVCache {
        let twin = MambaCache()
        copyContents(to: twin)
        return twin
    }
}

/// The mask of the real positions of `h` for the layers keeping `cache` (nil without padding).
public func createSSMMask(h: MLXArray, cache: MambaCache?) -> MLXArray? {
    cache?.makeMask(N: h.dim(1))
}
