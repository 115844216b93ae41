// Mixture-of-experts building blocks beyond MLXLMCommon's switch layers: other gated experts, routing.
import Foundation
import MLX
import MLXLMCommon
import MLXNN

/// Gated experts MLXLMCommon's SwitchGLU cannot express: an activation that takes the gate and up
/// projections together (GPT-OSS's clamped SwiGLU), or inputs each scaled by their expert's weight
/// before the experts see them (Llama 4). Built from MLXLMCommon's SwitchLinear, so checkpoints and
/// quantization treat its projections as theirs. Returns `[..., k, dims]`.
public final class ExpertGLU: Module {
    @ModuleInfo(key: "gate_proj") var gate: SwitchLinear
    @ModuleInfo(key: "up_proj") var up: SwitchLinear
    @ModuleInfo(key: "down_proj") var down: SwitchLinear
    let activation: (MLXArray, MLXArray) -> MLXArray

    /// `activation(gate, up)` combines the two projections.
    public init(
        inputDimensions: Int, hiddenDimensions: Int, experts: Int, bias: Bool,
        activation: @escaping (MLXArray, MLXArray) -> MLXArray
    ) {
        _gate.wrappedValue = SwitchLinear(
            inputDims: inputDimensions, outputDims: hiddenDimensions, numExperts: experts, bias: bias)
        _up.wrappedValue = SwitchLinear(
            inputDims: inputDimensions, outputDims: hiddenDimensions, numExperts: experts, bias: bias)
        _down.wrappedValue = SwitchLinear(
            inputDims: hiddenDimensions, outputDims: inputDimensions, numExperts: experts, bias: bias)
        self.activation = activation
        super.init()
    }

    /// `x`: `[..., dims]`; `indices`: `[..., k]`.
    public func callAsFunction(_ x: MLXArray, _ indices: MLXArray) -> MLXArray {
        // One row per token, against k expert matrices: [..., 1, 1, dims].
        let rows = x.expandedDimensions(axes: [-2, -3])
        let hidden = activation(gate(rows, indices), up(rows, indices))
        return down(hidden, indices).squeezed(axis: -2)
    }

    /// `x`: `[..., k, dims]`, one input for each of a token's k experts (each scaled by its own
    /// weight); `indices`: `[..., k]`. Returns `[..., k, dims]`.
    public func callAsFunction(perExpert x: MLXArray, _ indices: MLXArray) -> MLXArray {
        let rows = x.expandedDimensions(axis: -2)
        let hidden = activation(gate(rows, indices), up(rows, indices))
        return down(hidden, indices).squeezed(axis: -2)
    }
}

/// Ungated experts: down(activation(up(x))) through the experts `indices` name, for every token and each
/// of its k experts, as switch layers `fc1` (up) and `fc2` (down); `[..., dims]` in, `[..., k, dims]` out.
/// From 64 routed rows on, the rows are sorted by expert first, which changes the order of work, not the
/// result.
public final class ExpertMLP: Module {
    @ModuleInfo(key: "fc1") var up: SwitchLinear
    @ModuleInfo(key: "fc2") var down: SwitchLinear
    let activation: (MLXArray) -> MLXArray

    public init(
        inputDimensions: Int, hiddenDimensions: Int, experts: Int, bias: Bool,
        activation: @escaping (MLXArray) -> MLXArray
    ) {
        _up.wrappedValue = SwitchLinear(
            inputDims: inputDimensions, outputDims: hiddenDimensions, numExperts: experts, bias: bias)
        _down.wrappedValue = SwitchLinear(
            inputDims: hiddenDimensions, outputDims: inputDimensions, numExperts: experts, bias: bias)
        self.activation = activation
        super.init()
    }

    /// `x`: `[..., dims]`; `indices`: `[..., k]`.
    public func callAsFunction(_ x: MLXArray, _ indices: MLXArray) -> MLXArray {
        // One row per token against its k expert matrices: [..., 1, 1, dims].
        var rows = x.expandedDimensions(axes: [-2, -3])
        var routed = indices
        var restore: MLXArray?
        let sort = indices.size >= 64
        if sort {
            let sorted = gatherSort(x: rows, indices: indices)
            (rows, routed, restore) = (sorted.0, sorted.1, sorted.2)
        }
        var y = down(activation(up(rows, routed, sortedIndices: sort)), routed, sortedIndices: sort)
        if let restore {
            y = scatterUnsort(x: y, invOrder: restore, shape: indices.shape)
        }
        return y.squeezed(axis: -2)
    }
}

/// The `k` experts with the largest router logits and their weights: a softmax (in float32)
/// over just those `k` logits. Both are `[..., k]`.
public func topKRouting(_ logits: MLXArray, k: Int) -> (weights: MLXArray, indices: MLXArray) {
    let indices = argPartition(logits, kth: -k, axis: -1)[.ellipsis, (-k)...]
    let selected = takeAlong(logits, indices, axis: -1)
    return (softmax(selected, axis: -1, precise: true), indices)
}

/// Each token's `k` experts and their weights (both `[..., k]`) as the sparse mixer (SparseMixer)
/// routes at inference: experts are chosen one at a time, each the largest logit not yet chosen,
/// and weighted by its share of a softmax over the logits not yet chosen that lie within a band
/// of it, (top - logit) / max(|logit|, top) <= 2 * `jitter`; the others count as -inf.
public func sparseMixerRouting(
    _ logits: MLXArray, k: Int, jitter: Float
) -> (weights: MLXArray, indices: MLXArray) {
    let excluded = MLXArray(-Float.infinity).asType(logits.dtype)
    var remaining = logits
    var weights: [MLXArray] = []
    var indices: [MLXArray] = []
    for _ in 0 ..< k {
        let top = remaining.max(axis: -1, keepDims: true)
        let index = argMax(remaining, axis: -1, keepDims: true)
        // The band compares every logit, chosen or not, with the current top; chosen ones stay out.
        let outside = (top - logits) / maximum(abs(logits), top) .> 2 * jitter
        let band = MLX.where(outside, excluded, remaining)
        weights.append(takeAlong(softmax(band, axis: -1, precise: true), index, axis: -1))
        indices.append(index)
        remaining = putAlong(remaining, index, values: excluded, axis: -1)
    }
    return (concatenated(weights, axis: -1), concatenated(indices, axis: -1))
}

/// How a router turns its logits into per-expert scores.
public enum ExpertScores: String, Sendable, Decodable {
    /// A softmax over all experts.
    case softmax
    /// Each expert's own sigmoid.
    case sigmoid

    /// A config's name for the scores (`score_function`); any other name is refused.
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let scores = ExpertScores(rawValue: name) else {
            let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigurationError.unsupportedValue(key: key, value: "\"\(name)\"", supported: ["softmax", "sigmoid"])
        }
        self = scores
    }
}

/// How a router limits its top k (`topk_method`).
public enum TopKMethod: String, Sendable, Decodable {
    /// Among all experts.
    case greedy
    /// Among the experts of its best groups.
    case groupLimitedGreedy = "group_limited_greedy"

    /// A config's name for the method; any other name is refused.
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let method = TopKMethod(rawValue: name) else {
            let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigurationError.unsupportedValue(
                key: key, value: "\"\(name)\"", supported: ["greedy", "group_limited_greedy"])
        }
        self = method
    }
}

/// How grouped top-k scores a group of experts.
public enum GroupScore: Sendable {
    /// The sum of its two best scores.
    case topTwoSum
    /// Its best score.
    case best
}

/// Each token's `k` experts and their weights (both `[..., k]`) from the router's logits: scores
/// (a softmax over all experts computed in float32 and returned in the logits' dtype, as mlx-lm's
/// precise softmax does, or a float32 sigmoid each); experts chosen by score plus the
/// `selectionBias` (which steers the choice only), among the `selectedGroups` of `groups` equal
/// groups of experts whose two best biased scores sum highest (or, by `groupScore`, whose best is
/// highest); weighted by their unbiased scores,
/// renormalised to sum to one when `normalize` holds (divided by max(sum, `normalizeFloor`) when a
/// floor is given, plus `normalizeEpsilon`), then multiplied by `scale`.
public func routeExperts(
    _ logits: MLXArray, k: Int, scores kind: ExpertScores, normalize: Bool, normalizeFloor: Float? = nil,
    normalizeEpsilon: Float = 0,
    selectionBias: MLXArray? = nil, groups: Int = 1, selectedGroups: Int = 1, groupScore: GroupScore = .topTwoSum,
    scale: Float = 1
) -> (weights: MLXArray, indices: MLXArray) {
    let scores: MLXArray
    switch kind {
    case .softmax: scores = softmax(logits, axis: -1, precise: true)
    case .sigmoid: scores = sigmoid(logits.asType(.float32))
    }
    var choice = selectionBias.map { scores + $0.asType(scores.dtype) } ?? scores
    if groups > 1 {
        // Experts outside the best groups can never be chosen.
        let grouped = unflatten(choice, axis: -1, shape: [groups, -1])
        let groupScores =
            groupScore == .best
            ? grouped.max(axis: -1, keepDims: true) : top(grouped, k: 2, axis: -1).sum(axis: -1, keepDims: true)
        let dropped = groups - selectedGroups
        let worst = argPartition(groupScores, kth: dropped - 1, axis: -2)[.ellipsis, ..<dropped, 0...]
        choice = putAlong(grouped, worst, values: MLXArray(-Float.infinity), axis: -2).flattened(start: -2)
    }
    let indices = argPartition(-choice, kth: k - 1, axis: -1)[.ellipsis, ..<k]
    var weights = takeAlong(scores, indices, axis: -1)
    if normalize {
        let sum = weights.sum(axis: -1, keepDims: true)
        let floored = normalizeFloor.map { maximum(sum, MLXArray($0).asType(sum.dtype)) }
        let denominator = floored ?? sum
        weights = weights / (normalizeEpsilon == 0 ? denominator : denominator + normalizeEpsilon)
    }
    return (scale == 1 ? weights : weights * scale, indices)
}

/// A router whose weight is a bare matrix beside a per-expert selection bias
/// (`e_score_correction_bias`), as DeepSeek-V3-style checkpoints store it; its logits are computed
/// in float32.
///
/// With `holdsSelectionBias` false the router is the bare float32 matrix alone, for checkpoints that
/// store the bias elsewhere (`ExpertSelectionBias`) or configs that switch it off; checkpoints may
/// name the bias otherwise (`selectionBiasKey`).
public final class BiasedExpertRouter: Module {
    @ParameterInfo(key: "weight") public var weight: MLXArray
    @ParameterInfo(key: "e_score_correction_bias") public var selectionBias: MLXArray?

    public init(
        _ inputDimensions: Int, _ experts: Int, holdsSelectionBias: Bool = true,
        selectionBiasKey: String = "e_score_correction_bias"
    ) {
        let scale = (1.0 / Float(inputDimensions)).squareRoot()
        _weight.wrappedValue = MLXRandom.uniform(-scale ..< scale, [experts, inputDimensions])
        _selectionBias = ParameterInfo(
            wrappedValue: holdsSelectionBias ? MLXArray.zeros([experts]) : nil, key: selectionBiasKey)
        super.init()
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        matmul(x.asType(.float32), weight.asType(.float32).transposed())
    }
}

/// A per-expert selection bias kept in a module of its own beside the router, as a `[1, experts]`
/// `e_score_correction_bias` (one row per modality in the checkpoints that store it this way).
public final class ExpertSelectionBias: Module {
    @ParameterInfo(key: "e_score_correction_bias") public var bias: MLXArray

    public init(_ experts: Int) {
        _bias.wrappedValue = MLXArray.zeros([1, experts])
        super.init()
    }
}

/// A linear layer that checkpoints keep one level down, under `key` (`router.layer.weight`): the
/// nesting keeps the module paths that quantized checkpoints name the layer by.
public final class NestedLinear: Module, UnaryLayer {
    @ModuleInfo public var layer: Linear

    public init(key: String, _ inputDimensions: Int, _ outputDimensions: Int, bias: Bool) {
        _layer = ModuleInfo(wrappedValue: Linear(inputDimensions, outputDimensions, bias: bias), key: key)
        super.init()
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        layer(x)
    }
}

/// A router module holding its linear layer one level down, under `key` (`gate.gate_proj`), which a
/// quantized checkpoint may quantize, and beside it an optional per-expert selection bias under
/// `selectionBiasKey` (`gate.expert_bias`). Its logits are the layer's, in x's dtype.
public final class NestedBiasedExpertRouter: Module, UnaryLayer {
    @ModuleInfo public var layer: Linear
    @ParameterInfo public var selectionBias: MLXArray?

    public init(
        key: String, _ inputDimensions: Int, _ experts: Int, bias: Bool, holdsSelectionBias: Bool,
        selectionBiasKey: String
    ) {
        _layer = ModuleInfo(wrappedValue: Linear(inputDimensions, experts, bias: bias), key: key)
        _selectionBias = ParameterInfo(
            wrappedValue: holdsSelectionBias ? MLXArray.zeros([experts]) : nil, key: selectionBiasKey)
        super.init()
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        layer(x)
    }
}

/// GPT-OSS's gate: (clip(up, -7, 7) + 1) * g * sigmoid(1.702 * g) with g = min(gate, 7).
public func clampedSwiGLU(gate: MLXArray, up: MLXArray) -> MLXArray {
    let limit: Float = 7
    let g = minimum(gate, limit)
    let u = clip(up, min: -limit, max: limit)
    return (u + 1) * (g * sigmoid(1.702 * g))
}

/// Splits expert projections stored fused into `gate_proj` and `up_proj`: as converted checkpoints
/// hold them (`experts.gate_up_proj.weight` `[E, 2I, D]` with gate and up rows interleaved), or as
/// transformers saves them (`experts.gate_up_proj` `[E, D, 2I]` with interleaved columns and
/// `experts.down_proj` `[E, I, D]`, both multiplied from the left, so transposed here); with
/// `experts.gate_up_proj_bias` `[E, 2I]` and `experts.down_proj_bias`. Checkpoints that already
/// hold `gate_proj.weight` pass unchanged.
public func splittingInterleavedGateUp(_ weights: [String: MLXArray]) -> [String: MLXArray] {
    if weights.keys.contains(where: { $0.contains("gate_proj.weight") }) { return weights }
    var out: [String: MLXArray] = [:]
    for (key, value) in weights {
        if key.hasSuffix(".experts.gate_up_proj"), value.ndim == 3 {
            out[key.replacingOccurrences(of: "gate_up_proj", with: "gate_proj.weight")] =
                value[.ellipsis, .stride(by: 2)].transposed(0, 2, 1)
            out[key.replacingOccurrences(of: "gate_up_proj", with: "up_proj.weight")] =
                value[.ellipsis, .stride(from: 1, by: 2)].transposed(0, 2, 1)
        } else if key.hasSuffix(".experts.down_proj"), value.ndim == 3 {
            out[key + ".weight"] = value.transposed(0, 2, 1)
        } else if key.contains("gate_up_proj_bias") {
            out[key.replacingOccurrences(of: "gate_up_proj_bias", with: "gate_proj.bias")] =
                value[.ellipsis, .stride(by: 2)]
            out[key.replacingOccurrences(of: "gate_up_proj_bias", with: "up_proj.bias")] =
                value[.ellipsis, .stride(from: 1, by: 2)]
        } else if key.contains("down_proj_bias") {
            out[key.replacingOccurrences(of: "down_proj_bias", with: "down_proj.bias")] = value
        } else if key.contains("gate_up_proj") {
            out[key.replacingOccurrences(of: "gate_up_proj", with: "gate_proj")] =
                value[.ellipsis, .stride(by: 2), 0...]
            out[key.replacingOccurrences(of: "gate_up_proj", with: "up_proj")] =
                value[.ellipsis, .stride(from: 1, by: 2), 0...]
        } else {
            out[key] = value
        }
    }
    return out
}

/// Splits expert projections as transformers saves them with gate and up side by side:
/// `experts.gate_up_proj` `[E, D, 2I]` (columns gate then up) and `experts.down_proj` `[E, I, D]`,
/// both multiplied from the left, so transposed here. Other keys (converted experts' own
/// `gate_proj.weight`, dense MLPs) pass unchanged.
public func splittingConcatenatedGateUp(_ weights: [String: MLXArray]) -> [String: MLXArray] {
    var out: [String: MLXArray] = [:]
    for (key, value) in weights {
        if key.hasSuffix(".experts.gate_up_proj"), value.ndim == 3 {
            let halves = split(value, parts: 2, axis: -1)
            out[key.replacingOccurrences(of: "gate_up_proj", with: "gate_proj.weight")] = halves[0].transposed(0, 2, 1)
            out[key.replacingOccurrences(of: "gate_up_proj", with: "up_proj.weight")] = halves[1].transposed(0, 2, 1)
        } else if key.hasSuffix(".experts.down_proj"), value.ndim == 3 {
            out[key + ".weight"] = value.transposed(0, 2, 1)
        } else {
            out[key] = value
        }
    }
    return out
}

/// Splits experts that checkpoints keep as two fused tensors per layer: `<gateUp>.<suffix>`
/// `[E, 2I, D]` holds the gate projections' rows, then the up projections' (halves, not
/// interleaved), and becomes `<into>.gate_proj.<suffix>` and `<into>.up_proj.<suffix>`;
/// `<down>.<suffix>` becomes `<into>.down_proj.<suffix>`. Other keys, and a fused tensor without
/// two equal halves, pass unchanged (the strict load then names them).
public func splittingFusedExperts(
    _ weights: [String: MLXArray], gateUp: String, down: String, into: String
) -> [String: MLXArray] {
    var out: [String: MLXArray] = [:]
    for (key, value) in weights {
        if let range = key.range(of: "." + gateUp + "."), value.ndim == 3, value.dim(1) % 2 == 0 {
            let (prefix, suffix) = (key[..<range.lowerBound], key[range.upperBound...])
            let (gate, up) = split(value, axis: 1)
            out["\(prefix).\(into).gate_proj.\(suffix)"] = gate
            out["\(prefix).\(into).up_proj.\(suffix)"] = up
        } else if let range = key.range(of: "." + down + ".") {
            out["\(key[..<range.lowerBound]).\(into).down_proj.\(key[range.upperBound...])"] = value
        } else {
            out[key] = value
        }
    }
    return out
}

/// Joins an MLP's gate and up projections that a checkpoint keeps apart (`<mlp>.gate_proj.<suffix>`,
/// `<mlp>.up_proj.<suffix>`) into the one `<mlp>.gate_up_proj.<suffix>` the model holds, the gate's
/// rows first, wherever `fused` (the model's parameter keys, before any quantization) holds
/// `<mlp>.gate_up_proj.weight`; quantized scales and biases join row by row as the packed weights do.
/// Other keys pass unchanged.
public func fusingGateUp(_ weights: [String: MLXArray], fused: Set<String>) -> [String: MLXArray] {
    var out = weights
    for (key, gate) in weights {
        guard let range = key.range(of: ".gate_proj.") else { continue }
        let joined = key.replacingCharacters(in: range, with: ".gate_up_proj.")
        let upKey = key.replacingCharacters(in: range, with: ".up_proj.")
        let module = key[..<range.lowerBound] + ".gate_up_proj.weight"
        guard fused.contains(String(module)), let up = weights[upKey] else { continue }
        out[key] = nil
        out[upKey] = nil
        out[joined] = concatenated([gate, up], axis: 0)
    }
    return out
}

/// Stacks per-expert tensors (`<layer>.<from>.<e>.<name>.<suffix>`, e = 0, 1, ...) into one tensor
/// per projection (`<layer>.<into>.<names[name]>.<suffix>`), expert e at index e: the layout
/// checkpoints keep experts in, turned into the stacked switch layers. Other keys pass unchanged.
public func stackingExperts(
    _ weights: [String: MLXArray], from: String, into: String, names: [String: String]
) -> [String: MLXArray] {
    var out: [String: MLXArray] = [:]
    var groups: [String: [Int: MLXArray]] = [:]
    let marker = "." + from + "."
    for (key, value) in weights {
        guard let range = key.range(of: marker) else {
            out[key] = value
            continue
        }
        let parts = key[range.upperBound...].split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, let expert = Int(parts[0]), let target = names[parts[1]] else {
            out[key] = value
            continue
        }
        let stacked = "\(key[..<range.lowerBound]).\(into).\(target).\(parts[2])"
        groups[stacked, default: [:]][expert] = value
    }
    for (key, experts) in groups {
        // A missing expert leaves the group unstacked, so the strict load names what is missing.
        guard experts.keys.sorted() == Array(0 ..< experts.count) else {
            for (e, value) in experts { out["\(key).expert\(e)"] = value }
            continue
        }
        out[key] = stacked((0 ..< experts.count).map { experts[$0]! }, axis: 0)
    }
    return out
}

/// A router that reads the residual stream itself: RMS-normalised without a weight of its own,
/// multiplied by a learned vector (`scale`) and by 1/sqrt(width), then projected to one logit per
/// expert (`proj`). With `perExpertScale`, each chosen expert's weight is then multiplied by that
/// expert's learned `per_expert_scale`.
public final class ScaledInputRouter: Module {
    @ModuleInfo(key: "proj") var proj: Linear
    @ParameterInfo(key: "scale") var scale: MLXArray
    @ParameterInfo(key: "per_expert_scale") var perExpertScale: MLXArray?
    let eps: Float
    let rootSize: Float

    public init(hiddenSize: Int, experts: Int, perExpertScale: Bool, eps: Float) {
        _proj.wrappedValue = Linear(hiddenSize, experts, bias: false)
        _scale.wrappedValue = MLXArray.ones([hiddenSize])
        _perExpertScale.wrappedValue = perExpertScale ? MLXArray.ones([experts]) : nil
        self.eps = eps
        rootSize = Float(pow(Double(hiddenSize), -0.5))
        super.init()
    }

    /// One logit per expert for each row of `x`.
    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        proj(MLXFast.rmsNorm(x, weight: scale * rootSize, eps: eps))
    }

    /// Each row's `k` experts and their weights: a softmax over all experts (renormalised over the
    /// k chosen when `normalize` holds), times the per-expert scale when there is one.
    public func route(_ x: MLXArray, k: Int, normalize: Bool) -> (weights: MLXArray, indices: MLXArray) {
        let (weights, indices) = routeExperts(self(x), k: k, scores: .softmax, normalize: normalize)
        guard let perExpertScale else { return (weights, indices) }
        return (weights * perExpertScale[indices], indices)
    }
}

/// Splits expert projections stored as transformers saves them when gate and up are one tensor
/// whose first half of rows is the gate: `<experts>.gate_up_proj` `[E, 2I, D]` into
/// `<into>.gate_proj.weight` and `<into>.up_proj.weight` (`[E, I, D]` each), and
/// `<experts>.down_proj` `[E, D, I]` into `<into>.down_proj.weight`. `experts` and `into` are key
/// segments (`"experts"`, `"experts.switch_glu"`). Other keys pass unchanged.
public func splittingStackedGateUp(
    _ weights: [String: MLXArray], experts: String, into: String
) -> [String: MLXArray] {
    var out: [String: MLXArray] = [:]
    for (key, value) in weights {
        let prefix = key.hasSuffix(".\(experts).gate_up_proj") || key.hasSuffix(".\(experts).down_proj")
            ? String(key[..<key.range(of: ".\(experts).", options: .backwards)!.lowerBound]) : nil
        guard let prefix, value.ndim == 3 else {
            out[key] = value
            continue
        }
        if key.hasSuffix(".gate_up_proj") {
            let half = value.dim(1) / 2
            out["\(prefix).\(into).gate_proj.weight"] = value[0..., ..<half, 0...]
            out["\(prefix).\(into).up_proj.weight"] = value[0..., half..., 0...]
        } else {
            out["\(prefix).\(into).down_proj.weight"] = value
        }
    }
    return out
}
