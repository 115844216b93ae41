// Multi-head latent attention's runtime: per-head matrices (dense and quantized), its softmax scale,
// its scores over the rotated part, the split of a Hugging Face `kv_b_proj`, and its config checks.
import Foundation
import MLX
import MLXFast
import MLXLMCommon
import MLXNN

/// One matrix per head, `weight` `[heads, outputs, inputs]`, applied to inputs `[..., heads, L, in]`
/// (or, untransposed, to `[..., L, outputs]` giving `[..., heads, L, inputs]`).
open class MultiLinear: Module, Quantizable {
    public let weight: MLXArray

    public convenience init(inputDimensions: Int, outputDimensions: Int, heads: Int) {
        self.init(weight: MLXArray.zeros([heads, outputDimensions, inputDimensions]))
    }

    public init(weight: MLXArray) {
        self.weight = weight
        super.init()
    }

    open func callAsFunction(_ x: MLXArray, transpose: Bool = true) -> MLXArray {
        transpose ? matmul(x, weight.swappedAxes(-1, -2)) : matmul(x, weight)
    }

    public func toQuantized(groupSize: Int, bits: Int, mode: QuantizationMode) -> Module {
        QuantizedMultiLinear(self, groupSize: groupSize, bits: bits, mode: mode)
    }
}

/// `MultiLinear` with its matrices quantized along their inputs, as mlx_lm.convert writes it.
open class QuantizedMultiLinear: MultiLinear, Quantized {
    public let groupSize: Int
    public let bits: Int
    public let mode: QuantizationMode
    public let scales: MLXArray
    public let biases: MLXArray?

    public init(_ other: MultiLinear, groupSize: Int, bits: Int, mode: QuantizationMode) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
        let (packed, scales, biases) = quantized(other.weight, groupSize: groupSize, bits: bits, mode: mode)
        self.scales = scales
        self.biases = biases
        super.init(weight: packed)
        freeze()
    }

    open override func callAsFunction(_ x: MLXArray, transpose: Bool = true) -> MLXArray {
        quantizedMM(
            x, weight, scales: scales, biases: biases, transpose: transpose, groupSize: groupSize, bits: bits,
            mode: mode)
    }
}

/// The softmax scale: 1/sqrt(query head width), times the square of YaRN's mscale for the
/// `mscale_all_dim` when the scaling states one (non-zero) and stretches (factor above 1).
public func latentAttentionScale(queryHeadDim: Int, scaling: RoPEScaling?) -> Float {
    var scale = pow(Double(queryHeadDim), -0.5)
    if let scaling, scaling.kind != .default, let all = scaling.mscaleAllDim, all != 0,
        let factor = scaling.factor, factor > 1
    {
        let m = 0.1 * all * log(factor) + 1
        scale *= m * m
    }
    return Float(scale)
}

/// The scores of the rotated parts, (queries * scale) keysᵀ, with the masked positions at the
/// dtype's lowest value: the additive mask of the attention over the latent.
public func latentPositionScores(
    queries: MLXArray, keys: MLXArray, scale: Float, mask: MLXFast.ScaledDotProductAttentionMaskMode
) -> MLXArray {
    let scores = matmul(queries * scale, keys.swappedAxes(-1, -2))
    let allowed: MLXArray
    switch mask {
    case .none:
        return scores
    case .causal:
        let (n, total) = (queries.dim(-2), keys.dim(-2))
        allowed = createCausalMask(n: n, offset: total - n)
    default:
        guard let array = mask.mask else { return scores }
        guard array.dtype == .bool else { return scores + array.asType(scores.dtype) }
        allowed = array
    }
    return which(allowed, scores, MLXArray(-Float.greatestFiniteMagnitude).asType(scores.dtype))
}

/// Splits each layer's `kv_b_proj` (`[heads * (nope + value), latent]`, the Hugging Face layout) into
/// `embed_q` (`[heads, latent, nope]`) and `unembed_out` (`[heads, value, latent]`), the per-head
/// matrices the model holds; checkpoints already split are returned as they are. A quantized
/// `kv_b_proj` (mlx_lm.convert's, affine, its groups along the `latentRank` inputs) is dequantized
/// first and split into dense matrices: the products equal those of the quantized whole.
public func splittingLatentProjections(
    _ weights: [String: MLXArray], block: String, heads: Int, latentRank: Int, noRoPEHeadDim: Int,
    valueHeadDim: Int
) -> [String: MLXArray] {
    let suffix = ".\(block).kv_b_proj.weight"
    var out = weights
    for (key, stored) in weights where key.hasSuffix(suffix) && stored.ndim == 2 {
        let prefix = String(key.dropLast("kv_b_proj.weight".count))
        var value = stored
        if let scales = weights[prefix + "kv_b_proj.scales"] {
            let bits = stored.dim(-1) * 32 / latentRank
            let groupSize = latentRank / scales.dim(-1)
            guard [2, 3, 4, 5, 6, 8].contains(bits), groupSize > 0, latentRank % scales.dim(-1) == 0 else { continue }
            value = dequantized(
                stored, scales: scales, biases: weights[prefix + "kv_b_proj.biases"], groupSize: groupSize,
                bits: bits, dtype: scales.dtype)
        }
        guard value.dim(0) == heads * (noRoPEHeadDim + valueHeadDim) else { continue }
        for part in ["weight", "scales", "biases"] { out[prefix + "kv_b_proj." + part] = nil }
        let perHead = value.reshaped(heads, noRoPEHeadDim + valueHeadDim, -1)
        out[prefix + "embed_q.weight"] = perHead[0..., ..<noRoPEHeadDim, 0...].swappedAxes(-1, -2)
        out[prefix + "unembed_out.weight"] = perHead[0..., noRoPEHeadDim..., 0...]
    }
    return out
}

/// Refuses latent attention sizes that cannot run: a zero or negative width, an odd rotated width
/// (RoPE turns pairs), or a query rank that is set but not positive.
public func validateLatentAttention(
    queryRank: (key: String, value: Int?)?, latentRank: (key: String, value: Int),
    noRoPEHeadDim: (key: String, value: Int), ropeHeadDim: (key: String, value: Int),
    valueHeadDim: (key: String, value: Int)
) throws {
    for (key, value) in [latentRank, noRoPEHeadDim, ropeHeadDim, valueHeadDim]
    where value < 1 || value > SizeLimits.width {
        throw ConfigurationError.invalid(key: key, reason: "is \(value); it must be between 1 and \(SizeLimits.width)")
    }
    if ropeHeadDim.value % 2 != 0 {
        throw ConfigurationError.invalid(
            key: ropeHeadDim.key, reason: "is \(ropeHeadDim.value); RoPE rotates pairs, so it must be even")
    }
    if let queryRank, let rank = queryRank.value, rank < 1 || rank > SizeLimits.width {
        throw ConfigurationError.invalid(
            key: queryRank.key, reason: "is \(rank); it must be null or between 1 and \(SizeLimits.width)")
    }
}
