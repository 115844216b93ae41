// Building blocks the generated models share beyond MLXNN: the (1 + weight) RMSNorm, float16-safe
// residuals, the scaled embedding and activations named by a config.
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
        // 1 + weight in float32 and one rounding at the end, as transformers computes it (mlx-lm
        // adds in the weight's dtype, which in bfloat16 rounds the sum first).
        MLXFast.rmsNorm(x, weight: 1 + weight.asType(.float32), eps: eps).asType(x.dtype)
    }
}

/// LayerNorm whose scale is stored as its offset from one: normalised x times (1 + weight), plus
/// bias. The sum is taken in the weight's dtype, as both references take it.
public final class OnePlusLayerNorm: Module, UnaryLayer {
    public let weight: MLXArray
    public let bias: MLXArray
    public let eps: Float

    public init(dimensions: Int, eps: Float = 1e-5) {
        weight = MLXArray.zeros([dimensions])
        bias = MLXArray.zeros([dimensions])
        self.eps = eps
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        MLXFast.layerNorm(x, weight: weight + 1, bias: bias, eps: eps)
    }
}

/// LayerNorm over each head's last axis with a weight of its own for every head (`[heads, dimensions]`)
/// and no bias, for queries and keys split into heads. Normalised and scaled in float32 with one
/// rounding at the end, as transformers computes it.
public final class PerHeadLayerNorm: Module, UnaryLayer {
    public let weight: MLXArray
    public let eps: Float

    public init(_ heads: Int, _ dimensions: Int, eps: Float = 1e-5) {
        weight = MLXArray.ones([heads, dimensions])
        self.eps = eps
    }

    /// `x` is `[..., heads, dimensions]`.
    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        let normed = MLXFast.layerNorm(x.asType(.float32), weight: nil, bias: nil, eps: eps)
        return (weight.asType(.float32) * normed).asType(x.dtype)
    }
}

/// xIELU (arXiv 2411.13010) with its learned parameters, as transformers keeps them under `act_fn`:
/// `alpha_p` and `alpha_n` of shape [1] (before softplus), `beta` and `eps` scalars.
public final class XIELU: Module, UnaryLayer {
    @ParameterInfo(key: "alpha_p") var alphaP: MLXArray
    @ParameterInfo(key: "alpha_n") var alphaN: MLXArray
    @ParameterInfo(key: "beta") var beta: MLXArray
    @ParameterInfo(key: "eps") var eps: MLXArray

    public override init() {
        _alphaP.wrappedValue = MLXArray.zeros([1])
        _alphaN.wrappedValue = MLXArray.zeros([1])
        _beta.wrappedValue = MLXArray(Float(0.5))
        _eps.wrappedValue = MLXArray(Float(-1e-6))
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        let positive = softplus(alphaP)
        let negative = beta + softplus(alphaN)
        // exp(m) - 1 for expm1, which the API subset lacks; m <= eps stays near or below zero.
        let m = minimum(x, eps)
        return MLX.where(
            x .> 0, positive * x * x + beta * x, (exp(m) - 1 - x) * negative + beta * x)
    }
}

/// The weights with every learned activation's `alpha_p` and `alpha_n` shaped [1], as transformers
/// saves them (mlx-lm's conversions hold scalars).
public func shapingLearnedActivations(_ weights: [String: MLXArray]) -> [String: MLXArray] {
    var out = weights
    for (key, value) in weights
    where value.ndim == 0 && (key.hasSuffix(".act_fn.alpha_p") || key.hasSuffix(".act_fn.alpha_n")) {
        out[key] = value.reshaped(1)
    }
    return out
}

/// `x + y`, except in float16, where the sum is taken in float32 and clipped to the float16
/// range so that large activations do not overflow to infinity.
public func clipResidual(_ x: MLXArray, _ y: MLXArray) -> MLXArray {
    guard x.dtype == .float16 else { return x + y }
    let bound = Float(Float16.greatestFiniteMagnitude)
    return clip(x.asType(.float32) + y.asType(.float32), min: -bound, max: bound).asType(.float16)
}

/// The embedding output times sqrt(hidden size), the factor in the embedding's dtype (rounded to
/// bfloat16 in a bfloat16 model), as transformers scales it.
public func scaleEmbedding(_ h: MLXArray, hiddenSize: Int) -> MLXArray {
    let factor = Float(Double(hiddenSize).squareRoot())
    return h * factor
}

/// An activation a config names (`hidden_act`), with the meaning transformers gives the name; a
/// name it does not list is refused when the configuration is decoded.
public struct Activation: Decodable, Sendable, Equatable, CustomStringConvertible {
    public let name: String

    public static let supported = [
        "gelu", "gelu_fast", "gelu_new", "gelu_pytorch_tanh", "relu", "relu2", "silu", "swish",
        "gelu_python",
    ]

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard Self.supported.contains(name) else {
            let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigurationError.unsupportedValue(key: key, value: "\"\(name)\"", supported: Self.supported)
        }
        self.name = name
    }

    public var description: String { name }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        switch name {
        // gelu_python is transformers' own erf formula, the exact GELU again.
        case "gelu", "gelu_python": gelu(x)
        // gelu_new, gelu_fast and gelu_pytorch_tanh are one formula, tanh(sqrt(2/pi) (x + 0.044715 x^3)).
        case "gelu_fast", "gelu_new", "gelu_pytorch_tanh": geluApproximate(x)
        case "relu": relu(x)
        case "relu2": square(relu(x))
        default: silu(x)
        }
    }
}

extension Activation {
    /// A name the family document gives as a default; the generator only writes supported ones.
    public init(_ name: StaticString) {
        self.name = "\(name)"
        precondition(Self.supported.contains(self.name), "unsupported activation \(self.name)")
    }
}

/// The rows of a learned position table for `length` tokens after `offset` earlier ones: the
/// offset of a cache counts every token it has seen (a rotating cache's too), so a cached step
/// continues where the prompt ended. A position past the table has no row; `validatePositions`
/// refuses such an input before it reaches here.
public func learnedPositions(offset: Int, length: Int, table: Int) -> MLXArray {
    precondition(offset + length <= table, "position \(offset + length - 1) is past the \(table) learned positions")
    return MLXArray(Int32(offset) ..< Int32(offset + length))
}

/// A norm with a weight, which a float32 residual stream reaches in that weight's dtype.
public protocol WeightedNorm: UnaryLayer {
    var weight: MLXArray { get }
}

extension WeightedNorm {
    /// Normalises `x` cast to the weight's dtype first: a float32 residual stream (transformers'
    /// `residual_in_fp32`) feeds blocks that compute in the checkpoint's dtype.
    public func castingInput(_ x: MLXArray) -> MLXArray { callAsFunction(x.asType(weight.dtype)) }
}

extension RMSNorm: WeightedNorm {}
extension OnePlusRMSNorm: WeightedNorm {}
