// Alternating updates (AltUp), LAuReL, per-layer inputs and KV sharing: the residual-stream
// machinery of Gemma 3n-style decoders, each a feature a family document can switch on.
import Foundation
import MLX
import MLXNN

/// Alternating updates: the residual stream is `streams` copies (`[streams, B, L, D]`); a layer
/// computes on the `active` one, and learned coefficients predict every copy before the layer and
/// correct them after it.
public final class AltUp: Module {
    @ParameterInfo(key: "correct_output_scale") var correctOutputScale: MLXArray
    @ModuleInfo(key: "correction_coefs") var correctionCoefficients: Linear
    @ModuleInfo(key: "prediction_coefs") var predictionCoefficients: Linear
    @ModuleInfo(key: "modality_router") var modalityRouter: Linear
    @ModuleInfo(key: "router_norm") var routerNorm: RMSNorm

    let streams: Int
    public let active: Int
    let hiddenSize: Int

    public init(hiddenSize: Int, streams: Int, active: Int, eps: Float) {
        self.streams = streams
        self.active = active
        self.hiddenSize = hiddenSize
        _correctOutputScale.wrappedValue = MLXArray.zeros([hiddenSize])
        _correctionCoefficients.wrappedValue = Linear(streams, streams, bias: false)
        _predictionCoefficients.wrappedValue = Linear(streams, streams * streams, bias: false)
        _modalityRouter.wrappedValue = Linear(hiddenSize, streams, bias: false)
        _routerNorm.wrappedValue = RMSNorm(dimensions: hiddenSize, eps: eps)
        super.init()
    }

    /// tanh of the router's view of `x`, in float32: `[B, L, streams]`.
    func modalities(_ x: MLXArray) -> MLXArray {
        let routed = modalityRouter(routerNorm(x) * Float(1.0 / Double(hiddenSize)))
        return tanh(routed.asType(.float32))
    }


    /// Every stream predicted as itself plus a routed mix of all streams.
    public func predict(_ x: MLXArray) -> MLXArray {
        let m = modalities(x[active])
        let coefficients = matmul(m, predictionCoefficients.weight.asType(.float32).T)
            .reshaped(m.dim(0), m.dim(1), streams, streams)
            .transposed(0, 1, 3, 2)
        let streamsUp = x.asType(.float32)
        let mixed = matmul(streamsUp.transposed(1, 2, 3, 0), coefficients).transposed(3, 0, 1, 2)
        return (mixed + streamsUp).asType(x.dtype)
    }

    /// The predictions corrected by the layer's innovation on the active stream.
    public func correct(_ predictions: MLXArray, activated: MLXArray) -> MLXArray {
        let coefficients = matmul(modalities(activated), correctionCoefficients.weight.asType(.float32).T) + 1
        let innovation = activated - predictions[active]
        let perStream = coefficients.transposed(2, 0, 1)
        let corrected = innovation.expandedDimensions(axis: 0) * perStream.expandedDimensions(axis: -1)
        return (corrected + predictions).asType(activated.dtype)
    }

    /// `x` scaled by the learned output scale of the correction.
    public func scaleCorrectedOutput(_ x: MLXArray) -> MLXArray { x * correctOutputScale }
}

/// Learned augmented residual (LAuReL): `x` plus a normalised low-rank projection of it.
public final class Laurel: Module {
    @ModuleInfo(key: "linear_left") var left: Linear
    @ModuleInfo(key: "linear_right") var right: Linear
    @ModuleInfo(key: "post_laurel_norm") var norm: RMSNorm

    public init(hiddenSize: Int, rank: Int, eps: Float) {
        _left.wrappedValue = Linear(hiddenSize, rank, bias: false)
        _right.wrappedValue = Linear(rank, hiddenSize, bias: false)
        _norm.wrappedValue = RMSNorm(dimensions: hiddenSize, eps: eps)
        super.init()
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray { x + norm(right(left(x))) }
}

/// The root mean square over the last axis, kept: `[..., 1]`; written with powers, as the
/// reference computes it, so the rounding agrees.
func rootMeanSquare(_ x: MLXArray) -> MLXArray { pow(mean(pow(x, 2), axis: -1, keepDims: true), 0.5) }

/// `streams` copies of the embedding for AltUp: the embedding itself, then one projection of it
/// per further stream, each rescaled to the embedding's magnitude.
public func expandStreams(_ h: MLXArray, projections: [Linear]) -> MLXArray {
    let stacked = stacked([h] + projections.map { $0(h) }, axis: 0)
    return matchingMagnitudes(stacked, of: rootMeanSquare(h))
}

/// The AltUp streams back to one: every further stream projected back and rescaled to the first
/// stream's magnitude, then the mean over streams.
public func collapseStreams(_ streams: MLXArray, projections: [Linear]) -> MLXArray {
    let first = streams[0]
    let unembedded = stacked([first] + projections.enumerated().map { $1(streams[$0 + 1]) }, axis: 0)
    return matchingMagnitudes(unembedded, of: rootMeanSquare(first)).mean(axis: 0)
}

/// Streams 1... rescaled so each has `target`'s root mean square; stream 0 unchanged.
func matchingMagnitudes(_ streams: MLXArray, of target: MLXArray) -> MLXArray {
    let rest = streams[1...]
    // The reference floors the magnitudes at the lowest float of the dtype, which never binds.
    let floor = MLXArray(-Float.greatestFiniteMagnitude).asType(streams.dtype)
    let scaled = rest * (target / maximum(rootMeanSquare(rest), floor))
    return concatenated([streams[..<1], scaled], axis: 0)
}

/// Per-layer inputs: each token's own embedding per layer (tokens at or beyond `vocabulary` read
/// row 0), scaled by √width, averaged with a normalised projection of the hidden state.
/// Returns `[B, L, layers, width]`.
public func perLayerInputs(
    tokens: MLXArray, h: MLXArray, embedding: Embedding, projection: Linear, norm: RMSNorm,
    vocabulary: Int, layers: Int, width: Int
) -> MLXArray {
    let inRange = tokens .< vocabulary
    let ids = which(inRange, tokens, zeros(like: tokens))
    let embedded = (embedding(ids) * Float(pow(Double(width), 0.5)))
        .reshaped(tokens.dim(0), tokens.dim(1), layers, width)
    let hidden = h.dim(-1)
    let projected = (projection(h) * Float(pow(Double(hidden), -0.5)))
        .reshaped(h.dim(0), h.dim(1), layers, width)
    return (norm(projected) + embedded) * Float(pow(2.0, -0.5))
}

/// RMS normalisation with no learned scale.
public func rmsNormWithoutScale(_ x: MLXArray, eps: Float) -> MLXArray {
    MLXFast.rmsNorm(x, weight: MLXArray.ones([x.dim(-1)]).asType(x.dtype), eps: eps)
}

/// Logits squashed into (-cap, cap): tanh(x / cap) * cap.
public func softcapped(_ x: MLXArray, cap: Float) -> MLXArray { tanh(x / cap) * cap }

/// GELU (tanh) of the part of each row above mean + std * multiplier: the row's activations
/// sparsified to its top fraction, assuming they are roughly normal.
public func sparseGELU(_ x: MLXArray, stdMultiplier: Float) -> MLXArray {
    let mean = x.mean(axis: -1, keepDims: true)
    let std = sqrt(x.variance(axis: -1, keepDims: true))
    let cutoff = mean + std * stdMultiplier
    return geluApproximate(maximum(x - cutoff, 0))
}

/// The std multiplier that keeps the top (1 - sparsity) of a normal distribution:
/// √2 · erfinv(2 · sparsity − 1): the argument in double precision, erfinv in float32, as the
/// reference computes it.
public func sparsityStdMultiplier(_ sparsity: Double) -> Float {
    (Float(2.0.squareRoot()) * erfInverse(MLXArray(Float(2 * sparsity - 1)))).item(Float.self)
}

/// A layer's keys and values after its cache update: what the layers that share them attend over.
public typealias KeysAndValues = (keys: MLXArray, values: MLXArray)

/// Which earlier layer each layer takes its keys and values from when the last `sharedLayers`
/// layers share them: nil for a layer that computes its own; otherwise the last layer of the
/// same kind before the shared ones.
public func kvSharingSources(layerTypes: [AttentionLayerType], sharedLayers: Int) -> [Int?] {
    let firstShared = layerTypes.count - sharedLayers
    return layerTypes.enumerated().map { i, kind in
        guard i >= firstShared else { return nil }
        return layerTypes[..<firstShared].lastIndex(of: kind)
    }
}

/// Checks that every shared layer has an earlier layer of its kind to share with.
public func validateKVSharing(layerTypes: [AttentionLayerType], sharedLayers: Int, key: String) throws {
    guard sharedLayers >= 0, sharedLayers <= layerTypes.count else {
        throw ConfigurationError.invalid(
            key: key, reason: "is \(sharedLayers); the model has \(layerTypes.count) layers")
    }
    for (i, source) in kvSharingSources(layerTypes: layerTypes, sharedLayers: sharedLayers).enumerated()
    where i >= layerTypes.count - sharedLayers && source == nil {
        throw ConfigurationError.invalid(
            key: key,
            reason: "leaves layer \(i) (\(layerTypes[i].rawValue)) no earlier layer of its kind to share with")
    }
}

/// Checks that a per-layer list, when present, has one entry per layer.
public func validatePerLayerList<T>(_ list: [T]?, key: String, layers: Int) throws {
    if let list, list.count != layers {
        throw ConfigurationError.invalid(key: key, reason: "has \(list.count) entries for \(layers) layers")
    }
}

/// A layer's activation sparsity from an optional per-layer pattern; 0 (dense) when absent.
public func layerSparsity(_ pattern: [Double]?, layer: Int) -> Double { pattern?[layer] ?? 0 }

/// A config value that is one integer for every layer or a list with one per layer.
public struct PerLayerInt: Decodable, Sendable, Equatable {
    let values: [Int]
    let repeated: Bool

    /// One value per layer, as a derivation computes them.
    public init(values: [Int]) {
        self.values = values
        repeated = false
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(Int.self) {
            values = [one]
            repeated = true
        } else {
            values = try container.decode([Int].self)
            repeated = false
        }
    }

    init(values: [Int], repeated: Bool) {
        self.values = values
        self.repeated = repeated
    }

    public subscript(layer: Int) -> Int { repeated ? values[0] : values[layer] }

    /// Each layer's value transformed, one for all layers or one per layer as before.
    public func map(_ transform: (Int) -> Int) -> PerLayerInt {
        PerLayerInt(values: values.map(transform), repeated: repeated)
    }

    /// Checks a list's length against the layer count.
    public func validate(key: String, layers: Int) throws {
        if !repeated && values.count != layers {
            throw ConfigurationError.invalid(key: key, reason: "has \(values.count) entries for \(layers) layers")
        }
        if let bad = values.first(where: { $0 < 1 || $0 > SizeLimits.width }) {
            throw ConfigurationError.invalid(key: key, reason: "holds \(bad); each must be between 1 and \(SizeLimits.width)")
        }
    }
}

/// `weights` without the key and value projections (and key norms) of layers `firstShared` and
/// later, which attend over earlier layers' keys and values: transformers saves none for them,
/// converted checkpoints may still carry them.
public func droppingSharedKeysAndValues(_ weights: [String: MLXArray], firstShared: Int) -> [String: MLXArray] {
    weights.filter { key, _ in
        guard let range = key.range(of: "layers."), key.contains(".self_attn.") else { return true }
        let rest = key[range.upperBound...]
        guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]), layer >= firstShared else {
            return true
        }
        return !["k_proj.", "v_proj.", "k_norm."].contains { key.contains(".self_attn." + $0) }
    }
}
