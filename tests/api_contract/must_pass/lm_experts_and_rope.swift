// must-pass: a mixture-of-experts block and a rotary embedding as mlx-swift-lm's models build them: SwitchGLU
// (default SwiGLU or a given activation), its switch layers quantized by quantize(model:), and
// initializeRope reading rope_scaling as config values.
import MLX
import MLXLMCommon
import MLXNN

final class Experts: Module {
    @ModuleInfo(key: "switch_mlp") var experts: SwitchGLU
    @ModuleInfo(key: "shared") var geglu: SwitchGLU

    override init() {
        _experts.wrappedValue = SwitchGLU(inputDims: 8, hiddenDims: 16, numExperts: 4)
        _geglu.wrappedValue = SwitchGLU(
            inputDims: 8, hiddenDims: 16, numExperts: 4, activation: geluApproximate, bias: true)
    }

    func callAsFunction(_ x: MLXArray, _ indices: MLXArray, _ weights: MLXArray) -> MLXArray {
        (experts(x, indices) * weights.expandedDimensions(axis: -1)).sum(axis: -2) + geglu(x, indices).sum(axis: -2)
    }
}

func build() -> (Experts, RoPELayer) {
    let model = Experts()
    quantize(model: model, groupSize: 64, bits: 4) { _, module in module is SwitchLinear }
    let linear: SwitchLinear = QuantizedSwitchLinear(SwitchLinear(inputDims: 64, outputDims: 8, numExperts: 2))
    _ = linear(MLXArray.zeros([1, 1, 1, 64]), MLXArray([Int32(1)]), sortedIndices: false)
    let scaling: [String: StringOrNumber] = [
        "rope_type": .string("llama3"), "factor": .float(8), "low_freq_factor": .float(1),
        "high_freq_factor": .float(4), "original_max_position_embeddings": .int(8192),
    ]
    let rope = initializeRope(
        dims: 64, base: 500_000, traditional: false, scalingConfig: scaling, maxPositionEmbeddings: 131_072)
    _ = rope(MLXArray.zeros([1, 2, 3, 64]), offset: 3)
    return (model, rope)
}
