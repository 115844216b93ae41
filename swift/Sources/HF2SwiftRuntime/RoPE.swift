// Rotary position embeddings: the scaling a configuration asks for, through MLXLMCommon's layers where
// they compute what transformers computes (plain, linear, llama3) and the runtime's own where they do
// not (yarn, longrope, proportional) or do not exist (NTK-alpha, NoPE).
import Foundation
import MLX
import MLXLMCommon
import MLXNN

/// The position embedding of a NoPE layer: none; queries and keys pass through unchanged.
public final class NoPE: Module, OffsetLayer, ArrayOffsetLayer {
    override public init() {}

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray { x }
    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray { x }
}

/// The rotary embedding a configuration asks for. Scaling kinds the family does not support were
/// refused when the configuration was decoded (`RoPEScaling.validate`), so none reach here.
/// `originalMaxPositionEmbeddings`, when given, is the pre-extension context length llama3, yarn
/// and longrope use instead of the one inside `rope_scaling`, as transformers lets a top-level
/// `original_max_position_embeddings` override it (Phi-3 states it there). `longRoPE` says how
/// longrope chooses its factors and scale.
public func initializeRoPE(
    dimensions: Int, base: Float, traditional: Bool, scaling: RoPEScaling?, maxPositionEmbeddings: Int?,
    dynamic: DynamicRoPEScaling = .byLength, originalMaxPositionEmbeddings: Int? = nil,
    longRoPE: LongRoPEOptions = .standard
) -> RoPELayer {
    // Multimodal RoPE gives a token of text one position in all three sections: a plain rotation.
    guard let scaling, scaling.kind != .default, scaling.kind != .mrope else {
        return RoPE(dimensions: dimensions, traditional: traditional, base: base)
    }
    let original = originalMaxPositionEmbeddings ?? scaling.originalMaxPositionEmbeddings
    switch scaling.kind {
    case .linear:
        return RoPE(
            dimensions: dimensions, traditional: traditional, base: base, scale: Float(1 / scaling.factor!))
    case .llama3:
        // MLXLMCommon's Llama3RoPE smooths the frequencies as transformers and mlx-lm do; its
        // initializer is reached through initializeRope, which reads the scaling as config values.
        var config: [String: StringOrNumber] = ["rope_type": .string("llama3"), "factor": .float(Float(scaling.factor!))]
        config["low_freq_factor"] = scaling.lowFreqFactor.map { .float(Float($0)) }
        config["high_freq_factor"] = scaling.highFreqFactor.map { .float(Float($0)) }
        config["original_max_position_embeddings"] = original.map { .int($0) }
        return initializeRope(
            dims: dimensions, base: base, traditional: traditional, scalingConfig: config,
            maxPositionEmbeddings: maxPositionEmbeddings)
    case .yarn:
        return YarnRotaryEmbedding(
            dimensions: dimensions, traditional: traditional, base: base, scaling: scaling,
            originalMaxPositionEmbeddings: original ?? maxPositionEmbeddings ?? 4096)
    case .dynamic where dynamic == .alpha:
        return NTKAlphaRotaryEmbedding(dimensions: dimensions, traditional: traditional, base: base, alpha: scaling.alpha!)
    case .dynamic:
        guard let maxPositionEmbeddings else {
            preconditionFailure("dynamic scaling by length needs max_position_embeddings")
        }
        return DynamicNTKRotaryEmbedding(
            dimensions: dimensions, traditional: traditional, base: base, factor: scaling.factor!,
            maxPositionEmbeddings: maxPositionEmbeddings)
    case .proportional:
        return ProportionalRotaryEmbedding(
            dimensions: dimensions, traditional: traditional, base: base,
            fraction: scaling.partialRotaryFactor ?? 1, factor: scaling.factor ?? 1)
    case .longrope, .su:
        guard let maxPositionEmbeddings, let original else {
            preconditionFailure("longrope scaling needs max_position_embeddings and the original context")
        }
        return LongRotaryEmbedding(
            dimensions: dimensions, base: base, scaling: scaling, maxPositionEmbeddings: maxPositionEmbeddings,
            originalMaxPositionEmbeddings: original, options: longRoPE)
    default:
        preconditionFailure("rope_scaling type \(scaling.kind.rawValue) reached initializeRoPE unvalidated")
    }
}

/// The rotated width of a head of which only `fraction` is rotated: int(headDim * fraction), with
/// the product in double precision as Python computes it.
public func rotaryDimensions(headDim: Int, fraction: Float) -> Int {
    Int(Double(headDim) * Double(fraction))
}

/// `base^(2i/d)` for i < d/2, in float32 as MLX computes it.
func ropeWavelengths(dimensions: Int, base: Float) -> MLXArray {
    let exponents = MLXArray(stride(from: Float(0), to: Float(dimensions), by: 2)) / Float(dimensions)
    return pow(MLXArray(base), exponents)
}

/// How `dynamic` scaling raises the RoPE base, which families read differently.
public enum DynamicRoPEScaling: Sendable {
    /// Dynamic NTK: with the length a call reaches past `max_position_embeddings`.
    case byLength
    /// NTK-alpha: by the scaling's fixed `alpha` (Hunyuan).
    case alpha
}

/// Dynamic NTK scaling as transformers and mlx-lm apply it: a call whose positions reach past
/// `maxPositionEmbeddings` (to L in all) rotates with the base raised to
/// base * (factor * L / max - (factor - 1))^(d / (d - 2)); keys already cached keep the rotation they got.
public final class DynamicNTKRotaryEmbedding: Module, OffsetLayer, ArrayOffsetLayer {
    let dimensions: Int
    let traditional: Bool
    let base: Float
    let factor: Double
    let maxPositionEmbeddings: Int

    public init(dimensions: Int, traditional: Bool, base: Float, factor: Double, maxPositionEmbeddings: Int) {
        self.dimensions = dimensions
        self.traditional = traditional
        self.base = base
        self.factor = factor
        self.maxPositionEmbeddings = maxPositionEmbeddings
    }

    /// The base for a call whose positions end at `length`, in Double as Python computes it.
    func base(reaching length: Int) -> Float {
        let length = Double(Swift.max(length, maxPositionEmbeddings))
        let d = Double(dimensions)
        return Float(Double(base) * pow(factor * length / Double(maxPositionEmbeddings) - (factor - 1), d / (d - 2)))
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: base(reaching: offset + x.dim(-2)), scale: 1,
            offset: offset)
    }

    /// Rows at different positions (a batch whose rows started apart) share the base of the row
    /// furthest along.
    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        let furthest = offset.max().item(Int.self)
        return MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: base(reaching: furthest + x.dim(-2)),
            scale: 1, offset: offset)
    }
}

/// NTK-alpha scaling: a fixed `alpha` stretches the base to base * alpha^(d / (d - 2)) for d rotated
/// dimensions, the same at every sequence length.
public final class NTKAlphaRotaryEmbedding: Module, OffsetLayer, ArrayOffsetLayer {
    let dimensions: Int
    let traditional: Bool
    let _freqs: MLXArray

    public init(dimensions: Int, traditional: Bool, base: Float, alpha: Double) {
        self.dimensions = dimensions
        self.traditional = traditional
        // The base in Double, as Python computes it, then the wavelengths in float32.
        let d = Double(dimensions)
        let stretched = Double(base) * pow(alpha, d / (d - 2))
        _freqs = ropeWavelengths(dimensions: dimensions, base: Float(stretched))
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: nil, scale: 1, offset: offset,
            freqs: _freqs)
    }

    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: nil, scale: 1, offset: offset,
            freqs: _freqs)
    }
}

/// YaRN as transformers defines it: frequencies blended between interpolated and extrapolated by
/// a ramp over the dimensions (its ends rounded outwards unless `truncate` is false), and the
/// rotated part of q and k scaled by the attention factor. MLXLMCommon's YarnRoPE ignores
/// `attention_factor` and `truncate` and divides by the `mscale_all_dim` scale even when only
/// `mscale` is set, so it is not used.
public final class YarnRotaryEmbedding: Module, OffsetLayer, ArrayOffsetLayer {
    let dimensions: Int
    let traditional: Bool
    let mscale: Float
    let _freqs: MLXArray

    public init(
        dimensions: Int, traditional: Bool, base: Float, scaling: RoPEScaling, originalMaxPositionEmbeddings: Int
    ) {
        self.dimensions = dimensions
        self.traditional = traditional
        // Scalars in Double and arrays in float32, as the Python references compute them.
        let factor = scaling.factor!
        let d = Double(dimensions)
        func correctionDimension(_ rotations: Double) -> Double {
            d * log(Double(originalMaxPositionEmbeddings) / (rotations * 2 * Double.pi)) / (2 * log(Double(base)))
        }
        // A zero beta counts as unset, as in transformers (`beta_fast or 32`).
        var low = correctionDimension(scaling.betaFast.flatMap { $0 == 0 ? nil : $0 } ?? 32)
        var high = correctionDimension(scaling.betaSlow.flatMap { $0 == 0 ? nil : $0 } ?? 1)
        if scaling.truncate ?? true {
            (low, high) = (floor(low), ceil(high))
        }
        (low, high) = (max(low, 0), min(high, d - 1))
        func yarnMScale(_ scale: Double, _ m: Double) -> Double {
            scale <= 1 ? 1 : 0.1 * m * log(scale) + 1
        }
        // transformers takes the ratio only when both mscales are set and non-zero.
        let attention: Double
        if let given = scaling.attentionFactor {
            attention = given
        } else if let m = scaling.mscale, let all = scaling.mscaleAllDim, m != 0, all != 0 {
            attention = yarnMScale(factor, m) / yarnMScale(factor, all)
        } else {
            attention = yarnMScale(factor, 1)
        }
        self.mscale = Float(attention)

        let extrapolated = ropeWavelengths(dimensions: dimensions, base: base)
        let interpolated = Float(factor) * extrapolated
        // An empty ramp would divide by zero; both references widen it by 0.001.
        let span = low == high ? 0.001 : high - low
        let ramp = clip(
            (MLXArray(Int32(0) ..< Int32(dimensions / 2)).asType(.float32) - Float(low)) / Float(span),
            min: Float(0), max: Float(1))
        let extrapolationWeight = 1 - ramp
        _freqs =
            (interpolated * extrapolated)
            / (interpolated * extrapolationWeight + extrapolated * (1 - extrapolationWeight))
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            scaleRotatedPart(x, dimensions: dimensions, by: mscale), dimensions: dimensions,
            traditional: traditional, base: nil, scale: 1, offset: offset, freqs: _freqs)
    }

    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        MLXFast.RoPE(
            scaleRotatedPart(x, dimensions: dimensions, by: mscale), dimensions: dimensions,
            traditional: traditional, base: nil, scale: 1, offset: offset, freqs: _freqs)
    }
}

/// How longrope chooses its factors and the scale of the rotated part, where models differ.
public struct LongRoPEOptions: Sendable, Equatable {
    public enum Factors: Sendable {
        /// The short factors within the original context, the long ones past it.
        case byLength
        /// The short factors at every length.
        case short
    }

    public enum Scale: Sendable {
        /// The attention factor, from the scaling or derived from `factor`.
        case attentionFactor
        /// `short_mscale` within the original context, `long_mscale` past it.
        case mscales
    }

    public let factors: Factors
    public let scale: Scale

    public init(factors: Factors = .byLength, scale: Scale = .attentionFactor) {
        self.factors = factors
        self.scale = scale
    }

    /// As transformers' shared longrope applies it (Phi-3).
    public static let standard = LongRoPEOptions()
}

/// LongRotaryEmbedding ("su", Phi-3) as transformers applies it: the short factors while a call's positions
/// stay within the original context, the long ones once they pass it (keys already cached keep
/// the rotation they got), and the rotated part scaled by the attention factor,
/// sqrt(1 + ln(factor) / ln(original)) with factor = max / original unless the scaling states it.
/// `options` may keep the short factors at every length, or scale by `short_mscale` and
/// `long_mscale` chosen the same way as the factors (Phi-MoE). MLXLMCommon's SuScaledRoPE applies
/// the long factors at every length, so it is not used.
public final class LongRotaryEmbedding: Module, OffsetLayer, ArrayOffsetLayer {
    let dimensions: Int
    let shortScale: Float
    let longScale: Float
    let originalMaxPositionEmbeddings: Int
    let _shortFreqs: MLXArray
    let _longFreqs: MLXArray

    public init(
        dimensions: Int, base: Float, scaling: RoPEScaling, maxPositionEmbeddings: Int,
        originalMaxPositionEmbeddings: Int, options: LongRoPEOptions = .standard
    ) {
        self.dimensions = dimensions
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
        let wavelengths = ropeWavelengths(dimensions: dimensions, base: base)
        _shortFreqs = MLXArray(scaling.shortFactor!.map { Float($0) }) * wavelengths
        _longFreqs =
            options.factors == .short
            ? _shortFreqs : MLXArray(scaling.longFactor!.map { Float($0) }) * wavelengths
        switch options.scale {
        case .attentionFactor:
            let factor = scaling.factor ?? Double(maxPositionEmbeddings) / Double(originalMaxPositionEmbeddings)
            let extended = sqrt(1 + log(factor) / log(Double(originalMaxPositionEmbeddings)))
            shortScale = Float(scaling.attentionFactor ?? (factor <= 1 ? 1 : extended))
            longScale = shortScale
        case .mscales:
            // Validated present when the configuration was decoded.
            shortScale = Float(scaling.shortMScale!)
            longScale = Float(scaling.longMScale!)
        }
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        rotate(x, long: offset + x.dim(-2) > originalMaxPositionEmbeddings, offset: MLXArray(Int32(offset)))
    }

    /// Rows at different positions (a batch whose rows started apart) share the factors of the row
    /// furthest along.
    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        let furthest = offset.max().item(Int.self)
        return rotate(x, long: furthest + x.dim(-2) > originalMaxPositionEmbeddings, offset: offset)
    }

    private func rotate(_ x: MLXArray, long: Bool, offset: MLXArray) -> MLXArray {
        let scale = long ? longScale : shortScale
        return MLXFast.RoPE(
            scaleRotatedPart(x, dimensions: dimensions, by: scale), dimensions: dimensions,
            traditional: false, base: nil, scale: 1, offset: offset, freqs: long ? _longFreqs : _shortFreqs)
    }
}

/// Proportional RoPE as transformers defines it: the head's two halves are paired as in plain RoPE,
/// but only the first int(fraction * dimensions / 2) pairs rotate, at the frequencies they would have
/// in a fully rotated head (exponents over all `dimensions`, divided by `factor`); the other pairs
/// pass through. A partial rotation of the first dimensions would pair and space them otherwise.
public final class ProportionalRotaryEmbedding: Module, OffsetLayer, ArrayOffsetLayer {
    let dimensions: Int
    let traditional: Bool
    let _freqs: MLXArray

    public init(dimensions: Int, traditional: Bool, base: Float, fraction: Double, factor: Double) {
        self.dimensions = dimensions
        self.traditional = traditional
        // Python's (fraction * dimensions) // 2, in double precision; mlx-lm counts ceil(int(fraction *
        // dimensions) / 2) pairs, which differs when that product is odd.
        let rotatedPairs = min(Int((fraction * Double(dimensions) / 2).rounded(.down)), dimensions / 2)
        var parts: [MLXArray] = []
        if rotatedPairs > 0 {
            let exponents = MLXArray((0 ..< rotatedPairs).map { Float(2 * $0) }) / Float(dimensions)
            parts.append(Float(factor) * pow(MLXArray(base), exponents))
        }
        if rotatedPairs < dimensions / 2 {
            // An infinite wavelength is an angle of zero: those pairs keep their values.
            parts.append(MLXArray(Array(repeating: Float.infinity, count: dimensions / 2 - rotatedPairs)))
        }
        _freqs = parts.count == 1 ? parts[0] : concatenated(parts, axis: 0)
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: nil, scale: 1, offset: offset,
            freqs: _freqs)
    }

    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: nil, scale: 1, offset: offset,
            freqs: _freqs)
    }
}

/// `x` with its first `dimensions` features (the rotated ones) multiplied by `factor`.
func scaleRotatedPart(_ x: MLXArray, dimensions: Int, by factor: Float) -> MLXArray {
    if factor == 1 { return x }
    if dimensions >= x.dim(-1) { return x * factor }
    return concatenated([x[.ellipsis, ..<dimensions] * factor, x[.ellipsis, dimensions...]], axis: -1)
}

/// Llama-4 query scaling for `length` positions from `offset`, shaped `[length, 1]` to broadcast
/// over `[batch, heads, length, headDim]` queries: 1 + beta * log(1 + floor(position / original)).
public func llama4QueryScale(length: Int, offset: Int, beta: Float, originalMaxPositionEmbeddings: Int)
    -> MLXArray
{
    let positions = MLXArray((offset ..< offset + length).map { Float($0) })
    let scale = 1 + beta * log(1 + floor(positions / Float(originalMaxPositionEmbeddings)))
    return scale.reshaped(length, 1)
}
