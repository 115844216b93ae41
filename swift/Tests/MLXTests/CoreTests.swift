// Tests of dtypes, promotion, initialisers, conversions and the MLXArray object itself.
import Foundation
@testable import MLX
import XCTest

final class CoreTests: XCTestCase {

    func testDTypeProperties() {
        XCTAssertEqual(DType.bfloat16.size, 2)
        XCTAssertEqual(DType.uint32.size, 4)
        XCTAssertEqual(DType.int64.size, 8)
        XCTAssertTrue(DType.bfloat16.isFloatingPoint)
        XCTAssertFalse(DType.int32.isFloatingPoint)
        XCTAssertTrue(DType.uint8.isInteger)
        XCTAssertFalse(DType.uint8.isSignedInteger)
        XCTAssertNil(DType.int32.finfo)
        // values reported by mx.finfo
        XCTAssertEqual(DType.float16.finfo!.max, 65504)
        XCTAssertEqual(DType.bfloat16.finfo!.max, 3.3895313892515355e+38)
        XCTAssertEqual(DType.bfloat16.finfo!.eps, 0.0078125)
        XCTAssertEqual(DType.float32.finfo!.min, -3.4028234663852886e+38)
        XCTAssertEqual(DType.allCases.count, 14)
    }

    func testDTypeCodable() throws {
        let data = try JSONEncoder().encode([DType.bfloat16, .uint32])
        XCTAssertEqual(try JSONDecoder().decode([DType].self, from: data), [.bfloat16, .uint32])
    }

    func testArrayPromotion() {
        // pairs checked against MLX's promotion table
        func result(_ a: DType, _ b: DType) -> DType {
            (MLXArray.zeros([1], dtype: a) + MLXArray.zeros([1], dtype: b)).dtype
        }
        XCTAssertEqual(result(.bfloat16, .float32), .float32)
        XCTAssertEqual(result(.float16, .bfloat16), .float32)
        XCTAssertEqual(result(.int32, .float16), .float16)
        XCTAssertEqual(result(.bool, .int8), .int8)
        XCTAssertEqual(result(.uint8, .int8), .int16)
        XCTAssertEqual(result(.uint32, .int32), .int64)
        XCTAssertEqual(result(.uint64, .int64), .float32)
        XCTAssertEqual(result(.int64, .bfloat16), .bfloat16)
        XCTAssertEqual(result(.float32, .float64), .float64)
    }

    func testScalarPromotionFollowsTheArray() {
        let bf = MLXArray.ones([2], dtype: .bfloat16)
        XCTAssertEqual((bf * 0.5).dtype, .bfloat16)
        XCTAssertEqual((0.5 * bf).dtype, .bfloat16)
        let i = MLXArray([1, 2, 3])
        XCTAssertEqual(i.dtype, .int32)
        XCTAssertEqual((i * 0.5).dtype, .float32)
        XCTAssertEqual((i + 1).dtype, .int32)
        let f16 = MLXArray.ones([2], dtype: .float16)
        XCTAssertEqual((f16 + 1).dtype, .float16)
        // a Double never turns an array into float64
        XCTAssertEqual((i + Double(2.5)).dtype, .float32)
        XCTAssertEqual((MLXArray.ones([2]) * Double.pi).dtype, .float32)
        // an Int scalar on a bool array gives int32
        XCTAssertEqual((MLXArray([true, false]) + 1).dtype, .int32)
        assertEqualValues(i * 0.5, [Float(0.5), 1, 1.5])
    }

    func testBFloat16AndFloat16Rounding() {
        XCTAssertEqual(MLXArray(bfloat16: 3.14159).item(Float.self), 3.140625)
        // ties go to the even mantissa
        let ties = MLXArray([1.00390625, 1.01171875, -1.00390625] as [Float]).asType(.bfloat16)
        XCTAssertEqual(ties.asArray(Float.self), [1.0, 1.015625, -1.0])
        let halves = MLXArray([65519, 1e-8, 0.1] as [Float]).asType(.float16)
        XCTAssertEqual(halves.asArray(Float.self), [65504, 0, 0.0999755859375])
        // results of ops on half types are rounded too: 1 + 2^-9 is not representable in bf16
        let one = MLXArray.ones([1], dtype: .bfloat16)
        XCTAssertEqual((one + 0.001953125).item(Float.self), 1.0)
    }

    func testUInt32AndIntegerStorageIsExact() {
        let words: [UInt32] = [UInt32.max, 0, 123_456_789, 2_206_663_722]
        let a = MLXArray(words)
        XCTAssertEqual(a.dtype, .uint32)
        XCTAssertEqual(a.asArray(UInt32.self), words)
        XCTAssertEqual((a >> 16).asArray(UInt32.self), words.map { $0 >> 16 })
        XCTAssertEqual((a & 0xFF).asArray(UInt32.self), words.map { $0 & 0xFF })
        let big = MLXArray(int64: [Int(Int64.max), -3])
        XCTAssertEqual(big.asArray(Int64.self), [Int64.max, -3])
        let u64 = MLXArray([UInt64.max, 1] as [UInt64])
        XCTAssertEqual(u64.asArray(UInt64.self), [UInt64.max, 1])
        XCTAssertEqual((u64 .> MLXArray([UInt64(1)])).asArray(Bool.self), [true, false])
    }

    func testConversions() {
        let f = MLXArray([3.7, -3.7, 300] as [Float])
        XCTAssertEqual(f.asType(.int32).asArray(Int32.self), [3, -3, 300])
        // float -> uint8 truncates to an int first and wraps, like MLX (300 -> 44, -3.7 -> 253)
        XCTAssertEqual(f.asType(.uint8).asArray(UInt8.self), [3, 253, 44])
        XCTAssertEqual(MLXArray([-1]).asType(.uint32).asArray(UInt32.self), [4_294_967_295])
        XCTAssertEqual(MLXArray([0.0, 2.5] as [Float]).asType(.bool).asArray(Bool.self), [false, true])
        XCTAssertEqual(MLXArray([true, false]).asType(.float32).asArray(Float.self), [1, 0])
        XCTAssertEqual(MLXArray([1, 2]).asType(Float.self).dtype, .float32)
        // asType to the same type returns the array itself
        let same = MLXArray([1, 2])
        XCTAssertTrue(same.asType(.int32) === same)
    }

    func testInitialisers() {
        let a = MLXArray(0 ..< 12, [3, 4])
        XCTAssertEqual(a.shape, [3, 4])
        XCTAssertEqual(a.dtype, .int32)
        XCTAssertEqual(a.ndim, 2)
        XCTAssertEqual(a.size, 12)
        XCTAssertEqual(a.count, 3)
        XCTAssertEqual(a.dim(-1), 4)
        XCTAssertEqual(a.nbytes, 48)
        XCTAssertEqual(a.itemSize, 4)
        XCTAssertEqual(a.shape2.0, 3)
        let literal: MLXArray = [1, 2, 3]
        XCTAssertEqual(literal.dtype, .int32)
        XCTAssertEqual(MLXArray(int64: 5).dtype, .int64)
        XCTAssertEqual(MLXArray(Int32(7)).item(Int.self), 7)
        XCTAssertEqual(MLXArray(7).item(Float.self), 7)
        XCTAssertEqual(MLXArray(true).dtype, .bool)
        XCTAssertEqual(MLXArray(Float(2.5)).dtype, .float32)
        XCTAssertEqual(MLXArray(float64: 2.5).dtype, .float64)
        XCTAssertEqual(MLXArray(converting: [1.5, 2.5]).dtype, .float32)
        XCTAssertEqual(MLXArray(2.5, dtype: .bfloat16).dtype, .bfloat16)
        XCTAssertEqual(MLXArray([1, 2, 3, 4] as [Float], [2, 2]).shape2.1, 2)
        var bytes = Data()
        for v: Float in [1.5, -2] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        let fromData = MLXArray(bytes, [2], dtype: .float32)
        XCTAssertEqual(fromData.asArray(Float.self), [1.5, -2])
        XCTAssertEqual(MLXArray(bytes, type: Float.self).asArray(Float.self), [1.5, -2])
        let shape3 = MLXArray.zeros([1, 2, 3]).shape3
        XCTAssertEqual([shape3.0, shape3.1, shape3.2], [1, 2, 3])
    }

    func testAsDataRoundTrip() {
        let a = MLXArray([1, 2, 3, 4] as [Float], [2, 2]).asType(.bfloat16)
        let data = a.asData()
        XCTAssertEqual(data.dType, .bfloat16)
        XCTAssertEqual(data.shape, [2, 2])
        XCTAssertEqual(data.strides, [2, 1])
        XCTAssertEqual(data.data.count, 8)
        XCTAssertEqual(MLXArray(data: data).asArray(Float.self), [1, 2, 3, 4])
    }

    func testView() {
        XCTAssertEqual(MLXArray([1.0] as [Float]).view(dtype: .uint32).asArray(UInt32.self), [0x3F80_0000])
        let bytes = view(MLXArray([1, 256] as [Int32]), dtype: .uint8)
        XCTAssertEqual(bytes.shape, [8])
        XCTAssertEqual(bytes.asArray(UInt8.self), [1, 0, 0, 0, 0, 1, 0, 0])
        XCTAssertEqual(MLXArray([0x3F80, 0xC000] as [UInt16]).view(dtype: .bfloat16).asArray(Float.self), [1, -2])
    }

    func testUpdateInternalKeepsIdentity() {
        let a = MLXArray([1, 2, 3])
        let reference = a
        a._updateInternal(MLXArray([4.5, 5.5] as [Float]))
        XCTAssertTrue(reference === a)
        XCTAssertEqual(reference.shape, [2])
        XCTAssertEqual(reference.dtype, .float32)
        XCTAssertEqual(reference.asArray(Float.self), [4.5, 5.5])
    }

    func testDescriptionAndIteration() {
        XCTAssertEqual(MLXArray([1, 2, 3]).description, "array([1, 2, 3], dtype=int32)")
        XCTAssertEqual(MLXArray([true]).description, "array([True], dtype=bool)")
        let rows = Array(MLXArray(0 ..< 6, [3, 2]))
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[2].asArray(Int32.self), [4, 5])
        XCTAssertEqual(rows[0].shape, [2])
    }

    func testEvalAndCompileAreTransparent() {
        let a = MLXArray([1, 2])
        eval(a)
        eval(a, [a], ["k": a], (a, 1))
        asyncEval(a)
        a.eval()
        let f = compile { (x: MLXArray) in x * 2 }
        XCTAssertEqual(f(a).asArray(Int32.self), [2, 4])
        let g = compile(shapeless: true) { (x: MLXArray, y: MLXArray) in x + y }
        XCTAssertEqual(g(a, a).asArray(Int32.self), [2, 4])
        XCTAssertEqual(StreamOrDevice.default, StreamOrDevice.default)
        XCTAssertEqual(Device.defaultDevice(), Device.cpu)
    }
}
