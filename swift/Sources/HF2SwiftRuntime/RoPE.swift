// Rotary position embeddings with the scaling variants mlx-lm applies: linear, llama3, yarn, longrope.
import Foundation
import MLX
import MLXNN

/// A rotary embedding that rotates `x` (`[..., length, headDim]`) as if its first row sat at
/// position `offset`.
public protocol RoPELayer: Module {
    func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray
}

extension RoPE: RoPELayer {}

/// The position embedding of a NoPE layer: none; queries and keys pass through unchanged.
public final class NoPE: Module, RoPELayer {
    override public init() {}

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray { x }
}

/// The rotary embedding a configuration asks for. Scaling kinds the family does not support were
/// refused when the configuration was decoded (`RoPEScaling.validate`), so none reach here.
/// `originalMaxPositionEmbeddings`, when given, is the pre-extension context length longrope uses
/// instead of the one inside `rope_scaling` (Phi-3 states it at the top level of its config).
public func initializeRoPE(
    dimensions: Int, base: Float, traditional: Bool, scaling: RoPEScaling?, maxPositionEmbeddings: Int?,
    originalMaxPositionEmbeddings: Int? = nil
) -> RoPELayer {
    guard let scaling, scaling.kind != .default else {
        return RoPE(dimensions: dimensions, traditional: traditional, base: base)
    }
    switch scaling.kind {
    case .linear:
        return RoPE(
            dimensions: dimensions, traditional: traditional, base: base, scale: Float(1 / scaling.factor!))
    case .llama3:
        return Llama3RoPE(dimensions: dimensions, traditional: traditional, base: base, scaling: scaling)
    case .yarn:
        return YarnRoPE(
            dimensions: dimensions, traditional: traditional, base: base, factor: scaling.factor!,
            originalMaxPositionEmbeddings: scaling.originalMaxPositionEmbeddings ?? 4096,
            betaFast: scaling.betaFast ?? 32, betaSlow: scaling.betaSlow ?? 1,
            mscale: scaling.mscale ?? 1, mscaleAllDim: scaling.mscaleAllDim ?? 0)
    case .longrope, .su:
        guard let maxPositionEmbeddings else {
            preconditionFailure("longrope scaling needs max_position_embeddings")
        }
        return SuScaledRoPE(
            dimensions: dimensions, base: base, maxPositionEmbeddings: maxPositionEmbeddings,
            originalMaxPositionEmbeddings: originalMaxPositionEmbeddings ?? scaling.originalMaxPositionEmbeddings!,
            longFactor: scaling.longFactor!, longMScale: scaling.longMScale)
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

/// Llama 3.1's frequency smoothing: long wavelengths are stretched by `factor`, short ones kept,
/// the band between interpolated.
public final class Llama3RoPE: Module, RoPELayer {
    let dimensions: Int
    let traditional: Bool
    let _freqs: MLXArray

    public init(dimensions: Int, traditional: Bool, base: Float, scaling: RoPEScaling) {
        self.dimensions = dimensions
        self.traditional = traditional
        // Scalars in Double and arrays in float32, as mlx-lm computes them.
        let factor = scaling.factor!
        let lowFreqFactor = scaling.lowFreqFactor ?? 1
        let highFreqFactor = scaling.highFreqFactor ?? 4
        let oldContext = Double(scaling.originalMaxPositionEmbeddings ?? 8192)
        let lowFreqWavelength = Float(oldContext / lowFreqFactor)
        let highFreqWavelength = Float(oldContext / highFreqFactor)

        var freqs = ropeWavelengths(dimensions: dimensions, base: base)
        let wavelengths = Float(2 * Double.pi) * freqs
        freqs = MLX.where(wavelengths .> lowFreqWavelength, freqs * Float(factor), freqs)
        let medium = (wavelengths .> highFreqWavelength) .&& (wavelengths .< lowFreqWavelength)
        let smooth =
            (Float(oldContext) / wavelengths - Float(lowFreqFactor)) / Float(highFreqFactor - lowFreqFactor)
        let smoothFreqs = freqs / ((1 - smooth) / Float(factor) + smooth)
        _freqs = MLX.where(medium, smoothFreqs, freqs)
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dimensions, traditional: traditional, base: nil, scale: 1, offset: offset,
            freqs: _freqs)
    }
}

/// YaRN: frequencies blended between interpolated and extrapolated by a ramp over the
/// dimensions, and the rotated part of q and k scaled by `mscale`.
public final class YarnRoPE: Module, RoPELayer {
    let dimensions: Int
    let traditional: Bool
    let mscale: Float
    let _freqs: MLXArray

    public init(
        dimensions: Int, traditional: Bool, base: Float, factor: Double, originalMaxPositionEmbeddings: Int,
        betaFast: Double, betaSlow: Double, mscale: Double, mscaleAllDim: Double
    ) {
        self.dimensions = dimensions
        self.traditional = traditional
        // Scalars in Double and arrays in float32, as mlx-lm computes them.
        let d = Double(dimensions)
        func correctionDimension(_ rotations: Double) -> Double {
            d * log(Double(originalMaxPositionEmbeddings) / (rotations * 2 * Double.pi)) / (2 * log(Double(base)))
        }
        let low = max(Int(floor(correctionDimension(betaFast))), 0)
        let high = min(Int(ceil(correctionDimension(betaSlow))), dimensions - 1)
        func yarnMScale(_ scale: Double, _ m: Double) -> Double {
            scale <= 1 ? 1 : 0.1 * m * log(scale) + 1
        }
        self.mscale = Float(yarnMScale(factor, mscale) / yarnMScale(factor, mscaleAllDim))

        let extrapolated = ropeWavelengths(dimensions: dimensions, base: base)
        let interpolated = Float(factor) * extrapolated
        // An empty ramp would divide by zero; mlx-lm widens it by 0.001.
        let span = low == high ? Double(high) + 0.001 - Double(low) : Double(high - low)
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
}

/// Phi-3's LongRoPE ("su") as mlx-lm applies it: always the long factors, and the rotated part
/// scaled by sqrt(1 + ln(max / original) / ln(original)) when the context was extended.
public final class SuScaledRoPE: Module, RoPELayer {
    let dimensions: Int
    let scale: Float
    let _freqs: MLXArray

    public init(
        dimensions: Int, base: Float, maxPositionEmbeddings: Int, originalMaxPositionEmbeddings: Int,
        longFactor: [Double], longMScale: Double? = nil
    ) {
        self.dimensions = dimensions
        _freqs = MLXArray(longFactor.map { Float($0) }) * ropeWavelengths(dimensions: dimensions, base: base)
        let factor = Double(maxPositionEmbeddings) / Double(originalMaxPositionEmbeddings)
        let extended = sqrt(1 + log(factor) / log(Double(originalMaxPositionEmbeddings)))
        scale = Float(longMScale ?? (factor <= 1 ? 1 : extended))
    }

    public func callAsFunction(_ x: MLXArray, offset: Int) -> MLXArray {
        MLXFast.RoPE(
            scaleRotatedPart(x, dimensions: dimensions, by: scale), dimensions: dimensions,
            traditional: false, base: nil, scale: 1, offset: offset, freqs: _freqs)
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
