// The MLXLMCommon reference's switch layers: the sorted path long prompts take gives what each token
// computes alone, and quantized experts are what the loader's quantization makes of them.
import Foundation
import MLX
import MLXLMCommon
import MLXNN
import XCTest

private func largestDifference(_ a: MLXArray, _ b: MLXArray) -> Float {
    abs(a - b).max().item(Float.self)
}

final class SwitchLayerTests: XCTestCase {
    /// `tokens` random rows, each routed to `perToken` of `experts` experts by a fixed spread.
    private func routed(tokens: Int, experts: Int, perToken: Int) -> (MLXArray, MLXArray) {
        let x = MLXRandom.normal([1, tokens, 16], key: MLXRandom.key(7))
        let indices = (0 ..< tokens * perToken).map { Int32(($0 * 5 + $0 / perToken) % experts) }
        return (x, MLXArray(indices).reshaped(1, tokens, perToken))
    }

    func testSortedRowsGiveWhatEachTokenComputesAlone() {
        MLXRandom.seed(3)
        let experts = 8
        for glu in [
            SwitchGLU(inputDims: 16, hiddenDims: 24, numExperts: experts, bias: true),
            SwitchGLU(inputDims: 16, hiddenDims: 24, numExperts: experts, activation: geluApproximate),
        ] {
            let (x, indices) = routed(tokens: 24, experts: experts, perToken: 4)
            XCTAssertGreaterThanOrEqual(indices.size, 64, "the sorted path")
            let together = glu(x, indices)
            XCTAssertEqual(together.shape, [1, 24, 4, 16])
            for t in 0 ..< 24 {
                let alone = glu(x[0..., t ..< t + 1], indices[0..., t ..< t + 1])
                XCTAssertEqual(
                    together[0..., t ..< t + 1].asArray(Float.self), alone.asArray(Float.self), "token \(t)")
            }
        }
    }

    func testSwitchLinearIsTheNamedExpertsMatrix() {
        MLXRandom.seed(5)
        let layer = SwitchLinear(inputDims: 6, outputDims: 3, numExperts: 4)
        let weight = MLXRandom.normal([4, 3, 6], key: MLXRandom.key(1))
        let bias = MLXRandom.normal([4, 3], key: MLXRandom.key(2))
        layer.update(parameters: ModuleParameters.unflattened(["weight": weight, "bias": bias]))
        let x = MLXRandom.normal([2, 1, 1, 6], key: MLXRandom.key(3))
        let indices = MLXArray([Int32(3), 1, 0, 2]).reshaped(2, 2)
        let y = layer(x, indices)
        XCTAssertEqual(y.shape, [2, 2, 1, 3])
        for row in 0 ..< 2 {
            for slot in 0 ..< 2 {
                let e = indices[row, slot].item(Int.self)
                let expected = matmul(x[row, 0], weight[e].transposed()) + bias[e]
                XCTAssertLessThan(largestDifference(y[row, slot], expected), 1e-5, "row \(row) slot \(slot)")
            }
        }
    }

    func testQuantizationReplacesSwitchLinearsWithQuantizedOnes() {
        MLXRandom.seed(9)
        let glu = SwitchGLU(inputDims: 64, hiddenDims: 64, numExperts: 4)
        let (x, indices) = routed(tokens: 3, experts: 4, perToken: 2)
        let x64 = concatenated([x, x, x, x], axis: -1)
        let before = glu(x64, indices)
        quantize(model: glu, groupSize: 64, bits: 8)
        let layers = glu.leafModules().flattened().map { $0.1 }
        XCTAssertEqual(layers.count, 3)
        for layer in layers {
            let quantized = layer as? QuantizedSwitchLinear
            XCTAssertNotNil(quantized)
            XCTAssertEqual(quantized?.bits, 8)
            XCTAssertEqual(quantized?.groupSize, 64)
        }
        let after = glu(x64, indices)
        XCTAssertEqual(after.shape, before.shape)
        let difference = largestDifference(after, before)
        XCTAssertGreaterThan(difference, 0, "8-bit weights round")
        XCTAssertLessThan(difference, 0.05)
    }
}
