// must-pass: loading an mlx_lm.convert checkpoint (quantize exactly the layers whose `.scales` exist, with per-layer bits) and the quantized ops a quantized MoE layer calls.
import Foundation
import MLX
import MLXNN

func loadQuantized(_ model: Module, weights: [String: MLXArray], perLayer: [String: (Int, Int)]) throws {
    quantize(model: model) { path, _ in
        guard weights["\(path).scales"] != nil else { return nil }
        let (groupSize, bits) = perLayer[path] ?? (64, 4)
        return (groupSize, bits, .affine)
    }
    try model.update(parameters: ModuleParameters.unflattened(weights), verify: [.all])
}

func quantizedExperts(_ x: MLXArray, _ layer: QuantizedLinear, experts: MLXArray) -> MLXArray {
    gatherQuantizedMM(
        x, layer.weight, scales: layer.scales, biases: layer.biases, rhsIndices: experts,
        transpose: true, groupSize: layer.groupSize, bits: layer.bits, mode: layer.mode,
        sortedIndices: false)
}

func roundTrip(_ w: MLXArray) -> (MLXArray, MLXArray) {
    let (wq, scales, biases) = quantized(w, groupSize: 32, bits: 8)
    let back = dequantized(wq, scales: scales, biases: biases, groupSize: 32, bits: 8, dtype: .bfloat16)
    let product = quantizedMM(back, wq, scales: scales, biases: biases, transpose: true, groupSize: 32, bits: 8)
    return (back, product)
}

func embeddingFromParts(_ wq: MLXArray, _ scales: MLXArray, _ biases: MLXArray, _ h: MLXArray) -> MLXArray {
    let table = QuantizedEmbedding(weight: wq, scales: scales, biases: biases, groupSize: 64, bits: 4)
    let quantizedInPlace = QuantizedEmbedding(weight: h, groupSize: 64, bits: 4)
    return table.asLinear(h) + quantizedInPlace(MLXArray([0, 1])).sum()
}
