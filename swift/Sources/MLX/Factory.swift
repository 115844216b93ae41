// Array factories: zeros, ones, full, arange, linspace, eye/identity, tri — as free functions and
// as static members of MLXArray.
import Foundation

private func filled(_ shape: [Int], value: Double, dtype: DType) -> MLXArray {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimensions are not allowed: \(shape)")
    let n = shape.reduce(1, *)
    switch dtype.storageKind {
    case .float:
        return MLXArray(
            storage: .float([Float](repeating: roundFloat(Float(value), to: dtype), count: n)),
            shape: shape, dtype: dtype)
    case .double:
        return MLXArray(storage: .double([Double](repeating: value, count: n)), shape: shape, dtype: dtype)
    case .int:
        return MLXArray(
            storage: .int([Int64](repeating: floatToInt(value, dtype: dtype), count: n)), shape: shape,
            dtype: dtype)
    case .complex:
        fatalError("complex64 arrays are not supported by this backend")
    }
}

public func zeros(
    _ shape: some Collection<Int>, type: (some HasDType).Type = Float.self,
    stream: StreamOrDevice = .default
) -> MLXArray {
    filled(Array(shape), value: 0, dtype: type.dtype)
}

public func zeros(_ shape: some Collection<Int>, dtype: DType, stream: StreamOrDevice = .default)
    -> MLXArray
{
    filled(Array(shape), value: 0, dtype: dtype)
}

public func zeros(like array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    filled(array.shape, value: 0, dtype: array.dtype)
}

public func ones(
    _ shape: some Collection<Int>, type: (some HasDType).Type = Float.self,
    stream: StreamOrDevice = .default
) -> MLXArray {
    filled(Array(shape), value: 1, dtype: type.dtype)
}

public func ones(_ shape: some Collection<Int>, dtype: DType, stream: StreamOrDevice = .default)
    -> MLXArray
{
    filled(Array(shape), value: 1, dtype: dtype)
}

public func ones(like array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    filled(array.shape, value: 1, dtype: array.dtype)
}

/// `values` broadcast to `shape` as `type`.
public func full(
    _ shape: some Collection<Int>, values: some ScalarOrArray, type: (some HasDType).Type,
    stream: StreamOrDevice = .default
) -> MLXArray {
    values.asMLXArray(dtype: nil).asType(type.dtype).broadcasted(to: Array(shape), "full")
}

public func full(
    _ shape: some Collection<Int>, values: MLXArray, dtype: DType, stream: StreamOrDevice = .default
) -> MLXArray {
    values.asType(dtype).broadcasted(to: Array(shape), "full")
}

/// `values` broadcast to `shape`, keeping the values' dtype.
public func full(
    _ shape: some Collection<Int>, values: some ScalarOrArray, stream: StreamOrDevice = .default
) -> MLXArray {
    values.asMLXArray(dtype: nil).broadcasted(to: Array(shape), "full")
}

/// Values `start, start + step, ...` below `stop`, accumulated step by step in the target
/// dtype as MLX's kernel does (so float ranges carry the same rounding).
private func arangeValues(_ start: Double, _ stop: Double, _ step: Double, dtype: DType) -> MLXArray {
    precondition(dtype != .bool, "bool not supported for arange.")
    precondition(step != 0, "[arange] step must be nonzero.")
    precondition(start.isFinite && stop.isFinite && !step.isNaN, "[arange] Cannot compute length.")
    let count: Int
    if step.isInfinite {
        count = (step > 0 && start < stop) || (step < 0 && start > stop) ? 1 : 0
    } else {
        let real = ((stop - start) / step).rounded(.up)
        count = real > 0 ? Int(real) : 0
    }
    switch dtype.storageKind {
    case .float:
        let first = roundFloat(Float(start), to: dtype)
        let increment = roundFloat(roundFloat(Float(start + step), to: dtype) - first, to: dtype)
        var values = [Float](repeating: 0, count: count)
        var v = first
        for i in 0 ..< count {
            values[i] = v
            v = roundFloat(v + increment, to: dtype)
        }
        return MLXArray(storage: .float(values), shape: [count], dtype: dtype)
    case .double:
        var values = [Double](repeating: 0, count: count)
        var v = start
        let increment = (start + step) - start
        for i in 0 ..< count {
            values[i] = v
            v += increment
        }
        return MLXArray(storage: .double(values), shape: [count], dtype: dtype)
    case .int:
        let first = floatToInt(start, dtype: dtype)
        let increment = floatToInt(start + step, dtype: dtype) &- first
        var values = [Int64](repeating: 0, count: count)
        var v = first
        for i in 0 ..< count {
            values[i] = wrapInteger(v, to: dtype)
            v = v &+ increment
        }
        return MLXArray(storage: .int(values), shape: [count], dtype: dtype)
    case .complex:
        fatalError("complex64 arrays are not supported by this backend")
    }
}

/// `0 ..< stop` as int32.
public func arange(_ stop: Int, stream: StreamOrDevice = .default) -> MLXArray {
    arangeValues(0, Double(stop), 1, dtype: .int32)
}

public func arange(_ start: Int, _ stop: Int, step: Int = 1, stream: StreamOrDevice = .default)
    -> MLXArray
{
    arangeValues(Double(start), Double(stop), Double(step), dtype: .int32)
}

public func arange(_ stop: Int, dtype: DType, stream: StreamOrDevice = .default) -> MLXArray {
    arangeValues(0, Double(stop), 1, dtype: dtype)
}

public func arange(
    _ start: Int, _ stop: Int, step: Int = 1, dtype: DType, stream: StreamOrDevice = .default
) -> MLXArray {
    arangeValues(Double(start), Double(stop), Double(step), dtype: dtype)
}

public func arange(_ stop: Double, dtype: DType = .float32, stream: StreamOrDevice = .default)
    -> MLXArray
{
    arangeValues(0, stop, 1, dtype: dtype)
}

public func arange(
    _ start: Double, _ stop: Double, step: Double = 1.0, dtype: DType = .float32,
    stream: StreamOrDevice = .default
) -> MLXArray {
    arangeValues(start, stop, step, dtype: dtype)
}

/// `count` evenly spaced values from `start` to `stop` inclusive, computed in float32 as
/// `(1 - t) * start + t * stop`.
private func linspaceValues(_ start: Double, _ stop: Double, count: Int, dtype: DType) -> MLXArray {
    precondition(count >= 0, "[linspace] number of samples, \(count), must be non-negative.")
    if count == 1 {
        return MLXArray(start, dtype: .float32).reshaped([1]).asType(dtype)
    }
    let inner: DType = dtype == .float64 ? .float64 : .float32
    let t = binaryOp(arangeValues(0, Double(count), 1, dtype: inner), MLXArray(Double(count - 1), dtype: inner), .divide)
    let tBar = binaryOp(MLXArray(1.0, dtype: inner), t, .subtract)
    let a = binaryOp(tBar, MLXArray(start, dtype: inner), .multiply)
    let b = binaryOp(t, MLXArray(stop, dtype: inner), .multiply)
    return binaryOp(a, b, .add).asType(dtype)
}

public func linspace<T: HasDType>(
    _ start: T, _ stop: T, count: Int = 50, stream: StreamOrDevice = .default
) -> MLXArray where T: BinaryInteger {
    linspaceValues(Double(start), Double(stop), count: count, dtype: T.dtype)
}

public func linspace<T: HasDType>(
    _ start: T, _ stop: T, count: Int = 50, stream: StreamOrDevice = .default
) -> MLXArray where T: BinaryFloatingPoint {
    linspaceValues(Double(start), Double(stop), count: count, dtype: T.dtype)
}

/// `n x m` matrix with ones on diagonal `k`.
public func eye(
    _ n: Int, m: Int? = nil, k: Int = 0, type: (some HasDType).Type = Float.self,
    stream: StreamOrDevice = .default
) -> MLXArray {
    eye(n, m: m, k: k, dtype: type.dtype)
}

func eye(
    _ n: Int, m: Int? = nil, k: Int = 0, dtype: DType, stream: StreamOrDevice = .default
) -> MLXArray {
    let m = m ?? n
    let rows = arange(n).reshaped([n, 1])
    let cols = arange(m).reshaped([1, m])
    let diagonal = compareOp(binaryOp(cols, rows, .subtract), MLXArray(Int32(k)), .equal)
    return diagonal.asType(dtype)
}

func identity(
    _ n: Int, type: (some HasDType).Type = Float.self, stream: StreamOrDevice = .default
) -> MLXArray {
    eye(n, dtype: type.dtype)
}

func identity(_ n: Int, dtype: DType, stream: StreamOrDevice = .default) -> MLXArray {
    eye(n, dtype: dtype)
}

/// `n x m` matrix that is one at and below diagonal `k` (column `j` with `j <= i + k`).
public func tri(
    _ n: Int, m: Int? = nil, k: Int = 0, type: (some HasDType).Type = Float.self,
    stream: StreamOrDevice = .default
) -> MLXArray {
    tri(n, m: m, k: k, dtype: type.dtype)
}

public func tri(
    _ n: Int, m: Int? = nil, k: Int = 0, dtype: DType, stream: StreamOrDevice = .default
) -> MLXArray {
    let m = m ?? n
    var values = [Int64](repeating: 0, count: n * m)
    for i in 0 ..< n {
        for j in 0 ..< m where j <= i + k {
            values[i * m + j] = 1
        }
    }
    return MLXArray(storage: .int(values), shape: [n, m], dtype: .bool).asType(dtype)
}

extension MLXArray {
    static public func zeros(
        _ shape: some Collection<Int>, type: (some HasDType).Type = Float.self,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.zeros(shape, type: type)
    }

    static public func zeros(
        _ shape: some Collection<Int>, dtype: DType, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.zeros(shape, dtype: dtype)
    }

    static public func zeros(like array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.zeros(like: array)
    }

    static public func ones(
        _ shape: some Collection<Int>, type: (some HasDType).Type = Float.self,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.ones(shape, type: type)
    }

    static public func ones(
        _ shape: some Collection<Int>, dtype: DType, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.ones(shape, dtype: dtype)
    }

    static public func ones(like array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.ones(like: array)
    }

    static public func eye(
        _ n: Int, m: Int? = nil, k: Int = 0, type: (some HasDType).Type = Float.self,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.eye(n, m: m, k: k, type: type)
    }

    static func eye(
        _ n: Int, m: Int? = nil, k: Int = 0, dtype: DType, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.eye(n, m: m, k: k, dtype: dtype)
    }

    static public func full(
        _ shape: some Collection<Int>, values: MLXArray, type: (some HasDType).Type = Float.self,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.full(shape, values: values, type: type)
    }

    static public func full(
        _ shape: some Collection<Int>, values: MLXArray, dtype: DType,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.full(shape, values: values, dtype: dtype)
    }

    static public func full(
        _ shape: some Collection<Int>, values: MLXArray, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.full(shape, values: values)
    }

    static func identity(
        _ n: Int, type: (some HasDType).Type = Float.self, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.identity(n, type: type)
    }

    static func identity(_ n: Int, dtype: DType, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        MLX.identity(n, dtype: dtype)
    }

    static public func linspace<T: HasDType>(
        _ start: T, _ stop: T, count: Int = 50, stream: StreamOrDevice = .default
    ) -> MLXArray where T: BinaryInteger {
        MLX.linspace(start, stop, count: count)
    }

    static public func linspace<T: HasDType>(
        _ start: T, _ stop: T, count: Int = 50, stream: StreamOrDevice = .default
    ) -> MLXArray where T: BinaryFloatingPoint {
        MLX.linspace(start, stop, count: count)
    }

    static public func arange(_ stop: Int, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.arange(stop)
    }

    static public func arange(
        _ start: Int, _ stop: Int, step: Int = 1, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.arange(start, stop, step: step)
    }

    static public func arange(_ stop: Int, dtype: DType, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        MLX.arange(stop, dtype: dtype)
    }

    static public func arange(
        _ start: Int, _ stop: Int, step: Int = 1, dtype: DType, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.arange(start, stop, step: step, dtype: dtype)
    }

    static public func arange(
        _ stop: Double, dtype: DType = .float32, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.arange(stop, dtype: dtype)
    }

    static public func arange(
        _ start: Double, _ stop: Double, step: Double = 1.0, dtype: DType = .float32,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.arange(start, stop, step: step, dtype: dtype)
    }

    @available(*, deprecated, renamed: "repeated(_:count:axis:stream:)")
    static public func `repeat`(
        _ array: MLXArray, count: Int, axis: Int, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.repeated(array, count: count, axis: axis)
    }

    @available(*, deprecated, renamed: "repeated(_:count:stream:)")
    static public func `repeat`(_ array: MLXArray, count: Int, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        MLX.repeated(array, count: count)
    }

    static public func repeated(
        _ array: MLXArray, count: Int, axis: Int, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.repeated(array, count: count, axis: axis)
    }

    static public func repeated(_ array: MLXArray, count: Int, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        MLX.repeated(array, count: count)
    }

    static public func tri(
        _ n: Int, m: Int? = nil, k: Int = 0, type: (some HasDType).Type = Float.self,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.tri(n, m: m, k: k, type: type)
    }

    static public func tri(
        _ n: Int, m: Int? = nil, k: Int = 0, dtype: DType, stream: StreamOrDevice = .default
    ) -> MLXArray {
        MLX.tri(n, m: m, k: k, dtype: dtype)
    }
}
