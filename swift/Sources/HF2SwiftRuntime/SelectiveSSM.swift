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
