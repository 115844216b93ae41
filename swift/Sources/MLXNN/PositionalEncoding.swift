// Rotary positional encoding layer and the offset-taking layer protocols.
import Foundation
import MLX

/// A layer applied at a position offset (e.g. rotary embeddings during cached decoding).
public protocol OffsetLayer: Module {
    func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray
}

/// A layer applied at a scalar or per-batch array of position offsets.
public protocol ArrayOffsetLayer: Module {
    func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray
}

/// Rotary positional encoding of the first `dimensions` features (see ``MLXFast/RoPE``).
final public class RoPE: Module, UnaryLayer, OffsetLayer, ArrayOffsetLayer {
    let dimensions: Int
    let traditional: Bool
    let base: Float
    let scale: Float

    public init(dimensions: Int, traditional: Bool = false, base: Float = 10_000, scale: Float = 1) {
        self.dimensions = dimensions
        self.traditional = traditional
        self.base = base
        self.scale = scale
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
            offset: offset)
    }

    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
            offset: offset)
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        callAsFunction(x, offset: 0)
    }
}

/// Sinusoidal features of (continuous) positions: sin and cos at geometrically spaced
/// frequencies between `minFrequency` and `maxFrequency`.
///
/// The API spec names this class without members, so only the type is public; its initializer and
/// `callAsFunction` are internal, and it does not conform to `UnaryLayer` (which would need a public
/// `callAsFunction`). mlx-swift has the full layer.
open class SinusoidalPositionalEncoding: Module {
    let _sigmas: MLXArray
    let scale: Float
    let cosineFirst: Bool

    init(
        dimensions: Int, minFrequency: Float = 0.0001, maxFrequency: Float = 1, scale: Float? = nil,
        cosineFirst: Bool = false, fullTurns: Bool = false
    ) {
        let oneZero = 1 - MLXArray(0 ..< (dimensions / 2)) / (dimensions / 2 - 1)
        let logMin = Foundation.log(minFrequency)
        let logMax = Foundation.log(maxFrequency)
        let sigmas = exp(oneZero * (logMax - logMin) + logMin)
        self._sigmas = fullTurns ? sigmas * (2 * Float.pi) : sigmas
        self.scale = scale ?? (2.0 / Float(dimensions)).squareRoot()
        self.cosineFirst = cosineFirst
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        let y = x.expandedDimensions(axis: -1) * _sigmas
        let parts = cosineFirst ? [cos(y), sin(y)] : [sin(y), cos(y)]
        let encoded = concatenated(parts, axis: -1)
        return scale != 1 ? encoded * scale : encoded
    }
}

/// Attention with linear biases: adds `-slope_h * |i - j|` to the attention scores of head h.
///
/// The API spec names this class without members: `callAsFunction(attentionScores:offset:mask:)` is
/// internal.
final public class ALiBi: Module {
    public override init() {}

    static func slopes(heads: Int) -> MLXArray {
        let x = Foundation.pow(Foundation.pow(Float(2), 8), 1 / Float(heads))
        return pow(x, -MLXArray(1 ..< (heads + 1)).asType(.float32)).expandedDimensions(axes: [-1, -2])
    }

    /// Scores of shape [B, heads, queries, keys]; `offset` is the position of the first query.
    func callAsFunction(attentionScores: MLXArray, offset: Int = 0, mask: MLXArray? = nil)
        -> MLXArray
    {
        let queries = MLXArray(offset ..< (attentionScores.dim(-2) + offset)).expandedDimensions(axis: 1)
        let keys = MLXArray(0 ..< attentionScores.dim(-1)).expandedDimensions(axis: 0)
        let distance = -abs(queries - keys).expandedDimensions(axes: [0, 1])
        var bias = (distance * Self.slopes(heads: attentionScores.dim(1))).asType(attentionScores.dtype)
        if let mask {
            bias = bias + mask
        }
        return attentionScores + bias
    }
}
