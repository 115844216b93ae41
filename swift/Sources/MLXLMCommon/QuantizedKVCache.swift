// Linux reference of mlx-swift-lm's quantized KV cache (MLXLMCommon 3.31.4): keys and values kept as
// affine-quantized codes with their scales and biases, attention computed on them directly, and the
// conversion `maybeQuantizeKVCache` applies to growing caches during generation.
import Foundation
import MLX
import MLXNN

/// Packed codes, scales and (affine) biases of quantized keys or values.
typealias QuantizedTensors = (MLXArray, MLXArray, MLXArray?)

/// A cache that holds its keys and values quantized; attention reads them through `updateQuantized`.
public protocol QuantizedKVCacheProtocol: KVCache {
    var groupSize: Int { get }
    var bits: Int { get }
    var mode: QuantizationMode { get }

    func updateQuantized(keys: MLXArray, values: MLXArray) -> ((MLXArray, MLXArray, MLXArray?), (MLXArray, MLXArray, MLXArray?))
    func getQuantizedState() -> ((MLXArray, MLXArray, MLXArray?), (MLXArray, MLXArray, MLXArray?))?
}

/// The supported group size (32, 64 or 128) dividing both head sizes that is nearest `requested`
/// (the smaller on a tie); nil when none divides both.
private func fittingGroupSize(requested: Int, keyHeadDim: Int, valueHeadDim: Int) -> Int? {
    let wanted = max(1, requested)
    return [32, 64, 128].filter { keyHeadDim % $0 == 0 && valueHeadDim % $0 == 0 }
        .min { (abs($0 - wanted), $0) < (abs($1 - wanted), $1) }
}

private func mapQuantized(_ t: QuantizedTensors, _ f: (MLXArray) -> MLXArray) -> QuantizedTensors {
    (f(t.0), f(t.1), t.2.map(f))
}

public class QuantizedKVCache: BaseKVCache, QuantizedKVCacheProtocol {
    private var keys: QuantizedTensors?
    private var values: QuantizedTensors?
    private let step = 256
    public private(set) var groupSize: Int
    public private(set) var bits: Int
    public let mode: QuantizationMode

    public init(groupSize: Int = 64, bits: Int = 8, mode: QuantizationMode = .affine) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
    }

    public override func innerState() -> [MLXArray] {
        [keys?.0, keys?.1, keys?.2, values?.0, values?.1, values?.2].compactMap { $0 }
    }

    public func getQuantizedState() -> ((MLXArray, MLXArray, MLXArray?), (MLXArray, MLXArray, MLXArray?))? {
        guard let keys, let values else { return nil }
        let live = offset
        return (mapQuantized(keys) { $0[.ellipsis, ..<live, 0...] }, mapQuantized(values) { $0[.ellipsis, ..<live, 0...] })
    }

    /// Quantized zeros of `shape + [width]`, what the buffers grow by.
    private func blank(_ shape: [Int], width: Int, dtype: DType) -> QuantizedTensors {
        let q = quantized(MLXArray.zeros(shape + [width], dtype: dtype), groupSize: groupSize, bits: bits)
        return (q.wq, q.scales, q.biases)
    }

    public func updateQuantized(keys newKeys: MLXArray, values newValues: MLXArray) -> ((MLXArray, MLXArray, MLXArray?), (MLXArray, MLXArray, MLXArray?)) {
        let (batch, heads, count) = (newKeys.dim(0), newKeys.dim(1), newKeys.dim(2))
        let (keyWidth, valueWidth) = (newKeys.dim(3), newValues.dim(3))
        let start = offset
        let fitting = fittingGroupSize(requested: groupSize, keyHeadDim: keyWidth, valueHeadDim: valueWidth)
        if let fitting, fitting != groupSize, keys == nil, values == nil, offset == 0 {
            groupSize = fitting
        }
        precondition(
            fitting != nil,
            "KV cache quantization needs head sizes divisible by 32, 64 or 128 (keys \(keyWidth), values \(valueWidth))")
        if keys == nil || start + count > keys!.0.dim(-2) {
            let room = ((step + count - 1) / step) * step
            let shape = [batch, heads, room]
            if var heldKeys = keys, var heldValues = values {
                if start % step != 0 {
                    heldKeys = mapQuantized(heldKeys) { $0[.ellipsis, ..<start, 0...] }
                    heldValues = mapQuantized(heldValues) { $0[.ellipsis, ..<start, 0...] }
                }
                let grow: (MLXArray) -> MLXArray = {
                    concatenated([$0, MLXArray.zeros(shape + [$0.dim(-1)], dtype: $0.dtype)], axis: -2)
                }
                keys = mapQuantized(heldKeys, grow)
                values = mapQuantized(heldValues, grow)
            } else {
                keys = blank(shape, width: keyWidth, dtype: newKeys.dtype)
                values = blank(shape, width: valueWidth, dtype: newKeys.dtype)
            }
        }
        offset += count
        let end = offset
        let qk = quantized(newKeys, groupSize: groupSize, bits: bits)
        let qv = quantized(newValues, groupSize: groupSize, bits: bits)
        keys!.0[.ellipsis, start ..< end, 0...] = qk.wq
        keys!.1[.ellipsis, start ..< end, 0...] = qk.scales
        if let biases = qk.biases { keys!.2![.ellipsis, start ..< end, 0...] = biases }
        values!.0[.ellipsis, start ..< end, 0...] = qv.wq
        values!.1[.ellipsis, start ..< end, 0...] = qv.scales
        if let biases = qv.biases { values!.2![.ellipsis, start ..< end, 0...] = biases }
        return (mapQuantized(keys!) { $0[.ellipsis, ..<end, 0...] }, mapQuantized(values!) { $0[.ellipsis, ..<end, 0...] })
    }

    /// Quantized caches are read through `updateQuantized`; as in mlx-swift-lm, this traps.
    public override func update(keys: MLXArray, values: MLXArray) -> (MLXArray, MLXArray) {
        fatalError("`update` was called on `QuantizedKVCache`. Use `updateQuantized` instead.")
    }

    public override var state: [MLXArray] {
        get {
            guard let keys, let values else { return [] }
            let live = offset
            let trim: (MLXArray) -> MLXArray = { live < keys.0.dim(2) ? $0[.ellipsis, ..<live, 0...] : $0 }
            let (k, v) = (mapQuantized(keys, trim), mapQuantized(values, trim))
            return [k.0, k.1, k.2, v.0, v.1, v.2].compactMap { $0 }
        }
        set {
            switch newValue.count {
            case 4:
                keys = (newValue[0], newValue[1], nil)
                values = (newValue[2], newValue[3], nil)
            case 6:
                keys = (newValue[0], newValue[1], newValue[2])
                values = (newValue[3], newValue[4], newValue[5])
            default:
                preconditionFailure("QuantizedKVCache's state is 4 or 6 arrays")
            }
        }
    }

    public override var metaState: [String] {
        get { [String(step), String(offset), String(groupSize), String(bits)] }
        set {
            precondition(newValue.count == 4, "QuantizedKVCache's meta state has four values")
            guard let offset = Int(newValue[1]), let groupSize = Int(newValue[2]), let bits = Int(newValue[3]) else {
                preconditionFailure("QuantizedKVCache's meta state holds integers: \(newValue)")
            }
            self.offset = offset
            self.groupSize = groupSize
            self.bits = bits
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
        let twin = QuantizedKVCache(groupSize: groupSize, bits: bits, mode: mode)
        let held = state
        if !held.isEmpty { twin.state = held.map { $0[.ellipsis] } }
        twin.metaState = metaState
        return twin
    }

    public func toUnquantized() -> KVCacheSimple {
        let plain = KVCacheSimple()
        if let (k, v) = getQuantizedState() {
            plain.state = [
                dequantized(k.0, scales: k.1, biases: k.2, groupSize: groupSize, bits: bits, mode: mode),
                dequantized(v.0, scales: v.1, biases: v.2, groupSize: groupSize, bits: bits, mode: mode),
            ]
        }
        plain.offset = offset
        return plain
    }
}

extension KVCacheSimple {
    /// This cache's live keys and values, quantized (in groups that fit their head sizes).
    public func toQuantized(groupSize: Int = 64, bits: Int = 4) -> QuantizedKVCache {
        guard let keys, let values else {
            let empty = QuantizedKVCache(groupSize: groupSize, bits: bits)
            empty.offset = offset
            return empty
        }
        let liveKeys = keys[.ellipsis, ..<offset, 0...]
        let liveValues = values[.ellipsis, ..<offset, 0...]
        guard let fitting = fittingGroupSize(requested: groupSize, keyHeadDim: liveKeys.dim(3), valueHeadDim: liveValues.dim(3))
        else {
            preconditionFailure("KV cache quantization needs head sizes divisible by 32, 64 or 128")
        }
        let converted = QuantizedKVCache(groupSize: fitting, bits: bits)
        converted.offset = offset
        let qk = quantized(liveKeys, groupSize: fitting, bits: bits)
        let qv = quantized(liveValues, groupSize: fitting, bits: bits)
        converted.state = [qk.wq, qk.scales, qk.biases, qv.wq, qv.scales, qv.biases].compactMap { $0 }
        return converted
    }
}

/// Attention over quantized keys and values, queries grouped onto their key/value heads.
public func quantizedScaledDotProductAttention(
    queries: MLXArray, quantizedKeys: (MLXArray, MLXArray, MLXArray?), quantizedValues: (MLXArray, MLXArray, MLXArray?), scale: Float,
    mask: MLXFast.ScaledDotProductAttentionMaskMode = .none, groupSize: Int = 64, bits: Int = 8,
    mode: QuantizationMode = .affine
) -> MLXArray {
    let (batch, queryHeads, length, width) = (queries.dim(0), queries.dim(1), queries.dim(2), queries.dim(3))
    let kvHeads = quantizedKeys.0.dim(-3)
    let repeats = queryHeads / kvHeads
    var q = queries * scale
    var (k, v) = (quantizedKeys, quantizedValues)
    if repeats > 1 {
        q = q.reshaped([batch, kvHeads, repeats, length, width])
        k = mapQuantized(k) { expandedDimensions($0, axis: -3) }
        v = mapQuantized(v) { expandedDimensions($0, axis: -3) }
    }
    var scores = quantizedMM(q, k.0, scales: k.1, biases: k.2, transpose: true, groupSize: groupSize, bits: bits, mode: mode)
    // As mlx-swift-lm 3.31.4 does: a masked position scores the smallest positive normal float, not -inf.
    let masked = MLXArray(Float.leastNormalMagnitude)
    switch mask {
    case .causal:
        let (queryCount, keyCount) = (scores.dim(-2), scores.dim(-1))
        let queryPositions = MLXArray(0 ..< queryCount) + MLXArray(keyCount - queryCount)
        let keyPositions = MLXArray(0 ..< keyCount)
        let causal = greaterEqual(expandedDimensions(queryPositions, axis: -1), expandedDimensions(keyPositions, axis: -2))
        scores = MLX.where(causal, scores, masked)
    case .array(let array):
        scores = array.dtype == .bool ? MLX.where(array, scores, masked) : scores + array
    case .none:
        break
    default:
        if let array = mask.mask {
            scores = array.dtype == .bool ? MLX.where(array, scores, masked) : scores + array
        }
    }
    var output = quantizedMM(
        softmax(scores, axis: -1), v.0, scales: v.1, biases: v.2, transpose: false, groupSize: groupSize, bits: bits,
        mode: mode)
    if repeats > 1 { output = output.reshaped([batch, queryHeads, length, width]) }
    return output
}

/// The bits and group size an affine `kvScheme` names.
public func resolveAffineScheme(_ scheme: String?) -> (bits: Int, groupSize: Int)? {
    switch scheme {
    case "affine4": (4, 64)
    case "affine8": (8, 64)
    default: nil
    }
}

/// Once some growing cache holds more than `quantizedKVStart` tokens, turns every growing cache into
/// a quantized one (those whose head sizes allow a group size), as the generation loop does when
/// `kvBits` or `kvScheme` is set.
public func maybeQuantizeKVCache(
    cache: inout [KVCache], kvBits: Int?, kvGroupSize: Int = 64, quantizedKVStart: Int = 0, kvScheme: String? = nil
) {
    let bits: Int
    let group: Int
    if let scheme = resolveAffineScheme(kvScheme) {
        (bits, group) = (scheme.bits, scheme.groupSize)
    } else if let kvBits {
        (bits, group) = (kvBits, kvGroupSize)
    } else {
        return
    }
    guard cache.contains(where: { $0 is KVCacheSimple && $0.offset > quantizedKVStart }) else { return }
    for i in cache.indices {
        guard let growing = cache[i] as? KVCacheSimple else { continue }
        let held = growing.state
        if held.count == 2, fittingGroupSize(requested: group, keyHeadDim: held[0].dim(3), valueHeadDim: held[1].dim(3)) == nil {
            continue
        }
        cache[i] = growing.toQuantized(groupSize: group, bits: bits)
    }
}
