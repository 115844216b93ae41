// Internal element-wise kernels: broadcasting plans, binary/unary/ternary maps in the three
// storage domains, with MLX's dtype promotion and half-precision rounding after every op.
import Foundation

// MARK: - Broadcast plans

/// How one operand is read while producing a broadcast result.
enum OperandAccess {
    /// same shape as the output: element i is at offset i
    case identity
    /// a single element, read at offset 0
    case scalar
    /// explicit offsets for every output element
    case offsets([Int])

    init(shape: [Int], size: Int, target: [Int], _ op: String) {
        if shape == target {
            self = .identity
        } else if size == 1 {
            _ = broadcastShapes(shape, target, op)
            self = .scalar
        } else {
            self = .offsets(stridedOffsets(shape: target, strides: broadcastStrides(shape, to: target, op)))
        }
    }

    func materialized(count: Int) -> [Int] {
        switch self {
        case .identity: return Array(0 ..< count)
        case .scalar: return [Int](repeating: 0, count: count)
        case .offsets(let o): return o
        }
    }

    var isIdentity: Bool {
        if case .identity = self { return true }
        return false
    }

    var isScalar: Bool {
        if case .scalar = self { return true }
        return false
    }
}

// The three zip loops differ only in element type; they are written out per type (rather than
// generically) so that unoptimised debug builds still run them at a reasonable speed.

func zipValues(
    _ a: [Float], _ aa: OperandAccess, _ b: [Float], _ ba: OperandAccess, count: Int,
    _ f: (Float, Float) -> Float
) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { r in
                if aa.isIdentity && ba.isIdentity {
                    for i in 0 ..< count { r[i] = f(pa[i], pb[i]) }
                } else if aa.isIdentity && ba.isScalar {
                    let y = pb[0]
                    for i in 0 ..< count { r[i] = f(pa[i], y) }
                } else if aa.isScalar && ba.isIdentity {
                    let x = pa[0]
                    for i in 0 ..< count { r[i] = f(x, pb[i]) }
                } else {
                    let oa = aa.materialized(count: count)
                    let ob = ba.materialized(count: count)
                    for i in 0 ..< count { r[i] = f(pa[oa[i]], pb[ob[i]]) }
                }
            }
        }
    }
    return out
}

func zipValues(
    _ a: [Double], _ aa: OperandAccess, _ b: [Double], _ ba: OperandAccess, count: Int,
    _ f: (Double, Double) -> Double
) -> [Double] {
    var out = [Double](repeating: 0, count: count)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { r in
                if aa.isIdentity && ba.isIdentity {
                    for i in 0 ..< count { r[i] = f(pa[i], pb[i]) }
                } else {
                    let oa = aa.materialized(count: count)
                    let ob = ba.materialized(count: count)
                    for i in 0 ..< count { r[i] = f(pa[oa[i]], pb[ob[i]]) }
                }
            }
        }
    }
    return out
}

func zipValues(
    _ a: [Int64], _ aa: OperandAccess, _ b: [Int64], _ ba: OperandAccess, count: Int,
    _ f: (Int64, Int64) -> Int64
) -> [Int64] {
    var out = [Int64](repeating: 0, count: count)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { r in
                if aa.isIdentity && ba.isIdentity {
                    for i in 0 ..< count { r[i] = f(pa[i], pb[i]) }
                } else {
                    let oa = aa.materialized(count: count)
                    let ob = ba.materialized(count: count)
                    for i in 0 ..< count { r[i] = f(pa[oa[i]], pb[ob[i]]) }
                }
            }
        }
    }
    return out
}

// MARK: - Binary ops

enum BinaryOp {
    case add, subtract, multiply, divide, remainder, power, maximum, minimum, floorDivide
    case logAddExp, arcTan2
    case bitwiseAnd, bitwiseOr, bitwiseXor, leftShift, rightShift
    case logicalAnd, logicalOr

    var name: String { String(describing: self) }
}

enum CompareOp {
    case equal, notEqual, less, lessEqual, greater, greaterEqual
}

/// Python-style modulo on top of the IEEE remainder, as MLX computes it.
@inline(__always)
func pythonRemainder(_ a: Float, _ b: Float) -> Float {
    var r = a.remainder(dividingBy: b)
    if r != 0 && ((r < 0) != (b < 0)) { r += b }
    return r
}

@inline(__always)
func pythonRemainder(_ a: Double, _ b: Double) -> Double {
    var r = a.remainder(dividingBy: b)
    if r != 0 && ((r < 0) != (b < 0)) { r += b }
    return r
}

@inline(__always)
func nanMaximum(_ a: Float, _ b: Float) -> Float {
    if a.isNaN { return a }
    return a > b ? a : b
}

@inline(__always)
func nanMinimum(_ a: Float, _ b: Float) -> Float {
    if a.isNaN { return a }
    return a < b ? a : b
}

private func floatKernel(_ op: BinaryOp, _ dtype: DType) -> (Float, Float) -> Float {
    switch op {
    case .add: return { $0 + $1 }
    case .subtract: return { $0 - $1 }
    case .multiply: return { $0 * $1 }
    case .divide: return { $0 / $1 }
    case .remainder: return { pythonRemainder($0, $1) }
    case .power: return { Foundation.pow($0, $1) }
    case .maximum: return { nanMaximum($0, $1) }
    case .minimum: return { nanMinimum($0, $1) }
    case .arcTan2: return { Foundation.atan2($0, $1) }
    case .logAddExp:
        // each intermediate is rounded to the operand type, as MLX's kernel does for halves
        return { x, y in
            let hi = nanMaximum(x, y)
            let lo = nanMinimum(x, y)
            if lo == -.infinity || hi == .infinity { return hi }
            let e = roundFloat(mlxExp(roundFloat(lo - hi, to: dtype)), to: dtype)
            return hi + roundFloat(Foundation.log1p(e), to: dtype)
        }
    case .logicalAnd: return { ($0 != 0 && $1 != 0) ? 1 : 0 }
    case .logicalOr: return { ($0 != 0 || $1 != 0) ? 1 : 0 }
    case .floorDivide, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift:
        fatalError("[\(op.name)] is not defined for floating point type \(dtype)")
    }
}

private func doubleKernel(_ op: BinaryOp, _ dtype: DType) -> (Double, Double) -> Double {
    switch op {
    case .add: return { $0 + $1 }
    case .subtract: return { $0 - $1 }
    case .multiply: return { $0 * $1 }
    case .divide: return { $0 / $1 }
    case .remainder: return { pythonRemainder($0, $1) }
    case .power: return { Foundation.pow($0, $1) }
    case .maximum: return { $0.isNaN ? $0 : ($0 > $1 ? $0 : $1) }
    case .minimum: return { $0.isNaN ? $0 : ($0 < $1 ? $0 : $1) }
    case .arcTan2: return { Foundation.atan2($0, $1) }
    case .logAddExp:
        return { x, y in
            let hi = x.isNaN ? x : Swift.max(x, y)
            let lo = x.isNaN ? x : Swift.min(x, y)
            if lo == -.infinity || hi == .infinity { return hi }
            return hi + Foundation.log1p(Foundation.exp(lo - hi))
        }
    case .logicalAnd: return { ($0 != 0 && $1 != 0) ? 1 : 0 }
    case .logicalOr: return { ($0 != 0 || $1 != 0) ? 1 : 0 }
    case .floorDivide, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift:
        fatalError("[\(op.name)] is not defined for floating point type \(dtype)")
    }
}

@inline(__always)
private func integerPower(_ base: Int64, _ exponent: Int64, unsigned: Bool) -> Int64 {
    if !unsigned && exponent < 0 { return 0 }
    var result: Int64 = 1
    var b = base
    var e = UInt64(bitPattern: exponent)
    while e != 0 {
        if e & 1 != 0 { result = result &* b }
        e >>= 1
        b = b &* b
    }
    return result
}

private func intKernel(_ op: BinaryOp, _ dtype: DType) -> (Int64, Int64) -> Int64 {
    let unsigned64 = dtype == .uint64
    let unsigned = !dtype.isSignedInteger
    let bits = Int64(dtype.size * 8)
    switch op {
    case .add: return { $0 &+ $1 }
    case .subtract: return { $0 &- $1 }
    case .multiply: return { $0 &* $1 }
    case .divide, .floorDivide:
        if unsigned64 {
            return { a, b in
                b == 0 ? 0 : Int64(bitPattern: UInt64(bitPattern: a) / UInt64(bitPattern: b))
            }
        }
        return { a, b in
            if b == 0 { return 0 }
            if b == -1 { return 0 &- a }
            var q = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { q -= 1 }
            return q
        }
    case .remainder:
        if unsigned64 {
            return { a, b in
                b == 0 ? 0 : Int64(bitPattern: UInt64(bitPattern: a) % UInt64(bitPattern: b))
            }
        }
        return { a, b in
            if b == 0 || b == -1 { return 0 }
            var r = a % b
            if r != 0 && ((r < 0) != (b < 0)) { r += b }
            return r
        }
    case .power: return { integerPower($0, $1, unsigned: unsigned) }
    case .maximum:
        if unsigned64 { return { UInt64(bitPattern: $0) > UInt64(bitPattern: $1) ? $0 : $1 } }
        return { $0 > $1 ? $0 : $1 }
    case .minimum:
        if unsigned64 { return { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) ? $0 : $1 } }
        return { $0 < $1 ? $0 : $1 }
    case .bitwiseAnd: return { $0 & $1 }
    case .bitwiseOr: return { $0 | $1 }
    case .logicalAnd: return { ($0 != 0 && $1 != 0) ? 1 : 0 }
    case .logicalOr: return { ($0 != 0 || $1 != 0) ? 1 : 0 }
    case .bitwiseXor: return { $0 ^ $1 }
    case .leftShift:
        return { a, b in (b < 0 || b >= bits) ? 0 : a << b }
    case .rightShift:
        if unsigned {
            return { a, b in
                (b < 0 || b >= bits) ? 0 : Int64(bitPattern: UInt64(bitPattern: a) >> UInt64(b))
            }
        }
        return { a, b in (b < 0 || b >= bits) ? (a < 0 ? -1 : 0) : a >> b }
    case .logAddExp, .arcTan2:
        fatalError("[\(op.name)] is not defined for integer type \(dtype)")
    }
}

/// The dtype MLX gives the result of `op` on operands of these types.
func binaryResultType(_ op: BinaryOp, _ a: DType, _ b: DType) -> DType {
    let promoted = DType.promote(a, b)
    switch op {
    case .divide, .logAddExp, .arcTan2: return promoted.atLeastFloat
    case .logicalAnd, .logicalOr: return .bool
    default: return promoted
    }
}

/// Apply a binary op with broadcasting and MLX's type promotion.
func binaryOp(_ a: MLXArray, _ b: MLXArray, _ op: BinaryOp) -> MLXArray {
    let outType = binaryResultType(op, a.dtype, b.dtype)
    if op == .floorDivide && outType.isFloatingPoint {
        // MLX computes a floored float division as floor(a / b), rounding in between
        return unaryOp(binaryOp(a, b, .divide), .floor)
    }
    let computeType: DType = (op == .logicalAnd || op == .logicalOr) ? .bool : outType
    let ac = a.asType(computeType)
    let bc = b.asType(computeType)
    let shape = broadcastShapes(a.shape, b.shape, op.name)
    let count = shape.reduce(1, *)
    let aa = OperandAccess(shape: ac.shape, size: ac.size, target: shape, op.name)
    let ba = OperandAccess(shape: bc.shape, size: bc.size, target: shape, op.name)
    switch (ac.storage, bc.storage) {
    case (.float(let x), .float(let y)):
        var out = zipValues(x, aa, y, ba, count: count, floatKernel(op, computeType))
        roundInPlace(&out, to: outType)
        return MLXArray(storage: .float(out), shape: shape, dtype: outType)
    case (.double(let x), .double(let y)):
        let out = zipValues(x, aa, y, ba, count: count, doubleKernel(op, computeType))
        return MLXArray(storage: .double(out), shape: shape, dtype: outType)
    case (.int(let x), .int(let y)):
        var out = zipValues(x, aa, y, ba, count: count, intKernel(op, computeType))
        if outType != .int64 && outType != .uint64 {
            out.withUnsafeMutableBufferPointer { p in
                for i in 0 ..< p.count { p[i] = wrapInteger(p[i], to: outType) }
            }
        }
        return MLXArray(storage: .int(out), shape: shape, dtype: outType)
    default:
        fatalError("internal error: mismatched storage in \(op.name)")
    }
}

/// Element-wise comparison producing a bool array.
func compareOp(_ a: MLXArray, _ b: MLXArray, _ op: CompareOp) -> MLXArray {
    let common = DType.promote(a.dtype, b.dtype)
    let ac = a.asType(common)
    let bc = b.asType(common)
    let name = String(describing: op)
    let shape = broadcastShapes(a.shape, b.shape, name)
    let count = shape.reduce(1, *)
    let aa = OperandAccess(shape: ac.shape, size: ac.size, target: shape, name)
    let ba = OperandAccess(shape: bc.shape, size: bc.size, target: shape, name)
    let out: [Int64]
    switch (ac.storage, bc.storage) {
    case (.float(let x), .float(let y)):
        let f: (Float, Float) -> Bool
        switch op {
        case .equal: f = { $0 == $1 }
        case .notEqual: f = { $0 != $1 }
        case .less: f = { $0 < $1 }
        case .lessEqual: f = { $0 <= $1 }
        case .greater: f = { $0 > $1 }
        case .greaterEqual: f = { $0 >= $1 }
        }
        let r = zipValues(x, aa, y, ba, count: count) { f($0, $1) ? 1 : 0 }
        out = r.map { $0 != 0 ? 1 : 0 }
    case (.double(let x), .double(let y)):
        let f: (Double, Double) -> Bool
        switch op {
        case .equal: f = { $0 == $1 }
        case .notEqual: f = { $0 != $1 }
        case .less: f = { $0 < $1 }
        case .lessEqual: f = { $0 <= $1 }
        case .greater: f = { $0 > $1 }
        case .greaterEqual: f = { $0 >= $1 }
        }
        let r = zipValues(x, aa, y, ba, count: count) { f($0, $1) ? 1 : 0 }
        out = r.map { $0 != 0 ? 1 : 0 }
    case (.int(let x), .int(let y)):
        let f: (Int64, Int64) -> Bool
        if common == .uint64 {
            switch op {
            case .equal: f = { $0 == $1 }
            case .notEqual: f = { $0 != $1 }
            case .less: f = { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) }
            case .lessEqual: f = { UInt64(bitPattern: $0) <= UInt64(bitPattern: $1) }
            case .greater: f = { UInt64(bitPattern: $0) > UInt64(bitPattern: $1) }
            case .greaterEqual: f = { UInt64(bitPattern: $0) >= UInt64(bitPattern: $1) }
            }
        } else {
            switch op {
            case .equal: f = { $0 == $1 }
            case .notEqual: f = { $0 != $1 }
            case .less: f = { $0 < $1 }
            case .lessEqual: f = { $0 <= $1 }
            case .greater: f = { $0 > $1 }
            case .greaterEqual: f = { $0 >= $1 }
            }
        }
        out = zipValues(x, aa, y, ba, count: count) { f($0, $1) ? 1 : 0 }
    default:
        fatalError("internal error: mismatched storage in compare")
    }
    return MLXArray(storage: .int(out), shape: shape, dtype: .bool)
}

// MARK: - Unary ops

enum UnaryOp {
    case negative, abs, square, sign, floor, ceil, round
    case sqrt, rsqrt, reciprocal, exp, expm1, log, log1p, log2, log10
    case sin, cos, tan, tanh, sinh, cosh, arcSin, arcCos, arcTan, arcSinh, arcCosh, arcTanh
    case sigmoid, erf, erfInverse
    case logicalNot, bitwiseInvert
    case isNaN, isInf, isPosInf, isNegInf

    /// Transcendental ops promote integer inputs to float32; the rest keep the input type.
    var promotesToFloat: Bool {
        switch self {
        case .negative, .abs, .square, .sign, .floor, .ceil, .round, .logicalNot, .bitwiseInvert,
            .isNaN, .isInf, .isPosInf, .isNegInf:
            false
        default: true
        }
    }

    var producesBool: Bool {
        switch self {
        case .logicalNot, .isNaN, .isInf, .isPosInf, .isNegInf: true
        default: false
        }
    }
}

private func floatUnaryKernel(_ op: UnaryOp, _ dtype: DType) -> (Float) -> Float {
    let half = dtype == .bfloat16 || dtype == .float16
    switch op {
    case .negative: return { x in -x }
    case .abs: return { x in Swift.abs(x) }
    case .square: return { x in x * x }
    case .sign: return { x in x < 0 ? -1 : (x > 0 ? 1 : 0) }
    case .floor: return { x in x.rounded(.down) }
    case .ceil: return { x in x.rounded(.up) }
    case .round: return { x in x.rounded(.toNearestOrEven) }
    case .sqrt: return { x in x.squareRoot() }
    case .rsqrt:
        // for halves MLX rounds the square root before taking the reciprocal
        if half { return { x in 1 / roundFloat(x.squareRoot(), to: dtype) } }
        return { x in 1 / x.squareRoot() }
    case .reciprocal: return { x in 1 / x }
    case .exp: return { x in mlxExp(x) }
    case .expm1: return { x in Foundation.expm1(x) }
    case .log: return { x in Foundation.log(x) }
    case .log1p: return { x in Foundation.log1p(x) }
    case .log2: return { x in Foundation.log2(x) }
    case .log10: return { x in Foundation.log10(x) }
    case .sin: return { x in mlxSinCos(x, sine: true) }
    case .cos: return { x in mlxSinCos(x, sine: false) }
    case .tan: return { x in Foundation.tan(x) }
    case .tanh: return { x in Foundation.tanh(x) }
    case .sinh: return { x in Foundation.sinh(x) }
    case .cosh: return { x in Foundation.cosh(x) }
    case .arcSin: return { x in Foundation.asin(x) }
    case .arcCos: return { x in Foundation.acos(x) }
    case .arcTan: return { x in Foundation.atan(x) }
    case .arcSinh: return { x in Foundation.asinh(x) }
    case .arcCosh: return { x in Foundation.acosh(x) }
    case .arcTanh: return { x in Foundation.atanh(x) }
    case .sigmoid:
        // 1/(1+e^|x|) mirrored for positive x; for halves the exponential is rounded first
        return { x in
            let e = roundFloat(mlxExp(Swift.abs(x)), to: dtype)
            let y = 1 / (1 + e)
            return x < 0 ? y : 1 - y
        }
    case .erf: return { x in mlxErf(x) }
    case .erfInverse: return { x in mlxErfInv(x) }
    case .logicalNot: return { x in x == 0 ? 1 : 0 }
    case .isNaN: return { x in x.isNaN ? 1 : 0 }
    case .isInf: return { x in x.isInfinite ? 1 : 0 }
    case .isPosInf: return { x in x == .infinity ? 1 : 0 }
    case .isNegInf: return { x in x == -.infinity ? 1 : 0 }
    case .bitwiseInvert: fatalError("[bitwise_invert] is not defined for type \(dtype)")
    }
}

private func doubleUnaryKernel(_ op: UnaryOp) -> (Double) -> Double {
    switch op {
    case .negative: return { -$0 }
    case .abs: return { Swift.abs($0) }
    case .square: return { $0 * $0 }
    case .sign: return { $0 < 0 ? -1 : ($0 > 0 ? 1 : 0) }
    case .floor: return { $0.rounded(.down) }
    case .ceil: return { $0.rounded(.up) }
    case .round: return { $0.rounded(.toNearestOrEven) }
    case .sqrt: return { $0.squareRoot() }
    case .rsqrt: return { 1 / $0.squareRoot() }
    case .reciprocal: return { 1 / $0 }
    case .exp: return { Foundation.exp($0) }
    case .expm1: return { Foundation.expm1($0) }
    case .log: return { Foundation.log($0) }
    case .log1p: return { Foundation.log1p($0) }
    case .log2: return { Foundation.log2($0) }
    case .log10: return { Foundation.log10($0) }
    case .sin: return { Foundation.sin($0) }
    case .cos: return { Foundation.cos($0) }
    case .tan: return { Foundation.tan($0) }
    case .tanh: return { Foundation.tanh($0) }
    case .sinh: return { Foundation.sinh($0) }
    case .cosh: return { Foundation.cosh($0) }
    case .arcSin: return { Foundation.asin($0) }
    case .arcCos: return { Foundation.acos($0) }
    case .arcTan: return { Foundation.atan($0) }
    case .arcSinh: return { Foundation.asinh($0) }
    case .arcCosh: return { Foundation.acosh($0) }
    case .arcTanh: return { Foundation.atanh($0) }
    case .sigmoid:
        return { x in
            let y = 1 / (1 + Foundation.exp(Swift.abs(x)))
            return x < 0 ? y : 1 - y
        }
    case .erf: return { Foundation.erf($0) }
    case .erfInverse: return { Double(mlxErfInv(Float($0))) }
    case .logicalNot: return { $0 == 0 ? 1 : 0 }
    case .isNaN: return { $0.isNaN ? 1 : 0 }
    case .isInf: return { $0.isInfinite ? 1 : 0 }
    case .isPosInf: return { $0 == .infinity ? 1 : 0 }
    case .isNegInf: return { $0 == -.infinity ? 1 : 0 }
    case .bitwiseInvert: fatalError("[bitwise_invert] is not defined for type float64")
    }
}

private func intUnaryKernel(_ op: UnaryOp, _ dtype: DType) -> (Int64) -> Int64 {
    switch op {
    case .negative:
        precondition(dtype != .bool, "[negative] not supported for bool, use logicalNot instead")
        return { 0 &- $0 }
    case .abs:
        if dtype.isSignedInteger { return { $0 < 0 ? 0 &- $0 : $0 } }
        return { $0 }
    case .square: return { $0 &* $0 }
    case .sign:
        if dtype.isSignedInteger { return { $0 < 0 ? -1 : ($0 > 0 ? 1 : 0) } }
        return { $0 == 0 ? 0 : 1 }
    case .floor, .ceil, .round: return { $0 }
    case .logicalNot: return { $0 == 0 ? 1 : 0 }
    case .bitwiseInvert:
        if dtype == .bool { return { $0 == 0 ? 1 : 0 } }
        return { ~$0 }
    case .isNaN, .isInf, .isPosInf, .isNegInf: return { _ in 0 }
    default: fatalError("internal error: \(op) on integers")
    }
}

func unaryOp(_ a: MLXArray, _ op: UnaryOp) -> MLXArray {
    let inType = op.promotesToFloat ? a.dtype.atLeastFloat : a.dtype
    let outType: DType = op.producesBool ? .bool : inType
    let x = a.asType(inType)
    switch x.storage {
    case .float(let v):
        let f = floatUnaryKernel(op, inType)
        var out = [Float](repeating: 0, count: v.count)
        v.withUnsafeBufferPointer { pv in
            out.withUnsafeMutableBufferPointer { r in
                for i in 0 ..< pv.count { r[i] = f(pv[i]) }
            }
        }
        if outType == .bool {
            return MLXArray(storage: .int(out.map { $0 != 0 ? 1 : 0 }), shape: a.shape, dtype: .bool)
        }
        roundInPlace(&out, to: outType)
        return MLXArray(storage: .float(out), shape: a.shape, dtype: outType)
    case .double(let v):
        let f = doubleUnaryKernel(op)
        let out = v.map(f)
        if outType == .bool {
            return MLXArray(storage: .int(out.map { $0 != 0 ? 1 : 0 }), shape: a.shape, dtype: .bool)
        }
        return MLXArray(storage: .double(out), shape: a.shape, dtype: outType)
    case .int(let v):
        let f = intUnaryKernel(op, inType)
        var out = v.map(f)
        if outType != .int64 && outType != .uint64 {
            out = out.map { wrapInteger($0, to: outType) }
        }
        return MLXArray(storage: .int(out), shape: a.shape, dtype: outType)
    }
}

// MARK: - Select

/// `condition ? a : b` with three-way broadcasting; the result type promotes a and b.
func selectOp(_ condition: MLXArray, _ a: MLXArray, _ b: MLXArray) -> MLXArray {
    let outType = DType.promote(a.dtype, b.dtype)
    let shape = broadcastShapes(broadcastShapes(condition.shape, a.shape, "where"), b.shape, "where")
    let count = shape.reduce(1, *)
    let c = condition.asType(.bool).broadcasted(to: shape, "where").intBuffer
    let ab = a.asType(outType).broadcasted(to: shape, "where")
    let bb = b.asType(outType).broadcasted(to: shape, "where")
    switch (ab.storage, bb.storage) {
    case (.float(let x), .float(let y)):
        var out = [Float](repeating: 0, count: count)
        for i in 0 ..< count { out[i] = c[i] != 0 ? x[i] : y[i] }
        return MLXArray(storage: .float(out), shape: shape, dtype: outType)
    case (.double(let x), .double(let y)):
        var out = [Double](repeating: 0, count: count)
        for i in 0 ..< count { out[i] = c[i] != 0 ? x[i] : y[i] }
        return MLXArray(storage: .double(out), shape: shape, dtype: outType)
    case (.int(let x), .int(let y)):
        var out = [Int64](repeating: 0, count: count)
        for i in 0 ..< count { out[i] = c[i] != 0 ? x[i] : y[i] }
        return MLXArray(storage: .int(out), shape: shape, dtype: outType)
    default:
        fatalError("internal error: mismatched storage in where")
    }
}
