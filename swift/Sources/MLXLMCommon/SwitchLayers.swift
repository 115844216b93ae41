// Linux reference of mlx-swift-lm's mixture-of-experts layers (MLXLMCommon 3.31.4, SwitchLayers.swift):
// per-expert linear layers, their quantized form and the gated expert MLP, with that release's names,
// labels and defaults. The fused gate-and-up variant is left out: no generated model uses it.
import Foundation
import MLX
import MLXNN
import MLXRandom

/// silu(gate) * up, compiled as one function (here compilation is a no-op, so it is the plain product).
public let compiledSiluProduct: @Sendable (MLXArray, MLXArray) -> MLXArray = compile(shapeless: true) {
    gate, up in silu(gate) * up
}

/// `x`'s rows repeated once for each of their `indices` and reordered so the expert indices ascend:
/// (rows, sorted indices, the permutation that restores the original order). Sorted rows let the
/// product visit each expert's matrix once.
public func gatherSort(x: MLXArray, indices: MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let perRow = indices.dim(-1)
    let flat = indices.flattened()
    let order = argSort(flat)
    let restore = argSort(order)
    let rows = x.flattened(start: 0, end: -3)[floorDivide(order, perRow)]
    return (rows, flat[order], restore)
}

/// The inverse of ``gatherSort(x:indices:)``: rows back in their original order, with the leading
/// axis split into `shape` when given.
public func scatterUnsort(x: MLXArray, invOrder: MLXArray, shape: [Int]? = nil) -> MLXArray {
    let restored = x[invOrder]
    guard let shape else { return restored }
    return unflatten(restored, axis: 0, shape: shape)
}

/// One `[outputDims, inputDims]` matrix (and `[outputDims]` bias) per expert; each input row is
/// multiplied by the matrix of the expert its index names.
public class SwitchLinear: Module, Quantizable {
    @ParameterInfo(key: "weight") var weight: MLXArray
    @ParameterInfo(key: "bias") var bias: MLXArray?

    let inputDims: Int
    let outputDims: Int
    let numExperts: Int

    public init(inputDims: Int, outputDims: Int, numExperts: Int, bias: Bool = true) {
        self.inputDims = inputDims
        self.outputDims = outputDims
        self.numExperts = numExperts
        let scale = (1 / Float(inputDims)).squareRoot()
        _weight.wrappedValue = MLXRandom.uniform(low: -scale, high: scale, [numExperts, outputDims, inputDims])
        _bias.wrappedValue = bias ? MLXArray.zeros([numExperts, outputDims]) : nil
        super.init()
    }

    /// A layer holding the given parameters as they are.
    public init(
        inputDims: Int, outputDims: Int, numExperts: Int, weight: MLXArray, bias: MLXArray? = nil
    ) {
        self.inputDims = inputDims
        self.outputDims = outputDims
        self.numExperts = numExperts
        _weight.wrappedValue = weight
        _bias.wrappedValue = bias
        super.init()
    }

    /// `x`: `[..., rows, inputDims]`, broadcast against `indices`; `sortedIndices` says the indices
    /// ascend (as ``gatherSort(x:indices:)`` leaves them), which only lets the product go faster.
    public func callAsFunction(_ x: MLXArray, _ indices: MLXArray, sortedIndices: Bool = false) -> MLXArray {
        let y = gatherMM(x, weight.swappedAxes(-1, -2), rhsIndices: indices, sortedIndices: sortedIndices)
        return addingBias(y, indices)
    }

    func addingBias(_ y: MLXArray, _ indices: MLXArray) -> MLXArray {
        guard let bias else { return y }
        return y + bias[indices].expandedDimensions(axis: -2)
    }

    public func toQuantized(groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode) -> Module {
        QuantizedSwitchLinear(self, groupSize: groupSize, bits: bits, mode: mode)
    }
}

/// Per-expert matrices stored quantized (`weight` packed, `scales`, and `biases` for affine modes),
/// multiplied through gatherQuantizedMM.
public class QuantizedSwitchLinear: SwitchLinear, Quantized {
    @ParameterInfo(key: "scales") var scales: MLXArray
    @ParameterInfo(key: "biases") var biases: MLXArray?

    public let groupSize: Int
    public let bits: Int
    public let mode: QuantizationMode

    /// `other` quantized expert by expert; the result is frozen, as quantized weights do not train.
    public init(_ other: SwitchLinear, groupSize: Int = 64, bits: Int = 4, mode: QuantizationMode = .affine) {
        self.groupSize = groupSize
        self.bits = bits
        self.mode = mode
        let (packed, scales, biases) = MLX.quantized(other.weight, groupSize: groupSize, bits: bits, mode: mode)
        _scales.wrappedValue = scales
        _biases.wrappedValue = biases
        super.init(
            inputDims: other.inputDims, outputDims: other.outputDims, numExperts: other.numExperts,
            weight: packed, bias: other.bias)
        freeze()
    }

    override public func callAsFunction(_ x: MLXArray, _ indices: MLXArray, sortedIndices: Bool = false)
        -> MLXArray
    {
        let y = gatherQuantizedMM(
            x, weight, scales: scales, biases: biases, rhsIndices: indices, transpose: true,
            groupSize: groupSize, bits: bits, mode: mode, sortedIndices: sortedIndices)
        return addingBias(y, indices)
    }
}

/// Gated experts: down(activation(gate(x)) * up(x)) through the experts `indices` name, for every
/// token and each of its k experts; `[..., dims]` in, `[..., k, dims]` out. From 64 routed rows on,
/// the rows are sorted by expert first, which changes the order of work, not the result.
public class SwitchGLU: Module {
    @ModuleInfo(key: "gate_proj") var gateProj: SwitchLinear
    @ModuleInfo(key: "up_proj") var upProj: SwitchLinear
    @ModuleInfo(key: "down_proj") var downProj: SwitchLinear

    let inputDims: Int
    let hiddenDims: Int
    let numExperts: Int
    let activation: (MLXArray) -> MLXArray
    let activationProduct: (@Sendable (MLXArray, MLXArray) -> MLXArray)?

    /// SwiGLU experts: silu(gate) * up through ``compiledSiluProduct``.
    public init(inputDims: Int, hiddenDims: Int, numExperts: Int, bias: Bool = false) {
        self.inputDims = inputDims
        self.hiddenDims = hiddenDims
        self.numExperts = numExperts
        self.activation = silu
        self.activationProduct = compiledSiluProduct
        (_gateProj.wrappedValue, _upProj.wrappedValue, _downProj.wrappedValue) = Self.projections(
            inputDims: inputDims, hiddenDims: hiddenDims, numExperts: numExperts, bias: bias)
        super.init()
    }

    /// Experts whose gate goes through `activation` before it multiplies up.
    public init(
        inputDims: Int, hiddenDims: Int, numExperts: Int, activation: @escaping (MLXArray) -> MLXArray,
        bias: Bool = false
    ) {
        self.inputDims = inputDims
        self.hiddenDims = hiddenDims
        self.numExperts = numExperts
        self.activation = activation
        self.activationProduct = nil
        (_gateProj.wrappedValue, _upProj.wrappedValue, _downProj.wrappedValue) = Self.projections(
            inputDims: inputDims, hiddenDims: hiddenDims, numExperts: numExperts, bias: bias)
        super.init()
    }

    /// Gate, up and down.
    private static func projections(inputDims: Int, hiddenDims: Int, numExperts: Int, bias: Bool)
        -> (SwitchLinear, SwitchLinear, SwitchLinear)
    {
        (
            SwitchLinear(inputDims: inputDims, outputDims: hiddenDims, numExperts: numExperts, bias: bias),
            SwitchLinear(inputDims: inputDims, outputDims: hiddenDims, numExperts: numExperts, bias: bias),
            SwitchLinear(inputDims: hiddenDims, outputDims: inputDims, numExperts: numExperts, bias: bias)
        )
    }

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
        let gate = gateProj(rows, routed, sortedIndices: sort)
        let up = upProj(rows, routed, sortedIndices: sort)
        let hidden = activationProduct.map { $0(gate, up) } ?? activation(gate) * up
        var y = downProj(hidden, routed, sortedIndices: sort)
        if let restore {
            y = scatterUnsort(x: y, invOrder: restore, shape: indices.shape)
        }
        return y.squeezed(axis: -2)
    }
}
