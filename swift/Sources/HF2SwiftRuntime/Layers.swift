// Building blocks the generated models share beyond MLXNN: the (1 + weight) RMSNorm, float16-safe
// residuals and the scaled embedding.
import Foundation
import MLX
import MLXNN

/// RMSNorm whose checkpoint weights are stored around zero: x * rsqrt(mean(x^2) + eps) * (1 + weight).
public final class OnePlusRMSNorm: Module, UnaryLayer {
    public let weight: MLXArray
    public let eps: Float

    public init(dimensions: Int, eps: Float = 1e-6) {
        weight = MLXArray.ones([dimensions])
        self.eps = eps
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        MLXFast.rmsNorm(x, weight: 1 + weight, eps: eps)
    }
}

/// `x + y`, except in float16, where the sum is taken in float32 and clipped to the float16
/// range so that large activations do not overflow to infinity.
public func clipResidual(_ x: MLXArray, _ y: MLXArray) -> MLXArray {
    guard x.dtype == .float16 else { return x + y }
    let bound = Float(Float16.greatestFiniteMagnitude)
    return clip(x.asType(.float32) + y.asType(.float32), min: -bound, max: bound).asType(.float16)
}

/// The embedding output times sqrt(hidden size); with `roundToBFloat16`, the factor is rounded to
/// bfloat16 first, as Gemma 3 does in every dtype.
public func scaleEmbedding(_ h: MLXArray, hiddenSize: Int, roundToBFloat16: Bool) -> MLXArray {
    let factor = Float(Double(hiddenSize).squareRoot())
    if roundToBFloat16 {
        return h * MLXArray(bfloat16: factor).asType(h.dtype)
    }
    return h * factor
}
