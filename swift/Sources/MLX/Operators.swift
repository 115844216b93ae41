// MLXArray operators (arithmetic, bitwise, element-wise comparison and logic) and the
// deliberately unavailable Swift comparison operators that mlx-swift declares.
import Foundation

infix operator ** : BitwiseShiftPrecedence
infix operator .&& : LogicalConjunctionPrecedence
infix operator .|| : LogicalDisjunctionPrecedence

// Each operator has three overloads, as in mlx-swift: array×array, array×scalar and scalar×array.
// The scalar side takes the array's dtype (see ``ScalarOrArray``).
extension MLXArray {

    public static func + (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .add)
    }

    public static func + (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .add)
    }

    public static func + (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .add)
    }

    public static func += (lhs: inout MLXArray, rhs: MLXArray) {
        lhs = lhs + rhs
    }

    public static func += (lhs: inout MLXArray, rhs: some ScalarOrArray) {
        lhs = lhs + rhs.asMLXArray(dtype: lhs.dtype)
    }

    public static func - (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .subtract)
    }

    public static func - (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .subtract)
    }

    public static func - (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .subtract)
    }

    public static func -= (lhs: inout MLXArray, rhs: MLXArray) {
        lhs = lhs - rhs
    }

    public static func -= (lhs: inout MLXArray, rhs: some ScalarOrArray) {
        lhs = lhs - rhs.asMLXArray(dtype: lhs.dtype)
    }

    public static func * (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .multiply)
    }

    public static func * (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .multiply)
    }

    public static func * (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .multiply)
    }

    public static func *= (lhs: inout MLXArray, rhs: MLXArray) {
        lhs = lhs * rhs
    }

    public static func *= (lhs: inout MLXArray, rhs: some ScalarOrArray) {
        lhs = lhs * rhs.asMLXArray(dtype: lhs.dtype)
    }

    public static func / (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .divide)
    }

    public static func / (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .divide)
    }

    public static func / (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .divide)
    }

    public static func /= (lhs: inout MLXArray, rhs: MLXArray) {
        lhs = lhs / rhs
    }

    public static func /= (lhs: inout MLXArray, rhs: some ScalarOrArray) {
        lhs = lhs / rhs.asMLXArray(dtype: lhs.dtype)
    }

    public static func % (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .remainder)
    }

    public static func % (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .remainder)
    }

    public static func % (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .remainder)
    }

    public static func ** (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .power)
    }

    public static func ** (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .power)
    }

    public static func ** (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .power)
    }

    public static func & (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .bitwiseAnd)
    }

    public static func & (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .bitwiseAnd)
    }

    public static func & (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .bitwiseAnd)
    }

    public static func | (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .bitwiseOr)
    }

    public static func | (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .bitwiseOr)
    }

    public static func | (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .bitwiseOr)
    }

    public static func ^ (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .bitwiseXor)
    }

    public static func ^ (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .bitwiseXor)
    }

    public static func ^ (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .bitwiseXor)
    }

    public static func << (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .leftShift)
    }

    public static func << (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .leftShift)
    }

    public static func << (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .leftShift)
    }

    public static func >> (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .rightShift)
    }

    public static func >> (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        binaryOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .rightShift)
    }

    public static func >> (lhs: some ScalarOrArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs.asMLXArray(dtype: rhs.dtype), rhs, .rightShift)
    }

    public static prefix func - (lhs: MLXArray) -> MLXArray {
        unaryOp(lhs, .negative)
    }

    public static prefix func ~ (lhs: MLXArray) -> MLXArray {
        unaryOp(lhs, .bitwiseInvert)
    }

    // MARK: - Element-wise comparison and logic

    public static func .== (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        compareOp(lhs, rhs, .equal)
    }

    public static func .== (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        compareOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .equal)
    }

    public static func .!= (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        compareOp(lhs, rhs, .notEqual)
    }

    public static func .!= (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        compareOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .notEqual)
    }

    public static func .< (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        compareOp(lhs, rhs, .less)
    }

    public static func .< (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        compareOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .less)
    }

    public static func .<= (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        compareOp(lhs, rhs, .lessEqual)
    }

    public static func .<= (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        compareOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .lessEqual)
    }

    public static func .> (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        compareOp(lhs, rhs, .greater)
    }

    public static func .> (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        compareOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .greater)
    }

    public static func .>= (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        compareOp(lhs, rhs, .greaterEqual)
    }

    public static func .>= (lhs: MLXArray, rhs: some ScalarOrArray) -> MLXArray {
        compareOp(lhs, rhs.asMLXArray(dtype: lhs.dtype), .greaterEqual)
    }

    public static func .&& (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .logicalAnd)
    }

    public static func .|| (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        binaryOp(lhs, rhs, .logicalOr)
    }

    public static prefix func .! (lhs: MLXArray) -> MLXArray {
        unaryOp(lhs, .logicalNot)
    }
}

// Swift's own comparison and logic operators are unavailable on arrays (in both the MLXArray and
// the Bool form) so that `a == b` fails to compile here exactly as it does against mlx-swift.
extension MLXArray {

    @available(*, unavailable, renamed: ".!", message: "See the article on logical operations for more info.")
    public static prefix func ! (lhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".==", message: "See the article on logical operations for more info.")
    public static func == (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".==", message: "See the article on logical operations for more info.")
    public static func == <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<=", message: "See the article on logical operations for more info.")
    public static func <= (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<=", message: "See the article on logical operations for more info.")
    public static func <= <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>=", message: "See the article on logical operations for more info.")
    public static func >= (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>=", message: "See the article on logical operations for more info.")
    public static func >= <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".!=", message: "See the article on logical operations for more info.")
    public static func != (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".!=", message: "See the article on logical operations for more info.")
    public static func != <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<", message: "See the article on logical operations for more info.")
    public static func < (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<", message: "See the article on logical operations for more info.")
    public static func < <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>", message: "See the article on logical operations for more info.")
    public static func > (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>", message: "See the article on logical operations for more info.")
    public static func > <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".&&", message: "See the article on logical operations for more info.")
    public static func && (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".||", message: "See the article on logical operations for more info.")
    public static func || (lhs: MLXArray, rhs: MLXArray) -> MLXArray {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".!", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static prefix func ! (lhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".==", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func == (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".==", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func == <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<=", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func <= (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<=", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func <= <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>=", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func >= (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>=", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func >= <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".!=", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func != (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".!=", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func != <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func < (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".<", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func < <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func > (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".>", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func > <T: ScalarOrArray>(lhs: MLXArray, rhs: T) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".&&", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func && (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

    @available(*, unavailable, renamed: ".||", message: "See the article on logical operations for more info and the article on lazy evaluation for cautions of using this in a boolean context.")
    public static func || (lhs: MLXArray, rhs: MLXArray) -> Bool {
        fatalError("unavailable")
    }

}

