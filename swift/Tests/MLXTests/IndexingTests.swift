// Tests of subscript reads and writes (ints, ranges, strides, ellipsis, new axes, index arrays)
// and of at[...] scatter updates. Expected values follow numpy/MLX indexing rules (checked in MLX).
import Foundation
@testable import MLX
import XCTest

final class IndexingTests: XCTestCase {

    /// arange(24) reshaped to [2, 3, 4]: x[i, j, k] = 12 i + 4 j + k
    private var x: MLXArray { MLXArray(0 ..< 24, [2, 3, 4]) }

    func testIntegerAndRangeIndexing() {
        XCTAssertEqual(x[1].shape, [3, 4])
        XCTAssertEqual(x[1].asArray(Int32.self), Array(12 ..< 24))
        XCTAssertEqual(x[-1, -1].asArray(Int32.self), [20, 21, 22, 23])
        XCTAssertEqual(x[0, 1 ..< 3].asArray(Int32.self), [4, 5, 6, 7, 8, 9, 10, 11])
        XCTAssertEqual(x[0, 0 ... 1, 3].asArray(Int32.self), [3, 7])
        XCTAssertEqual(x[0, ..<1, 2].asArray(Int32.self), [2])
        XCTAssertEqual(x[0, ...1, 2].asArray(Int32.self), [2, 6])
        XCTAssertEqual(x[1, 1...].shape, [2, 4])
        XCTAssertEqual(x[0, -5 ..< 2, 0].asArray(Int32.self), [0, 4], "ranges clamp like Python slices")
        XCTAssertEqual(x[5...].shape, [0, 3, 4])
        XCTAssertEqual(x[0, .stride(from: 3, to: 1)].shape, [0, 4])
        XCTAssertEqual(x[0, 1, 2].item(Int.self), 6)
        XCTAssertEqual(x[0, 1, 2].ndim, 0)
    }

    func testEllipsisNewAxisAndStrides() {
        XCTAssertEqual(x[.ellipsis, 1].asArray(Int32.self), [1, 5, 9, 13, 17, 21])
        XCTAssertEqual(x[.ellipsis, 1 ..< 3].shape, [2, 3, 2])
        XCTAssertEqual(x[0..., .newAxis].shape, [2, 1, 3, 4])
        XCTAssertEqual(x[.newAxis, .ellipsis, .newAxis].shape, [1, 2, 3, 4, 1])
        XCTAssertEqual(x[1, .ellipsis].shape, [3, 4])
        let v = MLXArray(0 ..< 10)
        XCTAssertEqual(v[.stride(by: 3)].asArray(Int32.self), [0, 3, 6, 9])
        XCTAssertEqual(v[.stride(from: 1, to: 8, by: 2)].asArray(Int32.self), [1, 3, 5, 7])
        XCTAssertEqual(v[.stride(by: -1)].asArray(Int32.self), Array((0 ..< 10).reversed()))
        XCTAssertEqual(v[stride(from: 8, to: 2, by: -3)].asArray(Int32.self), [8, 5])
        XCTAssertEqual(x[0, .stride(by: -2), 0].asArray(Int32.self), [8, 0])
        XCTAssertEqual(x[1, .stride(from: 0, to: 3, by: 2), .stride(from: 1, by: 2)].asArray(Int32.self), [13, 15, 21, 23])
    }

    func testArrayIndexing() {
        let i = MLXArray([1, 0])
        XCTAssertEqual(x[i].shape, [2, 3, 4])
        XCTAssertEqual(x[i][0, 0].asArray(Int32.self), [12, 13, 14, 15])
        XCTAssertEqual(x[MLXArray([-1])].shape, [1, 3, 4], "negative index arrays wrap")
        XCTAssertEqual(x[MLXArray([-1])][0, 0, 0].item(Int.self), 12)
        XCTAssertEqual(x[.ellipsis, MLXArray([2, 0])].asArray(Int32.self), [2, 0, 6, 4, 10, 8, 14, 12, 18, 16, 22, 20])
        // an int and an array separated by a slice: the broadcast index dims come first
        let mixed = x[0, 0..., MLXArray([2, 0])]
        XCTAssertEqual(mixed.shape, [2, 3])
        XCTAssertEqual(mixed.asArray(Int32.self), [2, 6, 10, 0, 4, 8])
        // two index arrays broadcast together
        let pair = x[MLXArray([0, 1, 1, 1], [2, 2]), MLXArray([0, 2])]
        XCTAssertEqual(pair.shape, [2, 2, 4])
        XCTAssertEqual(pair.asArray(Int32.self), [0, 1, 2, 3, 20, 21, 22, 23, 12, 13, 14, 15, 20, 21, 22, 23])
        let split = x[MLXArray([1]), 1..., MLXArray([0, 3])]
        XCTAssertEqual(split.shape, [2, 2])
        XCTAssertEqual(split.asArray(Int32.self), [16, 20, 19, 23])
        XCTAssertEqual(x[.newAxis, 1, 0..., MLXArray([1])].shape, [1, 1, 3])
        // an embedding lookup: table[tokens]
        let table = MLXArray(0 ..< 10, [5, 2]).asType(.float32)
        let tokens = MLXArray([4, 1, 1], [1, 3])
        let embedded = table[tokens]
        XCTAssertEqual(embedded.shape, [1, 3, 2])
        XCTAssertEqual(embedded.asArray(Float.self), [8, 9, 2, 3, 2, 3])
        XCTAssertEqual(table[MLXArray([3] as [UInt32])].asArray(Float.self), [6, 7])
    }

    func testSubscriptAssignment() {
        let cache = MLXArray.zeros([1, 2, 6, 3])
        cache[.ellipsis, 2 ..< 4, 0...] = MLXArray.ones([1, 2, 2, 3]) * 2
        XCTAssertEqual(cache.sum().item(Float.self), 24)
        XCTAssertEqual(cache[0, 1, 3].asArray(Float.self), [2, 2, 2])
        XCTAssertEqual(cache[0, 1, 4].asArray(Float.self), [0, 0, 0])

        let y = MLXArray.zeros([3, 4], dtype: .int32)
        y[1..., .stride(by: 2)] = MLXArray(7)
        XCTAssertEqual(y.asArray(Int32.self), [0, 0, 0, 0, 7, 0, 7, 0, 7, 0, 7, 0])
        y[0] = MLXArray([1, 2, 3, 4])
        XCTAssertEqual(y[0].asArray(Int32.self), [1, 2, 3, 4])
        // values are converted to the target dtype
        y[2, 0] = MLXArray(Float(9.7))
        XCTAssertEqual(y[2, 0].item(Int.self), 9)

        let z = MLXArray.zeros([3, 4], dtype: .int32)
        z[MLXArray([0, 2])] = MLXArray([1, 2, 3, 4])
        XCTAssertEqual(z.asArray(Int32.self), [1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4])
        // an update with extra leading singleton axes still fits
        let w = MLXArray.zeros([2, 3])
        w[1] = MLXArray.ones([1, 3])
        XCTAssertEqual(w.sum().item(Float.self), 3)
        // optional chaining writes through a class reference
        let maybe: MLXArray? = MLXArray.zeros([2])
        maybe?[0] = MLXArray(Float(5))
        XCTAssertEqual(maybe!.asArray(Float.self), [5, 0])
    }

    func testAtUpdatesAccumulateRepeatedIndices() {
        let idx = MLXArray([0, 1, 0, 1])
        let a = MLXArray.zeros([2], dtype: .int32)
        XCTAssertEqual(a.at[idx].add(1).asArray(Int32.self), [2, 2])
        XCTAssertEqual(a.asArray(Int32.self), [0, 0], "at[] returns a new array")
        let b = MLXArray.zeros([2], dtype: .int32)
        b[idx] = b[idx] + 1
        XCTAssertEqual(b.asArray(Int32.self), [1, 1], "plain assignment writes each index once")
        let c = MLXArray([5, 5] as [Float])
        XCTAssertEqual(c.at[MLXArray([1, 1])].multiply(2).asArray(Float.self), [5, 20])
        XCTAssertEqual(c.at[0].maximum(7).asArray(Float.self), [7, 5])
        XCTAssertEqual(c.at[0 ..< 2].subtract(1).asArray(Float.self), [4, 4])
    }
}
