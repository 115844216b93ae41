// Layers that run attention and a head-wise recurrence side by side: their shared cache, and the
// muP multipliers a PyTorch-layout checkpoint of such layers has folded into its weights as it loads.
import Foundation
import MLX
import MLXFast
import MLXLMCommon
import MLXNN

/// One layer's cache when attention and a recurrence both mix it: attention's keys and values, which
/// count the positions (so masks and rotations read them), and the recurrence's convolution inputs
/// and state.
public final class SummedMixersCache: KVCache {
    public private(set) var attention: KVCache
    public let recurrent: MambaCache

    public init(attention: KVCache, recurrent: MambaCache = MambaCache()) {
        self.attention = attention
        self.recurrent = recurrent
    }

    public var offset: Int { attention.offset }
    public var ropeOffset: RoPEOffset { attention.ropeOffset }
    public var maxSize: Int? { attention.maxSize }

    public func update(keys: MLXArray, values: MLXArray) -> (MLXArray, MLXArray) {
        attention.update(keys: keys, values: values)
    }

    public func innerState() -> [MLXArray] { attention.innerState() + recurrent.innerState() }

    /// Attention's arrays, then the recurrence's; the meta state records where they divide. Set
    /// before its meta state, the recurrence's are the last two (a convolution's inputs and the
    /// state), or none.
    public var state: [MLXArray] {
        get { attention.state + recurrent.state }
        set {
            let split = attentionStateKnown
                ? min(attentionStateCount, newValue.count) : newValue.count - min(2, newValue.count)
            attention.state = Array(newValue[..<split])
            recurrent.state = Array(newValue[split...])
        }
    }

    private var attentionStateCount: Int = 0
    private var attentionStateKnown = false

    public var metaState: [String] {
        get { [String(attention.state.count)] + attention.metaState }
        set {
            attentionStateCount = Int(newValue.first ?? "") ?? 0
            attentionStateKnown = true
            attention.metaState = Array(newValue.dropFirst())
        }
    }

    /// The recurrence's state cannot be rewound, so neither can the layer's.
    public var isTrimmable: Bool { false }

    @discardableResult
    public func trim(_ n: Int) -> Int { 0 }

    public func makeMask(n: Int, windowSize: Int?, returnArray: Bool) -> MLXFast.ScaledDotProductAttentionMaskMode {
        attention.makeMask(n: n, windowSize: windowSize, returnArray: returnArray)
    }

    public func copy() -> any KVCache {
        SummedMixersCache(attention: attention.copy(), recurrent: recurrent.copy() as! MambaCache)
    }

    public func prepare(lengths: [Int]?) {
        attention.prepare(lengths: lengths)
        recurrent.prepare(lengths: lengths)
    }

    public func prepare(lengths: MLXArray?) {
        attention.prepare(lengths: lengths)
        recurrent.prepare(lengths: lengths)
    }

    public func finalize() {
        attention.finalize()
        recurrent.finalize()
    }
}

/// One summed-mixers cache per layer, attention's part honouring `maxKVSize`.
public func makeSummedMixersCaches(count: Int, parameters: GenerateParameters?) -> [KVCache] {
    (0 ..< count).map { _ in SummedMixersCache(attention: fullAttentionCache(parameters, fullPrecision: false)) }
}

/// The muP multipliers of layers that sum attention and a recurrence, and the checkpoint names of
/// what they scale.
public struct MuPMultipliers {
    public var embedding: Float
    public var head: Float
    public var attentionIn: Float
    public var key: Float
    public var attentionOut: Float
    public var recurrenceIn: Float
    public var recurrenceOut: Float
    /// The multipliers of `in_proj`'s output segments z, x, B, C and dt.
    public var segments: [Double]
    /// The gate and down projections' multipliers.
    public var mlp: [Double]

    public init(
        embedding: Float, head: Float, attentionIn: Float, key: Float, attentionOut: Float,
        recurrenceIn: Float, recurrenceOut: Float, segments: [Double], mlp: [Double]
    ) {
        self.embedding = embedding
        self.head = head
        self.attentionIn = attentionIn
        self.key = key
        self.attentionOut = attentionOut
        self.recurrenceIn = recurrenceIn
        self.recurrenceOut = recurrenceOut
        self.segments = segments
        self.mlp = mlp
    }
}

/// Throws unless the segment multipliers are five (z, x, B, C, dt) and the MLP's two (gate, down).
public func validateMuP(segments: (key: String, value: [Double]), mlp: (key: String, value: [Double])) throws {
    if segments.value.count != 5 {
        throw ConfigurationError.invalid(
            key: segments.key, reason: "holds \(segments.value.count) multipliers; in_proj's five segments take five")
    }
    if mlp.value.count != 2 {
        throw ConfigurationError.invalid(
            key: mlp.key, reason: "holds \(mlp.value.count) multipliers; the gate and down projections take two")
    }
}

/// The weights with the muP multipliers folded in, as transformers applies them at run time, where
/// the checkpoint is in PyTorch's layout (`probe`, its first recurrence's convolution, stored
/// [channels, 1, kernel]); an MLX-layout checkpoint holds them folded already and is returned as it
/// is. A multiplier of a projection's input scales its weight alone; one of its output scales its
/// bias too. The segments of `in_proj` are `inner`, `inner`, `groupStates`, `groupStates` and
/// `heads` rows wide.
public func foldingMuPMultipliers(
    _ weights: [String: MLXArray], multipliers m: MuPMultipliers, probe: String,
    embedding: String, attention: String, recurrence: String, mlp: String,
    inner: Int, groupStates: Int, heads: Int
) -> [String: MLXArray] {
    guard let filter = weights.first(where: { $0.key.hasSuffix(probe) })?.value,
        filter.ndim == 3, filter.dim(1) == 1, filter.dim(2) > 1
    else { return weights }
    let sizes = [inner, inner, groupStates, groupStates, heads]
    var rows: [Float] = []
    for (size, factor) in zip(sizes, m.segments) {
        rows += Array(repeating: Float(factor), count: size)
    }
    let segments = MLXArray(rows)
    let gate = Float(m.mlp[0])
    let down = Float(m.mlp[1])
    var out: [String: MLXArray] = [:]
    for (name, value) in weights {
        func scaled(_ factor: Float) -> MLXArray { (value.asType(.float32) * factor).asType(value.dtype) }
        let isWeight = name.hasSuffix(".weight")
        let base = String(name.dropLast(isWeight ? ".weight".count : (name.hasSuffix(".bias") ? ".bias".count : 0)))
        switch true {
        case name.hasSuffix(".\(embedding).weight"):
            out[name] = scaled(m.embedding)
        case name == "lm_head.weight":
            out[name] = scaled(m.head)
        case base.hasSuffix(".\(attention).q_proj"), base.hasSuffix(".\(attention).v_proj"):
            out[name] = isWeight ? scaled(m.attentionIn) : value
        case base.hasSuffix(".\(attention).k_proj"):
            out[name] = scaled(isWeight ? m.attentionIn * m.key : m.key)
        case base.hasSuffix(".\(attention).o_proj"):
            out[name] = scaled(m.attentionOut)
        case base.hasSuffix(".\(recurrence).in_proj"):
            let factor = isWeight ? segments[0..., .newAxis] * m.recurrenceIn : segments
            out[name] = (value.asType(.float32) * factor).asType(value.dtype)
        case base.hasSuffix(".\(recurrence).out_proj"):
            out[name] = scaled(m.recurrenceOut)
        case base.hasSuffix(".\(mlp).gate_proj"):
            out[name] = scaled(gate)
        case base.hasSuffix(".\(mlp).down_proj"):
            out[name] = scaled(down)
        default:
            out[name] = value
        }
    }
    return out
}
