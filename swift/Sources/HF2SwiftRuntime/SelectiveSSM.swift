// The selective state-space mixer's runtime: the recurrence over positions, its state carried in
// the second slot of the layer's cache (the first holds the convolution's last inputs).
import Foundation
import MLX
import MLXLMCommon
import MLXNN

/// `x` normalised over its last axis without a weight, in float32 and returned in `x`'s dtype.
public func weightlessRMSNorm(_ x: MLXArray, eps: Float) -> MLXArray {
    let wide = x.asType(.float32)
    return (wide * rsqrt(mean(wide * wide, axis: -1, keepDims: true) + eps)).asType(x.dtype)
}

/// The selective scan of `x` `[B, L, inner]` (the convolution's activated output): per position,
/// h = exp(dt * A) * h + dt * x * B and y = C . h + D * x, with A = -exp(`aLog`) `[inner, state]`,
/// `dt` `[B, L, inner]` (after its softplus), `b` and `c` `[B, L, state]`, `d` `[inner]`. The state
/// is float32 throughout, as transformers keeps it; it starts from the cache's slot 1 (zeros
/// without one) and is left there for the next call. Returns `[B, L, inner]`, float32 where `d` is.
public func selectiveScan(
    _ x: MLXArray, dt: MLXArray, aLog: MLXArray, b: MLXArray, c: MLXArray, d: MLXArray,
    cache: ArraysCache?
) -> MLXArray {
    let a = -exp(aLog.asType(.float32))
    let dt = dt.asType(.float32)
    let wide = x.asType(.float32)
    let bWide = b.asType(.float32)
    var state = cache?[1] ?? MLXArray.zeros([x.dim(0), x.dim(2), a.dim(1)], dtype: .float32)
    var outputs: [MLXArray] = []
    for t in 0 ..< x.dim(1) {
        let step = dt[0..., t, 0...]
        let decay = exp(step.expandedDimensions(axis: -1) * a)
        let input = (step * wide[0..., t, 0...]).expandedDimensions(axis: -1)
            * bWide[0..., t, 0...].expandedDimensions(axis: 1)
        state = decay * state + input
        // The state meets C in the input's dtype, as both oracles read it out.
        let readOut = c[0..., t, 0...].expandedDimensions(axis: -1)
        outputs.append(matmul(state.asType(x.dtype), readOut).squeezed(axis: -1))
    }
    cache?[1] = state
    return stacked(outputs, axis: 1) + x * d.asType(.float32)
}

/// Throws unless `groups` divides the `heads` evenly, so each group's B and C serve as many heads.
public func validateHeadGroups(heads: (key: String, value: Int), groups: (key: String, value: Int)) throws {
    if groups.value < 1 || heads.value % groups.value != 0 {
        throw ConfigurationError.invalid(
            key: groups.key, reason: "is \(groups.value), which does not divide the \(heads.value) heads into groups")
    }
}

/// The head-wise scan of `x` `[B, L, heads * headDim]` (the convolution's activated output): with
/// dt = softplus(`dt` + `dtBias`) `[B, L, heads]`, clipped to `limit` where given, and A = -exp(`aLog`)
/// one scalar per head, each head's state h `[headDim, state]` becomes exp(dt A) h + dt x B at each
/// position and its output C . h + D x. `b` and `c` `[B, L, groups * state]` hold one B and C per
/// group, read by `heads / groups` consecutive heads. The state is float32 throughout, as both
/// oracles keep it; it starts from the cache's slot 1 (zeros without one) and is left there for the
/// next call. Returns `[B, L, heads * headDim]` in float32.
public func headwiseScan(
    _ x: MLXArray, dt: MLXArray, dtBias: MLXArray, aLog: MLXArray, b: MLXArray, c: MLXArray, d: MLXArray,
    heads: Int, groups: Int, limit: FloatRange?, cache: ArraysCache?
) -> MLXArray {
    let (batch, length) = (x.dim(0), x.dim(1))
    let headDim = x.dim(2) / heads
    let state = b.dim(2) / groups
    var step = softplus(dt.asType(.float32) + dtBias.asType(.float32))
    if let limit { step = clip(step, min: limit.low, max: limit.high) }
    let a = -exp(aLog.asType(.float32))
    let wide = x.asType(.float32).reshaped([batch, length, heads, headDim])
    // Group g's B and C serve heads g * heads / groups ..< (g + 1) * heads / groups.
    func perHead(_ m: MLXArray) -> MLXArray {
        repeated(m.asType(.float32).reshaped([batch, length, groups, state]), count: heads / groups, axis: 2)
    }
    let bHeads = perHead(b)
    let cHeads = perHead(c)
    var h = cache?[1] ?? MLXArray.zeros([batch, heads, headDim, state], dtype: .float32)
    var outputs: [MLXArray] = []
    for t in 0 ..< length {
        let s = step[0..., t, 0...]
        let decay = exp(s * a).reshaped([batch, heads, 1, 1])
        let input = (s.expandedDimensions(axis: -1) * wide[0..., t, 0..., 0...]).expandedDimensions(axis: -1)
            * bHeads[0..., t, 0..., 0...].expandedDimensions(axis: 2)
        h = decay * h + input
        outputs.append(matmul(h, cHeads[0..., t, 0..., 0...].expandedDimensions(axis: -1)).squeezed(axis: -1))
    }
    cache?[1] = h
    let y = stacked(outputs, axis: 1) + wide * d.asType(.float32).reshaped([heads, 1])
    return y.reshaped([batch, length, heads * headDim])
}

/// Mamba-2's gated norm: `y` times silu(`gate`), RMS-normalised over each of `groups` equal parts of
/// the last axis in float32, then scaled by `weight`; with `normBeforeGate`, `y` normalised and
/// scaled first, then times silu(`gate`). Returns float32 where the weight is.
open class GroupedGatedRMSNorm: Module {
    public let weight: MLXArray
    public let groups: Int
    public let eps: Float

    /// Normalise y first and gate the result, instead of normalising the gated y.
    public let normBeforeGate: Bool

    public init(dimensions: Int, groups: Int, eps: Float, normBeforeGate: Bool = false) {
        weight = MLXArray.ones([dimensions])
        self.groups = groups
        self.eps = eps
        self.normBeforeGate = normBeforeGate
        super.init()
    }

    open func callAsFunction(_ y: MLXArray, gate: MLXArray) -> MLXArray {
        let gateFactor = silu(gate.asType(.float32))
        let input = normBeforeGate ? y.asType(.float32) : y.asType(.float32) * gateFactor
        let shape = input.shape
        let parts = input.reshaped(Array(shape.dropLast()) + [groups, shape.last! / groups])
        let normed = weight * (parts * rsqrt(mean(parts * parts, axis: -1, keepDims: true) + eps)).reshaped(shape)
        return normBeforeGate ? normed * gateFactor : normed
    }
}
