// Linux reference of mlx-swift-lm's rotary-embedding helpers (MLXLMCommon 3.31.4, RoPEUtils.swift and
// JSONDecodingTypes.swift): the RoPE layer type, the config value type rope scaling is read from,
// Llama 3's frequency smoothing and `initializeRope`, with that release's names, labels and defaults.
// Of the scaled kinds `initializeRope` builds, the reference carries Llama3RoPE only: the generated
// models take mlx-swift-lm's layer where it computes what transformers computes, and for YaRN,
// longrope and proportional RoPE it does not (see HF2SwiftRuntime's RoPE.swift).
import Foundation
import MLX
import MLXNN

/// A rotary position embedding, called with one offset or one per batch row.
public typealias RoPELayer = OffsetLayer & ArrayOffsetLayer

/// A config.json value that may be a string, a number, a list of numbers or a bool.
public enum StringOrNumber: Codable, Equatable, Sendable {
    case string(String)
    case int(Int)
    case float(Float)
    case ints([Int])
    case floats([Float])
    case bool(Bool)

    /// The first reading that succeeds, in the order int, float, ints, floats, bool, string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Float.self) {
            self = .float(value)
        } else if let value = try? container.decode([Int].self) {
            self = .ints(value)
        } else if let value = try? container.decode([Float].self) {
            self = .floats(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .ints(let value): try container.encode(value)
        case .floats(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    /// Integers as they are (one for a bool); nil for floats and strings.
    public func asInts() -> [Int]? {
        switch self {
        case .int(let value): [value]
        case .ints(let values): values
        case .string, .float, .floats, .bool: nil
        }
    }

    /// One integer (a one-element list counts, a bool is 0 or 1); nil for floats and strings.
    public func asInt() -> Int? {
        switch self {
        case .int(let value): value
        case .ints(let values): values.count == 1 ? values[0] : nil
        case .bool(let value): value ? 1 : 0
        case .string, .float, .floats: nil
        }
    }

    /// Numbers as floats (a bool is 0 or 1); nil for strings.
    public func asFloats() -> [Float]? {
        switch self {
        case .int(let value): [Float(value)]
        case .float(let value): [value]
        case .ints(let values): values.map { Float($0) }
        case .floats(let values): values
        case .bool(let value): [value ? 1 : 0]
        case .string: nil
        }
    }

    /// One number as a float (a one-element list counts, a bool is 0 or 1); nil for strings.
    public func asFloat() -> Float? {
        switch self {
        case .int(let value): Float(value)
        case .float(let value): value
        case .ints(let values): values.count == 1 ? Float(values[0]) : nil
        case .floats(let values): values.count == 1 ? values[0] : nil
        case .bool(let value): value ? 1 : 0
        case .string: nil
        }
    }
}

/// Llama 3.1's frequency smoothing: wavelengths longer than the original context over
/// `low_freq_factor` are stretched by `factor`, those shorter than it over `high_freq_factor` kept,
/// and the band between interpolated. Scalars in Float, frequencies in float32.
public class Llama3RoPE: Module, OffsetLayer, ArrayOffsetLayer {
    let dims: Int
    let maxPositionEmbeddings: Int
    let traditional: Bool
    let _freqs: MLXArray

    init(
        dims: Int, maxPositionEmbeddings: Int = 2048, traditional: Bool = false, base: Float = 10000,
        scalingConfig: [String: StringOrNumber]? = nil
    ) {
        guard let scalingConfig else { fatalError("Llama3RoPE requires scaling_config") }
        self.dims = dims
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.traditional = traditional
        let factor = scalingConfig["factor"]?.asFloat() ?? 1
        let lowFreqFactor = scalingConfig["low_freq_factor"]?.asFloat() ?? 1
        let highFreqFactor = scalingConfig["high_freq_factor"]?.asFloat() ?? 4
        let originalContext = scalingConfig["original_max_position_embeddings"]?.asFloat() ?? 8192
        let longest = originalContext / lowFreqFactor
        let shortest = originalContext / highFreqFactor

        let exponents = MLXArray(stride(from: Float(0), to: Float(dims), by: 2)) / Float(dims)
        let plain = pow(MLXArray(base), exponents)
        let wavelengths = 2 * Float.pi * plain
        let stretched = MLX.where(wavelengths .> longest, plain * factor, plain)
        let between = (wavelengths .> shortest) .&& (wavelengths .< longest)
        let blend = (originalContext / wavelengths - lowFreqFactor) / (highFreqFactor - lowFreqFactor)
        let smoothed = stretched / ((1 - blend) / factor + blend)
        _freqs = MLX.where(between, smoothed, stretched)
        super.init()
    }

    public func callAsFunction(_ x: MLXArray, offset: Int = 0) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dims, traditional: traditional, base: nil, scale: 1, offset: offset, freqs: _freqs)
    }

    public func callAsFunction(_ x: MLXArray, offset: MLXArray) -> MLXArray {
        MLXFast.RoPE(
            x, dimensions: dims, traditional: traditional, base: nil, scale: 1, offset: offset, freqs: _freqs)
    }
}

/// The rotary embedding `scalingConfig` asks for (its `type` or `rope_type`; none is the default):
/// a plain rotation for `default`, `linear` (positions scaled by 1 / factor) and `mrope` (whose
/// per-modality sections the attention applies), Llama3RoPE for `llama3`.
public func initializeRope(
    dims: Int, base: Float, traditional: Bool, scalingConfig: [String: StringOrNumber]?,
    maxPositionEmbeddings: Int?
) -> RoPELayer {
    var ropeType = "default"
    if let typeValue = scalingConfig?["type"] ?? scalingConfig?["rope_type"], case .string(let name) = typeValue {
        ropeType = name
    }
    switch ropeType {
    case "default", "linear":
        var scale: Float = 1
        if ropeType == "linear", let factor = scalingConfig?["factor"]?.asFloat() {
            scale = 1 / factor
        }
        return RoPE(dimensions: dims, traditional: traditional, base: base, scale: scale)
    case "llama3":
        return Llama3RoPE(
            dims: dims, maxPositionEmbeddings: maxPositionEmbeddings ?? 2048, traditional: traditional, base: base,
            scalingConfig: scalingConfig)
    case "mrope":
        if let sections = scalingConfig?["mrope_section"]?.asInts() {
            precondition(sections.count == 3, "MRoPE currently only supports 3 sections, got \(sections.count)")
        }
        return RoPE(dimensions: dims, traditional: traditional, base: base, scale: 1)
    case "yarn", "deepseek_yarn", "telechat3-yarn", "longrope", "proportional":
        fatalError("initializeRope: the Linux reference leaves out rope type \(ropeType)")
    default:
        fatalError("Unsupported RoPE type: \(ropeType)")
    }
}
