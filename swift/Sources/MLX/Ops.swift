// Element-wise free functions and MLXArray methods: math, comparison, selection, clipping,
// softmax and friends.
import Foundation

public func abs(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .abs)
}

public func sqrt(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .sqrt)
}

public func rsqrt(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .rsqrt)
}

public func exp(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .exp)
}

public func log(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .log)
}

public func square(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .square)
}

public func sin(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .sin)
}

public func cos(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .cos)
}

public func floor(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .floor)
}

public func reciprocal(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .reciprocal)
}

public func log1p(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .log1p)
}

public func log2(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .log2)
}

public func log10(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .log10)
}

public func tanh(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .tanh)
}

public func sigmoid(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .sigmoid)
}

public func erf(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .erf)
}

public func erfInverse(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .erfInverse)
}

func ceil(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .ceil)
}

func tan(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .tan)
}

func sinh(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .sinh)
}

func cosh(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .cosh)
}

func asin(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .arcSin)
}

func acos(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .arcCos)
}

func atan(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .arcTan)
}

func asinh(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .arcSinh)
}

func acosh(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .arcCosh)
}

func atanh(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .arcTanh)
}

func expm1(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .expm1)
}

func negative(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .negative)
}

func sign(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .sign)
}

public func logicalNot(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .logicalNot)
}

func bitwiseInvert(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .bitwiseInvert)
}

func isNaN(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .isNaN)
}

func isInf(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .isInf)
}

func isPosInf(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .isPosInf)
}

func isNegInf(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array, .isNegInf)
}

extension MLXArray {
    public func abs(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .abs)
    }

    public func sqrt(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .sqrt)
    }

    public func rsqrt(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .rsqrt)
    }

    public func exp(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .exp)
    }

    public func log(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .log)
    }

    public func square(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .square)
    }

    public func sin(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .sin)
    }

    public func cos(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .cos)
    }

    public func floor(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .floor)
    }

    public func reciprocal(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .reciprocal)
    }

    public func log1p(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .log1p)
    }

    public func log2(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .log2)
    }

    public func log10(stream: StreamOrDevice = .default) -> MLXArray {
        unaryOp(self, .log10)
    }

}
public func add(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .add)
}

public func subtract(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .subtract)
}

public func multiply(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .multiply)
}

public func divide(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .divide)
}

func remainder(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .remainder)
}

public func maximum(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .maximum)
}

public func minimum(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .minimum)
}

func logAddExp(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .logAddExp)
}

public func logicalAnd(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .logicalAnd)
}

public func logicalOr(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .logicalOr)
}

func bitwiseAnd(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .bitwiseAnd)
}

func bitwiseOr(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .bitwiseOr)
}

func bitwiseXOr(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .bitwiseXor)
}

func leftShift(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .leftShift)
}

func rightShift(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return binaryOp(a, b, .rightShift)
}

public func equal(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return compareOp(a, b, .equal)
}

public func notEqual(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return compareOp(a, b, .notEqual)
}

public func less(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return compareOp(a, b, .less)
}

public func lessEqual(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return compareOp(a, b, .lessEqual)
}

public func greater(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return compareOp(a, b, .greater)
}

public func greaterEqual(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return compareOp(a, b, .greaterEqual)
}


public func pow(_ array: MLXArray, _ other: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    binaryOp(array, other, .power)
}

public func pow(_ array: MLXArray, _ other: some ScalarOrArray, stream: StreamOrDevice = .default)
    -> MLXArray
{
    binaryOp(array, other.asMLXArray(dtype: array.dtype), .power)
}

public func pow(_ array: some ScalarOrArray, _ other: MLXArray, stream: StreamOrDevice = .default)
    -> MLXArray
{
    binaryOp(array.asMLXArray(dtype: other.dtype), other, .power)
}

public func floorDivide(
    _ array: MLXArray, _ other: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    binaryOp(array, other.asMLXArray(dtype: array.dtype), .floorDivide)
}

func divmod(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, stream: StreamOrDevice = .default
) -> (MLXArray, MLXArray) {
    let (a, b) = toArrays(a, b)
    return (binaryOp(a, b, .floorDivide), binaryOp(a, b, .remainder))
}

func atan2(_ a: MLXArray, _ b: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    binaryOp(a, b, .arcTan2)
}

/// Round to `decimals` places, halves to even.
public func round(_ array: MLXArray, decimals: Int = 0, stream: StreamOrDevice = .default)
    -> MLXArray
{
    if decimals == 0 {
        return unaryOp(array, .round)
    }
    // MLX scales by 10^decimals, rounds, and scales back, rounding at each step
    let dtype = array.dtype.atLeastFloat
    let scale = Float(Foundation.pow(10, Double(decimals)))
    let scaled = binaryOp(array, MLXArray(scale, dtype: dtype), .multiply)
    let rounded = unaryOp(scaled, .round)
    return binaryOp(rounded, MLXArray(1 / scale, dtype: dtype), .multiply).asType(array.dtype)
}

func degrees(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    let a = array.asType(array.dtype.atLeastFloat)
    return binaryOp(a, MLXArray(Float(180.0 / Double.pi), dtype: a.dtype), .multiply)
}

func radians(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    let a = array.asType(array.dtype.atLeastFloat)
    return binaryOp(a, MLXArray(Float(Double.pi / 180.0), dtype: a.dtype), .multiply)
}

public func stopGradient(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    array
}

/// Replace NaN and infinities with finite values (by default the dtype's extremes).
func nanToNum(
    _ array: MLXArray, nan: Float = 0, posInf: Float? = 0, negInf: Float? = 0,
    stream: StreamOrDevice = .default
) -> MLXArray {
    guard array.dtype.isFloatingPoint else { return array }
    let info = array.dtype.finfo!
    let pos = MLXArray(posInf.map { Double($0) } ?? info.max, dtype: array.dtype)
    let neg = MLXArray(negInf.map { Double($0) } ?? info.min, dtype: array.dtype)
    var result = selectOp(unaryOp(array, .isNaN), MLXArray(nan, dtype: array.dtype), array)
    result = selectOp(unaryOp(result, .isPosInf), pos, result)
    return selectOp(unaryOp(result, .isNegInf), neg, result)
}

// MARK: - Selection and clipping

/// `condition ? a : b`, element-wise with broadcasting.
public func `where`(
    _ condition: MLXArray, _ a: some ScalarOrArray, _ b: some ScalarOrArray,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return selectOp(condition, a, b)
}

/// Alias of `where` that needs no backticks.
public func which(
    _ condition: MLXArray, _ a: some ScalarOrArray, _ b: some ScalarOrArray,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    return selectOp(condition, a, b)
}

public func clip(
    _ array: MLXArray, min: some ScalarOrArray, max: some ScalarOrArray,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let lower = binaryOp(array, min.asMLXArray(dtype: array.dtype), .maximum)
    return binaryOp(lower, max.asMLXArray(dtype: array.dtype), .minimum)
}

public func clip(_ array: MLXArray, min: some ScalarOrArray, stream: StreamOrDevice = .default)
    -> MLXArray
{
    binaryOp(array, min.asMLXArray(dtype: array.dtype), .maximum)
}

public func clip(_ array: MLXArray, max: some ScalarOrArray, stream: StreamOrDevice = .default)
    -> MLXArray
{
    binaryOp(array, max.asMLXArray(dtype: array.dtype), .minimum)
}

// MARK: - Closeness

func isClose(
    _ a: MLXArray, _ b: MLXArray, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let shape = broadcastShapes(a.shape, b.shape, "isclose")
    let xa = a.asType(.float64).broadcasted(to: shape).doubleBuffer
    let ya = b.asType(.float64).broadcasted(to: shape).doubleBuffer
    var out = [Int64](repeating: 0, count: xa.count)
    for i in 0 ..< xa.count {
        let u = xa[i], v = ya[i]
        let close: Bool
        if u.isNaN || v.isNaN {
            close = equalNaN && u.isNaN && v.isNaN
        } else if u.isInfinite || v.isInfinite {
            close = u == v
        } else {
            close = Swift.abs(u - v) <= atol + rtol * Swift.abs(v)
        }
        out[i] = close ? 1 : 0
    }
    return MLXArray(storage: .int(out), shape: shape, dtype: .bool)
}

func allClose(
    _ array: MLXArray, _ other: some ScalarOrArray, rtol: Double = 1e-5, atol: Double = 1e-8,
    equalNaN: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(array, other)
    let close = isClose(a, b, rtol: rtol, atol: atol, equalNaN: equalNaN)
    return MLXArray(close.intBuffer.allSatisfy { $0 != 0 })
}

/// True when both arrays have the same shape and equal values.
func arrayEqual(
    _ array: MLXArray, _ other: some ScalarOrArray, equalNAN: Bool = false,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(array, other)
    guard a.shape == b.shape else { return MLXArray(false) }
    let x = a.asType(.float64).doubleBuffer
    let y = b.asType(.float64).doubleBuffer
    for i in 0 ..< x.count where x[i] != y[i] {
        if equalNAN && x[i].isNaN && y[i].isNaN { continue }
        return MLXArray(false)
    }
    return MLXArray(true)
}

// MARK: - Softmax

/// Softmax over the last axis the way MLX's CPU kernel does it: subtract the row max,
/// exponentiate, multiply by the reciprocal of the sum. `precise` (or float32 input) works in
/// float32; otherwise half types accumulate in their own precision, rounding at every step.
private func softmaxLastAxis(_ a: MLXArray, precise: Bool) -> MLXArray {
    let dtype = a.dtype.atLeastFloat
    let x = a.asType(dtype)
    let m = x.shape.last ?? 1
    let rows = m == 0 ? 0 : x.size / m
    switch x.storage {
    case .float(let v):
        var out = [Float](repeating: 0, count: v.count)
        let lowPrecision = !precise && (dtype == .bfloat16 || dtype == .float16)
        v.withUnsafeBufferPointer { pv in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0 ..< rows {
                    let base = r * m
                    var maximum = -Float.infinity
                    for j in 0 ..< m { maximum = nanMaximum(pv[base + j], maximum) }
                    if lowPrecision {
                        var normalizer: Float = 0
                        for j in 0 ..< m {
                            let d = roundFloat(pv[base + j] - maximum, to: dtype)
                            let e = roundFloat(mlxExp(d), to: dtype)
                            po[base + j] = e
                            normalizer = roundFloat(normalizer + e, to: dtype)
                        }
                        let inverse = roundFloat(1 / normalizer, to: dtype)
                        for j in 0 ..< m { po[base + j] = roundFloat(po[base + j] * inverse, to: dtype) }
                    } else {
                        var normalizer: Float = 0
                        for j in 0 ..< m {
                            let e = mlxExp(pv[base + j] - maximum)
                            po[base + j] = e
                            normalizer += e
                        }
                        let inverse = 1 / normalizer
                        for j in 0 ..< m { po[base + j] = roundFloat(po[base + j] * inverse, to: dtype) }
                    }
                }
            }
        }
        return MLXArray(storage: .float(out), shape: x.shape, dtype: dtype)
    case .double(let v):
        var out = [Double](repeating: 0, count: v.count)
        for r in 0 ..< rows {
            let base = r * m
            var maximum = -Double.infinity
            for j in 0 ..< m { maximum = v[base + j].isNaN ? v[base + j] : Swift.max(maximum, v[base + j]) }
            var normalizer: Double = 0
            for j in 0 ..< m {
                out[base + j] = Foundation.exp(v[base + j] - maximum)
                normalizer += out[base + j]
            }
            let inverse = 1 / normalizer
            for j in 0 ..< m { out[base + j] *= inverse }
        }
        return MLXArray(storage: .double(out), shape: x.shape, dtype: dtype)
    case .int:
        fatalError("internal error: softmax on integers")
    }
}

/// Whether reducing over `axes` is the same as reducing over the last axis only (MLX's test for
/// using its fused kernels).
func reducesLastAxisOnly(_ axes: [Int], shape: [Int]) -> Bool {
    let ndim = shape.count
    guard let last = axes.last, last == ndim - 1 || last == -1 else { return false }
    var i = axes.count - 2
    while i >= 0 {
        if axes[i] + 1 != axes[i + 1] || shape[normalizeAxis(axes[i], ndim, "softmax")] != 1 {
            return false
        }
        i -= 1
    }
    return true
}

public func softmax(
    _ array: MLXArray, axes: some Collection<Int>, precise: Bool = false,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let axes = Array(axes)
    if array.size == 0 { return array }
    if reducesLastAxisOnly(axes, shape: array.shape) {
        return softmaxLastAxis(array, precise: precise)
    }
    let input = precise ? array.asType(.float32) : array
    let maximum = input.max(axes: axes, keepDims: true)
    let e = unaryOp(binaryOp(input, maximum, .subtract), .exp)
    return binaryOp(e, e.sum(axes: axes, keepDims: true), .divide).asType(array.dtype)
}

public func softmax(
    _ array: MLXArray, axis: Int, precise: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    softmax(array, axes: [axis], precise: precise, stream: stream)
}

public func softmax(_ array: MLXArray, precise: Bool = false, stream: StreamOrDevice = .default)
    -> MLXArray
{
    softmax(array, axes: Array(0 ..< array.ndim), precise: precise, stream: stream)
}

@available(*, deprecated, renamed: "softmax(_:axes:precise:stream:)")
public func softMax(
    _ array: MLXArray, axes: some Collection<Int>, precise: Bool = false,
    stream: StreamOrDevice = .default
) -> MLXArray {
    softmax(array, axes: axes, precise: precise, stream: stream)
}

@available(*, deprecated, renamed: "softmax(_:axis:precise:stream:)")
public func softMax(
    _ array: MLXArray, axis: Int, precise: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    softmax(array, axis: axis, precise: precise, stream: stream)
}

@available(*, deprecated, renamed: "softmax(_:precise:stream:)")
public func softMax(_ array: MLXArray, precise: Bool = false, stream: StreamOrDevice = .default)
    -> MLXArray
{
    softmax(array, precise: precise, stream: stream)
}

// MARK: - Methods

extension MLXArray {
    public func pow(_ other: some ScalarOrArray, stream: StreamOrDevice = .default) -> MLXArray {
        binaryOp(self, other.asMLXArray(dtype: dtype), .power)
    }

    func floorDivide(_ other: some ScalarOrArray, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        binaryOp(self, other.asMLXArray(dtype: dtype), .floorDivide)
    }

    public func round(decimals: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.round(self, decimals: decimals, stream: stream)
    }

    func allClose(
        _ other: some ScalarOrArray, rtol: Double = 1e-5, atol: Double = 1e-8,
        equalNaN: Bool = false, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.allClose(self, other, rtol: rtol, atol: atol, equalNaN: equalNaN, stream: stream)
    }

    func arrayEqual(
        _ other: some ScalarOrArray, equalNAN: Bool = false, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.arrayEqual(self, other, equalNAN: equalNAN, stream: stream)
    }

    /// Arrays are always stored contiguously, so this is the array itself.
    public func contiguous(allowColMajor: Bool = false, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        self
    }

    /// Reinterpret the bytes as another dtype; the last axis scales by the size ratio.
    public func view(dtype: DType, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.view(self, dtype: dtype, stream: stream)
    }
}

public func contiguous(_ a: MLXArray, allowColMajor: Bool = false, stream: StreamOrDevice = .default)
    -> MLXArray
{
    a
}

public func view(_ array: MLXArray, dtype: DType, stream: StreamOrDevice = .default) -> MLXArray {
    if dtype == array.dtype { return array }
    let inSize = array.dtype.size
    let outSize = dtype.size
    var shape = array.shape
    if shape.isEmpty {
        precondition(inSize == outSize, "[view] a scalar cannot change its element size")
    } else {
        let lastBytes = shape[shape.count - 1] * inSize
        precondition(
            lastBytes % outSize == 0,
            "[view] the last axis (\(shape.last!) x \(inSize) bytes) is not divisible by \(outSize) bytes")
        shape[shape.count - 1] = lastBytes / outSize
    }
    let bytes = rawBytes(array)
    let storage = bytes.withUnsafeBytes { storageFromBytes($0, dtype: dtype) }
    return MLXArray(storage: storage, shape: shape, dtype: dtype)
}
