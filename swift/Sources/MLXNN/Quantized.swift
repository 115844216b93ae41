// Quantized layers (affine mode) and the model-wide quantize() that swaps layers in place.
import Foundation
import MLX

/// A layer that can produce a quantized version of itself.
public protocol Quantizable {
    @available(*, deprecated, message: "prefer the toQuantized that takes a mode")
    func toQuantized(groupSize: Int, bits: Int) -> Module
    func toQuantized(groupSize: Int, bits: Int, mode: QuantizationMode) -> Module
}

extension Quantizable {
    public func toQuantized(groupSize: Int, bits: Int) -> Module {
        toQuantized(groupSize: groupSize, bits: bits, mode: .affine)
    }
}

/// A quantized layer.
public protocol Quantized: Module {
    var groupSize: Int { get }
    var bits: Int { get }
    var mode: QuantizationMode { get }
}

/// The quantized version of `layer`, or nil when it is already quantized or not quantizable.
public func quantizeSingle(
    layer: Module, groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode = .affine
) -> Quantized? {
    if layer is Quantized {
        return nil
    }
    if let quantizable = layer as? Quantizable {
        return quantizable.toQuantized(groupSize: groupSize, bits: bits, mode: mode) as? Quantized
    }
    return nil
}

/// Replace every leaf module accepted by `filter` with `apply(module, groupSize, bits, mode)`.
/// The replaced properties must be `@ModuleInfo` (this traps otherwise, as in mlx-swift).
public func quantize(
    model: Module, groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode = .affine,
    filter: (String, Module) -> Bool = { _, _ in true },
    apply: (Module, Int, Int, QuantizationMode) -> Module? = quantizeSingle(layer:groupSize:bits:mode:)
) {
    let updates = model.leafModules().flattened().compactMap { (path, module) -> (String, Module)? in
        guard filter(path, module), let quantized = apply(module, groupSize, bits, mode) else {
            return nil
        }
        return (path, quantized)
    }
    model.update(modules: ModuleChildren.unflattened(updates))
}

@available(*, deprecated, message: "use quantize that takes a 4 argument apply")
@_disfavoredOverload
public func quantize(
    model: Module, groupSize: Int = 64, bits: Int = 4,
    filter: (String, Module) -> Bool = { _, _ in true },
    apply: (Module, Int, Int) -> Module? = {
        quantizeSingle(layer: $0, groupSize: $1, bits: $2, mode: .affine)
    }
) {
    quantize(
        model: model, groupSize: groupSize, bits: bits, mode: .affine, filter: filter,
        apply: { layer, g, b, _ in apply(layer, g, b) })
}

/// Quantize with per-layer parameters: `filter` returns them, or nil to skip the layer.
public func quantize(
    model: Module,
    filter: (String, Module) -> (groupSize: Int, bits: Int, mode: QuantizationMode)?,
    apply: (Module, Int, Int, QuantizationMode) -> Module? = quantizeSingle(layer:groupSize:bits:mode:)
) {
    let updates = model.leafModules().flattened().compactMap { (path, module) -> (String, Module)? in
        guard let (groupSize, bits, mode) = filter(path, module),
            let quantized = apply(module, groupSize, bits, mode)
        else {
            return nil
        }
        return (path, quantized)
    }
    model.update(modules: ModuleChildren.unflattened(updates))
}

@available(*, deprecated, message: "use quantize that takes a 4 argument apply")
@_disfavoredOverload
public func quantize(
    model: Module,
    filter: (String, Module) -> (groupSize: Int, bits: Int)?,
    apply: (Module, Int, Int) -> Module? = {
        quantizeSingle(layer: $0, groupSize: $1, bits: $2, mode: .affine)
    }
) {
    quantize(
        model: model,
        filter: { path, module in
            filter(path, module).map { ($0.groupSize, $0.bits, QuantizationMode.affine) }
        },
        apply: { layer, g, b, _ in apply(layer, g, b) })
}

/// An embedding whose table is stored quantized (`weight` packed uint32, plus `scales`/`biases`).
open class QuantizedEmbedding: Embedding, Quantized {
    public let groupSize: Int
    public let bits: Int
    public let mode: QuantizationMode
    public let scales: MLXArray
    public let biases: MLXArray?

    @ParameterInfo(key: "global_scale") public private(set) var globalScale: MLXArray?

    open override var shape: (Int, Int) {
        let (embeddingCount, packed) = super.shape
        return (embeddingCount, packed * 32 / bits)
    }

    public convenience init(
        embeddingCount: Int, dimensions: Int, groupSize: Int = 64, bits: Int = 4,
        mode: QuantizationMode = .affine
    ) {
        let scale = (1 / Float(dimensions)).squareRoot()
        let weight = MLXRandom.normal([embeddingCount, dimensions]) * scale
        self.init(weight: weight, groupSize: groupSize, bits: bits, mode: mode)
    }

    public convenience init(
        _ other: Embedding, groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode = .affine
    ) {
        self.init(weight: other.weight, groupSize: groupSize, bits: bits, mode: mode)
    }

    /// Quantize `weight` (and freeze the layer).
    public init(
        weight: MLXArray, groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode = .affine,
        globalScale: MLXArray? = nil
    ) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
        self._globalScale.wrappedValue = globalScale
        let (quantizedWeight, scales, biases) = MLX.quantized(
            weight, groupSize: groupSize, bits: bits, mode: mode, globalScale: globalScale)
        self.scales = scales
        self.biases = biases
        super.init(weight: quantizedWeight)
        self.freeze()
    }

    /// Use already quantized parameters.
    public init(
        weight: MLXArray, scales: MLXArray, biases: MLXArray?, groupSize: Int, bits: Int,
        mode: QuantizationMode = .affine, globalScale: MLXArray? = nil
    ) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
        self.scales = scales
        self.biases = biases
        self._globalScale.wrappedValue = globalScale
        super.init(weight: weight)
    }

    open override func callAsFunction(_ x: MLXArray) -> MLXArray {
        let s = x.shape
        let x = x.flattened()
        let out = dequantized(
            weight[x], scales: scales[x], biases: biases.map { $0[x] }, groupSize: groupSize,
            bits: bits, mode: mode)
        return out.reshaped(s + [-1])
    }

    open override func asLinear(_ x: MLXArray) -> MLXArray {
        quantizedMM(
            x, weight, scales: scales, biases: biases, transpose: true, groupSize: groupSize,
            bits: bits, mode: mode)
    }
}

/// A linear layer whose weight is stored quantized (`weight` packed uint32, plus
/// `scales`/`biases`, optional `bias`).
open class QuantizedLinear: Linear, Quantized {
    public let groupSize: Int
    public let bits: Int
    public let mode: QuantizationMode
    public let scales: MLXArray
    public let biases: MLXArray?

    @ParameterInfo(key: "global_scale") public private(set) var globalScale: MLXArray?

    open override var shape: (Int, Int) {
        let shape = weight.shape2
        return (shape.0, shape.1 * 32 / bits)
    }

    public convenience init(
        _ inputDimensions: Int, _ outputDimensions: Int, bias: Bool = true, groupSize: Int = 64,
        bits: Int = 4, mode: QuantizationMode = .affine
    ) {
        let scale = (1 / Float(inputDimensions)).squareRoot()
        let weight = MLXRandom.uniform(low: -scale, high: scale, [outputDimensions, inputDimensions])
        let bias = bias ? MLXArray.zeros([outputDimensions]) : nil
        self.init(weight: weight, bias: bias, groupSize: groupSize, bits: bits, mode: mode)
    }

    public convenience init(
        _ other: Linear, groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode = .affine
    ) {
        self.init(weight: other.weight, bias: other.bias, groupSize: groupSize, bits: bits, mode: mode)
    }

    /// Quantize `weight` (and freeze the layer).
    public init(
        weight: MLXArray, bias: MLXArray?, groupSize: Int = 64, bits: Int = 4,
        mode: QuantizationMode = .affine, globalScale: MLXArray? = nil
    ) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
        self._globalScale.wrappedValue = globalScale
        let (quantizedWeight, scales, biases) = MLX.quantized(
            weight, groupSize: groupSize, bits: bits, mode: mode, globalScale: globalScale)
        self.scales = scales
        self.biases = biases
        super.init(weight: quantizedWeight, bias: bias)
        self.freeze()
    }

    /// Use already quantized parameters.
    public init(
        weight: MLXArray, bias: MLXArray? = nil, scales: MLXArray, biases: MLXArray?,
        groupSize: Int, bits: Int, mode: QuantizationMode = .affine, globalScale: MLXArray? = nil
    ) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
        self.scales = scales
        self.biases = biases
        self._globalScale.wrappedValue = globalScale
        super.init(weight: weight, bias: bias)
    }

    /// Unfreezing keeps the quantized parameters themselves frozen.
    public override func unfreeze(recursive: Bool = true, keys: [String]? = nil, strict: Bool = false)
        throws
    {
        try super.unfreeze(recursive: recursive, keys: keys, strict: strict)
        self.freeze(recursive: false)
    }

    open override func callAsFunction(_ x: MLXArray) -> MLXArray {
        var result = quantizedMM(
            x, weight, scales: scales, biases: biases, transpose: true, groupSize: groupSize,
            bits: bits, mode: mode)
        if let bias {
            result = result + bias
        }
        return result
    }
}
