// Tests of element-wise arithmetic, broadcasting, comparison, selection and unary math.
import Foundation
@testable import MLX
import XCTest

final class ArithmeticTests: XCTestCase {

    func testBroadcasting() {
        let a = MLXArray([0, 10, 20, 30, 40, 50] as [Float], [2, 1, 3])
        let b = MLXArray([1, 2, 3, 4] as [Float], [4, 1])
        let c = a + b
        XCTAssertEqual(c.shape, [2, 4, 3])
        // c[i, j, k] = a[i, 0, k] + b[j, 0]
        var expected = [Float]()
        for i in 0 ..< 2 {
            for j in 0 ..< 4 {
                for k in 0 ..< 3 { expected.append(Float(10 * (3 * i + k) + (j + 1))) }
            }
        }
        XCTAssertEqual(c.asArray(Float.self), expected)
        XCTAssertEqual((MLXArray([1, 2, 3]) * MLXArray(2)).asArray(Int32.self), [2, 4, 6])
        XCTAssertEqual((MLXArray([[1, 2], [3, 4]].flatMap { $0 }, [2, 2]) - MLXArray([10, 20])).asArray(Int32.self), [-9, -18, -7, -16])
    }

    func testOperatorForms() {
        let x = MLXArray([2, 4, 8] as [Float])
        XCTAssertEqual((x + 1).asArray(Float.self), [3, 5, 9])
        XCTAssertEqual((1 + x).asArray(Float.self), [3, 5, 9])
        XCTAssertEqual((x - 1).asArray(Float.self), [1, 3, 7])
        XCTAssertEqual((1 - x).asArray(Float.self), [-1, -3, -7])
        XCTAssertEqual((16 / x).asArray(Float.self), [8, 4, 2])
        XCTAssertEqual((x / 2).asArray(Float.self), [1, 2, 4])
        XCTAssertEqual((x ** 2).asArray(Float.self), [4, 16, 64])
        XCTAssertEqual((2 ** MLXArray([1, 2, 3] as [Float])).asArray(Float.self), [2, 4, 8])
        XCTAssertEqual((-x).asArray(Float.self), [-2, -4, -8])
        var y = x
        y += 1
        y *= 2
        y -= MLXArray([1, 1, 1] as [Float])
        y /= 5
        XCTAssertEqual(y.asArray(Float.self), [1, 1.8, 3.4])
        XCTAssertEqual(x.asArray(Float.self), [2, 4, 8], "compound assignment rebinds, it does not mutate")
        let i = MLXArray([6, 5, 12])
        XCTAssertEqual((i & 3).asArray(Int32.self), [2, 1, 0])
        XCTAssertEqual((i | 1).asArray(Int32.self), [7, 5, 13])
        XCTAssertEqual((i ^ 4).asArray(Int32.self), [2, 1, 8])
        XCTAssertEqual((~MLXArray([0, -1])).asArray(Int32.self), [-1, 0])
        XCTAssertEqual((i << 2).asArray(Int32.self), [24, 20, 48])
    }

    func testIntegerSemanticsMatchMLX() {
        // values observed from MLX: floor division and Python-style remainder for integers
        XCTAssertEqual(floorDivide(MLXArray([-7, 7, 7]), MLXArray([2, 2, -2])).asArray(Int32.self), [-4, 3, -4])
        XCTAssertEqual((MLXArray([-7, 7]) % MLXArray([2, -2])).asArray(Int32.self), [1, -1])
        XCTAssertEqual((MLXArray([-7.5] as [Float]) % 2).item(Float.self), 0.5)
        XCTAssertEqual(floorDivide(MLXArray([-7.0] as [Float]), 2).item(Float.self), -4)
        // int / int is a float division
        let d = MLXArray([1, 2, 3]) / MLXArray([2, 2, 2])
        XCTAssertEqual(d.dtype, .float32)
        XCTAssertEqual(d.asArray(Float.self), [0.5, 1, 1.5])
        // integer powers: negative exponents give 0
        XCTAssertEqual((MLXArray([1, 2]) ** MLXArray([-1, 3])).asArray(Int32.self), [0, 8])
        XCTAssertEqual((MLXArray([-8]) >> 1).asArray(Int32.self), [-4])
        XCTAssertEqual((MLXArray([1]) << 31).asArray(Int32.self), [Int32.min])
        // unsigned subtraction wraps
        let u = MLXArray([1, 2, 3] as [UInt32]) - MLXArray([2] as [UInt32])
        XCTAssertEqual(u.asArray(UInt32.self), [4_294_967_295, 0, 1])
        // bool + bool stays bool (logical or)
        XCTAssertEqual((MLXArray([true, false]) + MLXArray([true, true])).asArray(Bool.self), [true, true])
    }

    func testComparisonsAndLogic() {
        let a = MLXArray([1, 2, 3])
        let b = MLXArray([3, 2, 1])
        XCTAssertEqual((a .== b).asArray(Bool.self), [false, true, false])
        XCTAssertEqual((a .!= b).asArray(Bool.self), [true, false, true])
        XCTAssertEqual((a .< b).asArray(Bool.self), [true, false, false])
        XCTAssertEqual((a .<= 2).asArray(Bool.self), [true, true, false])
        XCTAssertEqual((a .> 1.5).asArray(Bool.self), [false, true, true])
        XCTAssertEqual((a .>= b).dtype, .bool)
        let p = a .> 1
        let q = b .> 1
        XCTAssertEqual((p .&& q).asArray(Bool.self), [false, true, false])
        XCTAssertEqual((p .|| q).asArray(Bool.self), [true, true, true])
        XCTAssertEqual((.!p).asArray(Bool.self), [true, false, false])
        XCTAssertEqual(logicalNot(p).asArray(Bool.self), [true, false, false])
        XCTAssertEqual(logicalAnd(p, q).asArray(Bool.self), [false, true, false])
        XCTAssertEqual(equal(a, 2).asArray(Bool.self), [false, true, false])
        XCTAssertEqual(arrayEqual(a, MLXArray([1, 2, 3])).item(Bool.self), true)
        XCTAssertEqual(allClose(MLXArray([1.0] as [Float]), MLXArray([1.000001] as [Float])).item(Bool.self), true)
    }

    func testWhereClipMaximum() {
        let cond = MLXArray([true, false, true])
        XCTAssertEqual(which(cond, MLXArray([1, 2, 3]), MLXArray([10, 20, 30])).asArray(Int32.self), [1, 20, 3])
        // broadcasting condition against a column of values; scalar fills
        let m = MLX.where(MLXArray([true, false]).reshaped(2, 1), MLXArray([1, 2, 3] as [Float]), -1)
        XCTAssertEqual(m.shape, [2, 3])
        XCTAssertEqual(m.asArray(Float.self), [1, 2, 3, -1, -1, -1])
        XCTAssertEqual(clip(MLXArray([1, 5, 9]), min: 2, max: 6).asArray(Int32.self), [2, 5, 6])
        XCTAssertEqual(clip(MLXArray([1, 5, 9] as [Float]), min: 2.5).asArray(Float.self), [2.5, 5, 9])
        XCTAssertEqual(clip(MLXArray([1, 5, 9] as [Float]), max: 4).asArray(Float.self), [1, 4, 4])
        let nan = Float.nan
        let mx = maximum(MLXArray([nan, 1, 3] as [Float]), MLXArray([0, nan, 2] as [Float])).asArray(Float.self)
        XCTAssertTrue(mx[0].isNaN && mx[1].isNaN, "NaN propagates from either side")
        XCTAssertEqual(mx[2], 3)
        XCTAssertEqual(minimum(MLXArray([1, 5]), 3).asArray(Int32.self), [1, 3])
    }

    func testUnaryMath() {
        XCTAssertEqual(sqrt(MLXArray([4, 9] as [Float])).asArray(Float.self), [2, 3])
        XCTAssertEqual(rsqrt(MLXArray([4] as [Float])).item(Float.self), 0.5)
        XCTAssertEqual(square(MLXArray([3])).asArray(Int32.self), [9])
        XCTAssertEqual(abs(MLXArray([-3] as [Int8])).asArray(Int8.self), [3])
        XCTAssertEqual(abs(MLXArray([-3] as [Int8])).dtype, .int8)
        XCTAssertEqual(round(MLXArray([0.5, 1.5, 2.5, -0.5] as [Float])).asArray(Float.self), [0, 2, 2, -0])
        XCTAssertEqual(MLXArray([1.25, 2.75, 2.35] as [Float]).round(decimals: 1).asArray(Float.self), [1.2, 2.8, 2.4])
        XCTAssertEqual(floor(MLXArray([-1.5, 1.5] as [Float])).asArray(Float.self), [-2, 1])
        XCTAssertEqual(reciprocal(MLXArray([4] as [Float])).item(Float.self), 0.25)
        XCTAssertEqual(exp(MLXArray([0] as [Float])).item(Float.self), 1)
        XCTAssertEqual(log(MLXArray([1] as [Float])).item(Float.self), 0)
        XCTAssertEqual(exp(MLXArray([1])).dtype, .float32, "integer inputs promote to float32")
        XCTAssertEqual(sigmoid(MLXArray([0] as [Float])).item(Float.self), 0.5)
        XCTAssertEqual(tanh(MLXArray([0] as [Float])).item(Float.self), 0)
        XCTAssertEqual(erf(MLXArray([0] as [Float])).item(Float.self), 0, accuracy: 1e-7)
        XCTAssertEqual(sign(MLXArray([-2, 0, 3] as [Float])).asArray(Float.self), [-1, 0, 1])
        XCTAssertEqual(log2(MLXArray([8] as [Float])).item(Float.self), 3)
        XCTAssertEqual(log10(MLXArray([100] as [Float])).item(Float.self), 2)
        XCTAssertEqual(log1p(MLXArray([0] as [Float])).item(Float.self), 0)
        XCTAssertEqual(erfInverse(MLXArray([0] as [Float])).item(Float.self), 0)
        XCTAssertEqual(MLXArray([1, 2] as [Float]).pow(2).asArray(Float.self), [1, 4])
        XCTAssertEqual(pow(MLXArray([2] as [Float]), MLXArray([3] as [Float])).item(Float.self), 8)
        XCTAssertTrue(isNaN(MLXArray([Float.nan])).item(Bool.self))
    }

    func testActivationReferences() {
        // MLXNN formulas evaluated by MLX on the same input
        let x = patternArray([2, 3, 8], seed: 1)
        let gelu = x * (1 + erf(x / 2.0.squareRoot())) / 2
        assertClose(gelu, MLXReference.gelu)
        let approx = 0.5 * x * (1 + tanh((2 / Float.pi).squareRoot() * (x + 0.044715 * x ** 3)))
        assertClose(approx, MLXReference.geluApproximate)
        assertClose(x * sigmoid(x), MLXReference.silu)
        assertClose(logAddExp(x, 0), MLXReference.softplus)
    }
}
