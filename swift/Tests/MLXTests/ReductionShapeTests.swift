// Tests of reductions, scans and shape manipulation.
import Foundation
@testable import MLX
import XCTest

final class ReductionShapeTests: XCTestCase {

    func testReductions() {
        let a = MLXArray([1, 2, 3, 4, 5, 6] as [Float], [2, 3])
        XCTAssertEqual(a.sum().item(Float.self), 21)
        XCTAssertEqual(a.sum(axis: 0).asArray(Float.self), [5, 7, 9])
        XCTAssertEqual(a.sum(axis: -1, keepDims: true).shape, [2, 1])
        XCTAssertEqual(sum(a, axes: [0, 1]).item(Float.self), 21)
        XCTAssertEqual(a.mean(axis: 1).asArray(Float.self), [2, 5])
        XCTAssertEqual(mean(a).item(Float.self), 3.5)
        XCTAssertEqual(a.max(axis: 0).asArray(Float.self), [4, 5, 6])
        XCTAssertEqual(min(a, axis: 1).asArray(Float.self), [1, 4])
        XCTAssertEqual(a.product(axis: 1).asArray(Float.self), [6, 120])
        let v = MLXArray([1, 2, 3, 4] as [Float])
        XCTAssertEqual(v.variance().item(Float.self), 1.25)
        XCTAssertEqual(v.variance(ddof: 1).item(Float.self), 5.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(std(v).item(Float.self), Float(1.25).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual((a .> 2).all(axis: 1).asArray(Bool.self), [false, true])
        XCTAssertEqual((a .> 5).any().item(Bool.self), true)
        // dtypes of integer sums
        XCTAssertEqual(MLXArray([1, 2] as [Int8]).sum().dtype, .int32)
        XCTAssertEqual(MLXArray([1, 2] as [UInt8]).sum().dtype, .uint32)
        XCTAssertEqual(MLXArray([true, true, false]).sum().item(Int.self), 2)
        XCTAssertEqual(MLXArray([1, 2, 3]).mean().dtype, .float32)
        // MLX references
        let x = patternArray([2, 3, 8], seed: 1)
        assertClose(x.variance(axis: -1), MLXReference.varianceLast)
        assertClose(logSumExp(x, axis: -1), MLXReference.logSumExpLast)
        assertClose(x.asType(.bfloat16).sum(axis: -1), MLXReference.sumBF16, rtol: 0, atol: 0)
        // as in MLX, half-precision sums accumulate in float32 (1 + 256 × 2^-9 = 1.5) while
        // scans accumulate in the array's own precision (each 2^-9 step is lost: 1.0)
        let small = MLXArray([Float(1)] + [Float](repeating: 0.001953125, count: 256)).asType(.bfloat16)
        XCTAssertEqual(small.sum().item(Float.self), 1.5)
        XCTAssertEqual(small.cumsum()[-1].item(Float.self), 1.0)
        XCTAssertEqual(logSumExp(MLXArray([-Float.infinity, -Float.infinity])).item(Float.self), -Float.infinity)
    }

    func testArgReductionsAndScans() {
        let a = MLXArray([3, 7, 7, 1] as [Float])
        XCTAssertEqual(a.argMax().item(Int.self), 1, "first occurrence of the maximum")
        XCTAssertEqual(a.argMax().dtype, .uint32)
        XCTAssertEqual(argMin(a).item(Int.self), 3)
        let m = MLXArray([1, 9, 5, 4, 2, 8], [2, 3])
        XCTAssertEqual(argMax(m, axis: 1).asArray(UInt32.self), [1, 2])
        XCTAssertEqual(argMax(m, axis: 0, keepDims: true).shape, [1, 3])
        let c = MLXArray([1, 2, 3])
        XCTAssertEqual(cumsum(c).asArray(Int32.self), [1, 3, 6])
        XCTAssertEqual(c.cumsum(axis: 0, reverse: true, inclusive: false).asArray(Int32.self), [5, 3, 0])
        XCTAssertEqual(c.cumsum(axis: 0, inclusive: false).asArray(Int32.self), [0, 1, 3])
        XCTAssertEqual(cumprod(c).asArray(Int32.self), [1, 2, 6])
        XCTAssertEqual(cummax(MLXArray([1, 3, 2, 5])).asArray(Int32.self), [1, 3, 3, 5])
        XCTAssertEqual(cumsum(m, axis: 1).asArray(Int32.self), [1, 10, 15, 4, 6, 14])
    }

    func testReshapeTransposeAndAxes() {
        let a = MLXArray(0 ..< 24, [2, 3, 4])
        XCTAssertEqual(a.reshaped(4, -1).shape, [4, 6])
        XCTAssertEqual(a.reshaped([-1]).shape, [24])
        XCTAssertEqual(reshaped(a, 6, 4).shape, [6, 4])
        let t = a.transposed(1, 0, 2)
        XCTAssertEqual(t.shape, [3, 2, 4])
        XCTAssertEqual(t[1, 1].asArray(Int32.self), [16, 17, 18, 19])
        XCTAssertEqual(a.T.shape, [4, 3, 2])
        XCTAssertEqual(a.T[3, 2, 1].item(Int.self), 23)
        XCTAssertEqual(a.transposed().shape, [4, 3, 2])
        XCTAssertEqual(transposed(a, axes: [2, 0, 1]).shape, [4, 2, 3])
        XCTAssertEqual(a.swappedAxes(0, 2).shape, [4, 3, 2])
        XCTAssertEqual(a.movedAxis(source: 0, destination: -1).shape, [3, 4, 2])
        XCTAssertEqual(a.expandedDimensions(axis: 1).shape, [2, 1, 3, 4])
        XCTAssertEqual(a.expandedDimensions(axes: [0, -1]).shape, [1, 2, 3, 4, 1])
        XCTAssertEqual(expandedDimensions(a, axis: -1).shape, [2, 3, 4, 1])
        XCTAssertEqual(MLXArray.zeros([1, 3, 1]).squeezed().shape, [3])
        XCTAssertEqual(MLXArray.zeros([1, 3, 1]).squeezed(axis: 0).shape, [3, 1])
        XCTAssertEqual(a.flattened().shape, [24])
        XCTAssertEqual(a.flattened(start: 1).shape, [2, 12])
        XCTAssertEqual(a.flattened(start: -2, end: -1).shape, [2, 12])
        XCTAssertEqual(unflatten(a, axis: -1, shape: [2, -1]).shape, [2, 3, 2, 2])
        XCTAssertEqual(flatten(a, startAxis: 0, endAxis: 1).shape, [6, 4])
    }

    func testJoinSplitTileRepeat() {
        let a = MLXArray([1, 2, 3, 4], [2, 2])
        let b = MLXArray([5.5, 6.5] as [Float], [2, 1])
        let c = concatenated([a, b], axis: 1)
        XCTAssertEqual(c.dtype, .float32)
        XCTAssertEqual(c.asArray(Float.self), [1, 2, 5.5, 3, 4, 6.5])
        XCTAssertEqual(concatenated([a, a]).shape, [4, 2])
        let s = stacked([a, a * 10], axis: 1)
        XCTAssertEqual(s.shape, [2, 2, 2])
        XCTAssertEqual(s.asArray(Int32.self), [1, 2, 10, 20, 3, 4, 30, 40])
        let parts = split(MLXArray(0 ..< 6), parts: 3)
        XCTAssertEqual(parts.map { $0.asArray(Int32.self) }, [[0, 1], [2, 3], [4, 5]])
        let pieces = MLXArray(0 ..< 6).split(indices: [1, 4])
        XCTAssertEqual(pieces.map { $0.asArray(Int32.self) }, [[0], [1, 2, 3], [4, 5]])
        let (left, right) = MLXArray(0 ..< 8, [2, 4]).split(axis: 1)
        XCTAssertEqual(left.asArray(Int32.self), [0, 1, 4, 5])
        XCTAssertEqual(right.asArray(Int32.self), [2, 3, 6, 7])
        XCTAssertEqual(broadcast(MLXArray([1, 2]), to: [3, 2]).asArray(Int32.self), [1, 2, 1, 2, 1, 2])
        XCTAssertEqual(tiled(MLXArray([1, 2]), repetitions: [2, 2]).asArray(Int32.self), [1, 2, 1, 2, 1, 2, 1, 2])
        XCTAssertEqual(tiled(MLXArray([1, 2]), repetitions: 2).asArray(Int32.self), [1, 2, 1, 2])
        // GQA-style repeat of kv heads: each head repeated in place
        let heads = MLXArray([1, 2], [1, 2, 1])
        XCTAssertEqual(repeated(heads, count: 2, axis: 1).asArray(Int32.self), [1, 1, 2, 2])
        XCTAssertEqual(repeated(MLXArray([1, 2]), count: 3).asArray(Int32.self), [1, 1, 1, 2, 2, 2])
    }

    func testPadAndTriangles() {
        let a = MLXArray([1, 2, 3, 4], [2, 2])
        // IntOrPair's literal conformances are not spec'd, so the reference builds pairs explicitly
        let p = padded(a, widths: [IntOrPair((1, 0)), IntOrPair((0, 2))], value: MLXArray(9))
        XCTAssertEqual(p.shape, [3, 4])
        XCTAssertEqual(p.asArray(Int32.self), [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9])
        XCTAssertEqual(padded(MLXArray([1, 2]), width: IntOrPair(1)).asArray(Int32.self), [0, 1, 2, 0])
        // edge padding: PadMode has only the spec'd .constant, so the fill is internal
        XCTAssertEqual(
            padded(MLXArray([1, 2]), widths: [IntOrPair((0, 2))], fill: .edge).asArray(Int32.self), [1, 2, 2, 2])
        let ones = MLXArray.ones([3, 3])
        XCTAssertEqual(tril(ones).asArray(Float.self), [1, 0, 0, 1, 1, 0, 1, 1, 1])
        XCTAssertEqual(triu(ones, k: 1).asArray(Float.self), [0, 1, 1, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(MLXArray.tri(2, m: 3, k: 1, dtype: .bool).asArray(Bool.self), [true, true, false, true, true, true])
    }

    func testFactories() {
        XCTAssertEqual(arange(4).asArray(Int32.self), [0, 1, 2, 3])
        XCTAssertEqual(arange(4).dtype, .int32)
        XCTAssertEqual(arange(1, 8, step: 3).asArray(Int32.self), [1, 4, 7])
        XCTAssertEqual(arange(3, dtype: .float32).asArray(Float.self), [0, 1, 2])
        XCTAssertEqual(arange(0.0, 1.0, step: 0.25).asArray(Float.self), [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(MLXArray.arange(3.0).dtype, .float32)
        XCTAssertEqual(linspace(Float(0), Float(1), count: 5).asArray(Float.self), [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(zeros([2], type: Int32.self).dtype, .int32)
        XCTAssertEqual(MLXArray.ones([2], dtype: .bfloat16).dtype, .bfloat16)
        XCTAssertEqual(zeros(like: MLXArray([1, 2])).asArray(Int32.self), [0, 0])
        XCTAssertEqual(full([2, 2], values: 3).asArray(Int32.self), [3, 3, 3, 3])
        XCTAssertEqual(full([2], values: 2.5, type: Float.self).asArray(Float.self), [2.5, 2.5])
        XCTAssertEqual(MLXArray.full([2], values: MLXArray(Float(1.5)), dtype: .bfloat16).dtype, .bfloat16)
        XCTAssertEqual(eye(2, m: 3, k: 1).asArray(Float.self), [0, 1, 0, 0, 0, 1])
        XCTAssertEqual(MLXArray.identity(2).asArray(Float.self), [1, 0, 0, 1])
    }
}
