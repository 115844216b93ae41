// Tests of matrix products (matmul, addMM, gatherMM, quantized), sorting/partitioning and the
// take/put family.
import Foundation
@testable import MLX
import XCTest

final class LinalgSortingTests: XCTestCase {

    func testMatmulShapesAndValues() {
        let a = MLXArray([1, 2, 3, 4, 5, 6] as [Float], [2, 3])
        let b = MLXArray([1, 0, 0, 1, 1, 1] as [Float], [3, 2])
        XCTAssertEqual(matmul(a, b).asArray(Float.self), [4, 5, 10, 11])
        XCTAssertEqual(a.matmul(b).shape, [2, 2])
        // 1-D operands: a row vector on the left, a column vector on the right, then removed
        let v = MLXArray([1, 1, 1] as [Float])
        XCTAssertEqual(matmul(a, v).asArray(Float.self), [6, 15])
        XCTAssertEqual(matmul(MLXArray([1, 1] as [Float]), a).asArray(Float.self), [5, 7, 9])
        XCTAssertEqual(matmul(v, v).ndim, 0)
        XCTAssertEqual(matmul(v, v).item(Float.self), 3)
        // batch dims broadcast
        let batchA = MLXArray.ones([2, 1, 2, 3])
        let batchB = MLXArray.ones([3, 3, 4])
        XCTAssertEqual(matmul(batchA, batchB).shape, [2, 3, 2, 4])
        XCTAssertEqual(matmul(batchA, batchB).max().item(Float.self), 3)
        XCTAssertEqual(matmul(a.asType(.bfloat16), b).dtype, .float32)
        let x = patternArray([2, 3, 8], seed: 1)
        let w = patternArray([5, 8], seed: 3)
        assertClose(matmul(x, w.T), MLXReference.matmulBatched)
    }

    func testAddMM() {
        let x = patternArray([2, 3, 8], seed: 1)
        let w = patternArray([5, 8], seed: 3)
        let c = patternArray([5], seed: 4)
        assertClose(addMM(c, x, w.T), MLXReference.addMM)
        let bf = addMM(c.asType(.bfloat16), x.asType(.bfloat16), w.T.asType(.bfloat16))
        XCTAssertEqual(bf.dtype, .bfloat16)
        // one rounding of (x·w + c), not two
        assertClose(bf, MLXReference.addMMBF16, rtol: 0, atol: 0)
        let scaled = addMM(c, x, w.T, alpha: 2, beta: 0.5)
        assertClose(scaled, (2 * matmul(x, w.T) + 0.5 * c).asArray(Float.self), rtol: 1e-6)
    }

    func testGatherMM() {
        let x = patternArray([2, 3, 8], seed: 1)
        let experts = patternArray([4, 8, 6], seed: 12)
        let indices = MLXArray([3, 0, 2, 1, 1, 0], [2, 3]).asType(.uint32)
        let out = gatherMM(x.expandedDimensions(axis: -2), experts, rhsIndices: indices)
        XCTAssertEqual(out.shape, [2, 3, 1, 6])
        assertClose(out, MLXReference.gatherMM)
        // each output row is the matmul with the selected expert
        let row = matmul(x[1, 2], experts[0])
        assertClose(out[1, 2, 0], row.asArray(Float.self))
        // lhs indices pick the batch entry of a; both index arrays broadcast
        let a = patternArray([3, 2, 8], seed: 2)
        let picked = gatherMM(a, experts, lhsIndices: MLXArray([2, 0]), rhsIndices: MLXArray([1, 3]))
        XCTAssertEqual(picked.shape, [2, 2, 6])
        assertClose(picked[0], matmul(a[2], experts[1]).asArray(Float.self))
        assertClose(picked[1], matmul(a[0], experts[3]).asArray(Float.self))
        // without indices it is a plain matmul
        XCTAssertEqual(gatherMM(a, experts[0]).shape, [3, 2, 6])
    }

    func testQuantization() {
        let w = patternArray([6, 64], seed: 13)
        let (wq, scales, biases) = quantized(w, groupSize: 32, bits: 4)
        XCTAssertEqual(wq.dtype, .uint32)
        XCTAssertEqual(wq.shape, [6, 8])
        XCTAssertEqual(scales.shape, [6, 2])
        XCTAssertEqual(wq.asArray(UInt32.self), MLXReference.quantizedWeight)
        assertClose(scales, MLXReference.quantizedScales)
        assertClose(biases!, MLXReference.quantizedBiases)
        // w ≈ scale * q + bias within one quantization step (MLX re-centres the scale on the
        // group's edge value, so the opposite edge can be off by up to a step)
        let restored = dequantized(wq, scales: scales, biases: biases, groupSize: 32, bits: 4)
        let step = scales.asArray(Float.self).map { Swift.abs($0) }.max()!
        XCTAssertLessThanOrEqual(abs(restored - w).max().item(Float.self), step + 1e-6)
        // unpacking by hand: value i lives in bits [4i, 4i + 4) of the little-endian words
        let firstWord = wq.asArray(UInt32.self)[0]
        let s0 = scales[0, 0].item(Float.self), b0 = biases![0, 0].item(Float.self)
        for i in 0 ..< 8 {
            let q = Float((firstWord >> UInt32(4 * i)) & 0xF)
            XCTAssertEqual(restored[0, i].item(Float.self), s0 * q + b0, accuracy: 1e-6)
        }
        let x = patternArray([3, 64], seed: 14)
        assertClose(quantizedMM(x, wq, scales: scales, biases: biases, transpose: true, groupSize: 32, bits: 4), MLXReference.quantizedMM)
        assertClose(
            quantizedMM(x, wq, scales: scales, biases: biases, groupSize: 32, bits: 4),
            matmul(x, restored.T).asArray(Float.self), rtol: 1e-5, atol: 1e-5)
        // 3-, 6- and 8-bit codes round trip through packing
        for bits in [3, 6, 8] {
            let (q, s, b) = quantized(w, groupSize: 64, bits: bits)
            XCTAssertEqual(q.dim(-1), 64 * bits / 32)
            let back = dequantized(q, scales: s, biases: b, groupSize: 64, bits: bits)
            let tolerance = s.asArray(Float.self).map { Swift.abs($0) }.max()! + 1e-6
            XCTAssertLessThanOrEqual(abs(back - w).max().item(Float.self), tolerance, "bits \(bits)")
        }
        // gathered quantized products pick one quantized matrix per batch entry
        let stack = stacked([w, w * 0.5])
        let (sq, ss, sb) = quantized(stack, groupSize: 32, bits: 8)
        let g = gatherQuantizedMM(x[0 ..< 1].expandedDimensions(axis: 0), sq, scales: ss, biases: sb, rhsIndices: MLXArray([1]), groupSize: 32, bits: 8)
        XCTAssertEqual(g.shape, [1, 1, 6])
        let direct = quantizedMM(x[0 ..< 1], sq[1], scales: ss[1], biases: sb![1], groupSize: 32, bits: 8)
        assertClose(g.reshaped(-1), direct.reshaped(-1).asArray(Float.self))
    }

    func testSortingAndPartitioning() {
        let x = patternArray([2, 3, 8], seed: 1)
        // the exact index order MLX's CPU argpartition returns (libstdc++ nth_element)
        XCTAssertEqual(argPartition(x, kth: 3, axis: -1).asArray(UInt32.self), MLXReference.argPartition)
        XCTAssertEqual(argPartition(-x, kth: 1, axis: -1).asArray(UInt32.self), MLXReference.argPartitionNeg)
        let v = MLXArray([5, 1, 4, 2, 3, 9, 0, 7, 8, 6] as [Float])
        XCTAssertEqual(argPartition(v, kth: 2).asArray(UInt32.self), [1, 6, 3, 4, 2, 0, 9, 7, 8, 5])
        XCTAssertEqual(argPartition(v, kth: 7).asArray(UInt32.self), [9, 1, 2, 3, 4, 0, 6, 7, 8, 5])
        // contract: kth in sorted position, smaller before, larger after
        let p = partitioned(v, kth: 4, axis: 0).asArray(Float.self)
        XCTAssertEqual(p[4], 4)
        XCTAssertTrue(p[..<4].allSatisfy { $0 < 4 } && p[5...].allSatisfy { $0 > 4 })
        // argsort is stable on ties
        XCTAssertEqual(argSort(MLXArray([3, 1, 3, 1, 2])).asArray(UInt32.self), [1, 3, 4, 0, 2])
        XCTAssertEqual(sorted(MLXArray([3, 1, 2] as [Float]), axis: 0).asArray(Float.self), [1, 2, 3])
        XCTAssertEqual(sorted(MLXArray([3, 1, 2, 0], [2, 2])).asArray(Int32.self), [0, 1, 2, 3])
        let topk = top(v, k: 3).asArray(Float.self)
        XCTAssertEqual(Set(topk), [7, 8, 9])
        XCTAssertEqual(top(MLXArray([1, 5, 2, 4], [2, 2]), k: 1, axis: -1).asArray(Int32.self), [5, 4])
    }

    func testTakeAndPutAlong() {
        let a = MLXArray([10, 20, 30, 40, 50, 60], [2, 3])
        // MoE routing: indices of the top experts, then their scores
        let indices = MLXArray([2, 0, 1, 1], [2, 2])
        XCTAssertEqual(takeAlong(a, indices, axis: 1).asArray(Int32.self), [30, 10, 50, 50])
        XCTAssertEqual(takeAlong(a, MLXArray([-1], [1, 1]), axis: 1).asArray(Int32.self), [30, 60], "indices broadcast on other axes")
        XCTAssertEqual(takeAlong(a, MLXArray([5, 0])).asArray(Int32.self), [60, 10])
        let put = putAlong(a, MLXArray([0, 2], [2, 1]), values: MLXArray([-1, -2], [2, 1]), axis: 1)
        XCTAssertEqual(put.asArray(Int32.self), [-1, 20, 30, 40, 50, -2])
        XCTAssertEqual(a[0, 0].item(Int.self), 10, "putAlong does not modify its input")
        XCTAssertEqual(take(a, MLXArray([1, 0]), axis: 1).asArray(Int32.self), [20, 10, 50, 40])
        XCTAssertEqual(take(a, MLXArray([-1, 0])).asArray(Int32.self), [60, 10])
        XCTAssertEqual(a.take(MLXArray([1]), axis: 0).shape, [1, 3])
        XCTAssertEqual(take(a, MLXArray([[0, 1], [1, 0]].flatMap { $0 }, [2, 2]), axis: 0).shape, [2, 2, 3])
    }
}
