// The gated delta-rule mixer's runtime: the recurrence over positions, its state carried in the
// second slot of the layer's cache (the first holds the convolution's last inputs), and the RMS norm
// its output passes, gated by silu(z).
import Foundation
import MLX
import MLXLMCommon
import MLXNN

/// An RMS norm over the last axis whose result, scaled by `weight` (as stored, around one), is
/// multiplied by silu(gate): normalised in float32 and rounded to the input's dtype before the
/// weight, the gate applied in float32, the product rounded once.
open class GatedRMSNorm: Module {
    public let weight: MLXArray
    public let eps: Float

    public init(dimensions: Int, eps: Float) {
        weight = MLXArray.ones([dimensions])
        self.eps = eps
        super.init()
    }

    open func callAsFunction(_ x: MLXArray, gate: MLXArray) -> MLXArray {
        let wide = x.asType(.float32)
        let normed = (wide * rsqrt(mean(wide * wide, axis: -1, keepDims: true) + eps)).asType(x.dtype)
        return ((weight * normed).asType(.float32) * silu(gate.asType(.float32))).asType(x.dtype)
    }
}

/// `x` divided by its L2 norm over the last axis, eps added to the sum of squares.
func l2Normalized(_ x: MLXArray, eps: Float = 1e-6) -> MLXArray {
    x * rsqrt(sum(x * x, axis: -1, keepDims: true) + eps)
}

/// The gated delta rule over `queries` and `keys` `[B, L, keyHeads, Dk]` and `values`
/// `[B, L, valueHeads, Dv]` (each key head serving valueHeads / keyHeads consecutive value heads),
/// with `a` and `b` `[B, L, valueHeads]`: beta = sigmoid(b), g = -exp(`aLog`) softplus(a + `dtBias`).
/// q and k are L2-normalised per head in float32 and q scaled by Dk^-0.5; per position the state S
/// `[B, valueHeads, Dv, Dk]` (float32, as transformers keeps it) decays by exp(g), takes
/// beta (v - S k) k^T, and gives S q. S starts from the cache's slot 1 (zeros without one) and is
/// left there for the next call. Returns `[B, L, valueHeads, Dv]` in the values' dtype.
public func gatedDeltaRule(
    queries: MLXArray, keys: MLXArray, values: MLXArray, a: MLXArray, b: MLXArray,
    aLog: MLXArray, dtBias: MLXArray, cache: ArraysCache?
) -> MLXArray {
    let (batch, length) = (values.dim(0), values.dim(1))
    let (valueHeads, valueHeadDim, keyHeadDim) = (values.dim(2), values.dim(3), keys.dim(3))
    let group = valueHeads / keys.dim(2)
    // beta is rounded to the input's dtype before the recurrence widens it, as transformers does.
    let beta = sigmoid(b).asType(.float32)
    let decay = exp(-exp(aLog.asType(.float32)) * softplus(a.asType(.float32) + dtBias.asType(.float32)))
    var q = l2Normalized(queries.asType(.float32)) * Float(pow(Double(keyHeadDim), -0.5))
    var k = l2Normalized(keys.asType(.float32))
    if group > 1 {
        q = repeated(q, count: group, axis: 2)
        k = repeated(k, count: group, axis: 2)
    }
    let v = values.asType(.float32)
    var state = cache?[1] ?? MLXArray.zeros([batch, valueHeads, valueHeadDim, keyHeadDim], dtype: .float32)
    var outputs: [MLXArray] = []
    for t in 0 ..< length {
        let kt = k[0..., t, 0..., 0...]
        state = state * decay[0..., t, 0...].expandedDimensions(axes: [-1, -2])
        let remembered = matmul(state, kt.expandedDimensions(axis: -1)).squeezed(axis: -1)
        let delta = (v[0..., t, 0..., 0...] - remembered) * beta[0..., t, 0...].expandedDimensions(axis: -1)
        state = state + delta.expandedDimensions(axis: -1) * kt.expandedDimensions(axis: -2)
        outputs.append(matmul(state, q[0..., t, 0..., 0...].expandedDimensions(axis: -1)).squeezed(axis: -1))
    }
    cache?[1] = state
    return stacked(outputs, axis: 1).asType(values.dtype)
}
