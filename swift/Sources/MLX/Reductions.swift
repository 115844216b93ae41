// Reductions (sum, prod, max, min, all, any, mean, variance, logsumexp, arg max/min) and scans
// (cumsum and friends), as free functions and MLXArray methods.
import Foundation

enum ReduceOp {
    case sum, prod, max, min, all, any
}

/// Move the reduced axes to the end (in increasing order) so every output element reduces one
/// contiguous run; MLX's CPU kernels visit the reduced elements in this same order.
private func reductionLayout(_ a: MLXArray, axes: [Int]) -> (MLXArray, outer: Int, inner: Int) {
    let sortedAxes = axes.sorted()
    let kept = (0 ..< a.ndim).filter { !sortedAxes.contains($0) }
    let inner = sortedAxes.reduce(1) { $0 * a.shape[$1] }
    let outer = kept.reduce(1) { $0 * a.shape[$1] }
    let permutation = kept + sortedAxes
    if permutation == Array(0 ..< a.ndim) {
        return (a, outer, inner)
    }
    return (a.transposed(axes: permutation), outer, inner)
}

private func reducedShape(_ shape: [Int], axes: [Int], keepDims: Bool) -> [Int] {
    var result = [Int]()
    for (d, size) in shape.enumerated() {
        if axes.contains(d) {
            if keepDims { result.append(1) }
        } else {
            result.append(size)
        }
    }
    return result
}

private func reduceResultType(_ op: ReduceOp, _ dtype: DType) -> DType {
    switch op {
    case .all, .any: return .bool
    case .max, .min: return dtype
    case .sum, .prod:
        if dtype == .bool { return .int32 }
        if dtype.isSignedInteger { return dtype.size <= 4 ? .int32 : .int64 }
        if dtype.isInteger { return dtype.size <= 4 ? .uint32 : .uint64 }
        return dtype
    }
}

func reduceArray(_ a: MLXArray, _ op: ReduceOp, axes: some Collection<Int>, keepDims: Bool) -> MLXArray {
    let name = String(describing: op)
    let axes = normalizeAxes(axes, a.ndim, name)
    if axes.isEmpty { return a }
    let outType = reduceResultType(op, a.dtype)
    let outShape = reducedShape(a.shape, axes: axes, keepDims: keepDims)
    let (arranged, outer, inner) = reductionLayout(a, axes: axes)

    if op == .all || op == .any {
        let values = arranged.asType(.bool).intBuffer
        var out = [Int64](repeating: 0, count: outer)
        for o in 0 ..< outer {
            var acc = op == .all
            for i in 0 ..< inner {
                let v = values[o * inner + i] != 0
                acc = op == .all ? (acc && v) : (acc || v)
            }
            out[o] = acc ? 1 : 0
        }
        return MLXArray(storage: .int(out), shape: outShape, dtype: .bool)
    }

    switch arranged.asType(outType).storage {
    case .float(let values):
        // half types accumulate in float32 and round once at the end (observed in MLX: a bf16
        // sum of 1 and 256 × 2^-9 is 1.5, where bf16 accumulation would stay at 1)
        var out = [Float](repeating: 0, count: outer)
        values.withUnsafeBufferPointer { pv in
            for o in 0 ..< outer {
                let base = o * inner
                var acc: Float
                switch op {
                case .sum:
                    acc = 0
                    for i in 0 ..< inner { acc += pv[base + i] }
                    acc = roundFloat(acc, to: outType)
                case .prod:
                    acc = 1
                    for i in 0 ..< inner { acc *= pv[base + i] }
                    acc = roundFloat(acc, to: outType)
                case .max:
                    acc = -.infinity
                    for i in 0 ..< inner { acc = nanMaximum(acc, pv[base + i]) }
                case .min:
                    acc = .infinity
                    for i in 0 ..< inner { acc = nanMinimum(acc, pv[base + i]) }
                case .all, .any:
                    fatalError("unreachable")
                }
                out[o] = acc
            }
        }
        return MLXArray(storage: .float(out), shape: outShape, dtype: outType)
    case .double(let values):
        var out = [Double](repeating: 0, count: outer)
        for o in 0 ..< outer {
            let run = values[(o * inner) ..< (o * inner + inner)]
            switch op {
            case .sum: out[o] = run.reduce(0, +)
            case .prod: out[o] = run.reduce(1, *)
            case .max: out[o] = run.reduce(-Double.infinity) { $0.isNaN ? $0 : ($0 > $1 ? $0 : $1) }
            case .min: out[o] = run.reduce(Double.infinity) { $0.isNaN ? $0 : ($0 < $1 ? $0 : $1) }
            case .all, .any: fatalError("unreachable")
            }
        }
        return MLXArray(storage: .double(out), shape: outShape, dtype: outType)
    case .int(let values):
        var out = [Int64](repeating: 0, count: outer)
        let unsigned64 = outType == .uint64
        for o in 0 ..< outer {
            let base = o * inner
            var acc: Int64
            switch op {
            case .sum:
                acc = 0
                for i in 0 ..< inner { acc = acc &+ values[base + i] }
            case .prod:
                acc = 1
                for i in 0 ..< inner { acc = acc &* values[base + i] }
            case .max:
                acc = values[base]
                for i in 0 ..< inner {
                    let v = values[base + i]
                    if unsigned64 ? UInt64(bitPattern: v) > UInt64(bitPattern: acc) : v > acc { acc = v }
                }
            case .min:
                acc = values[base]
                for i in 0 ..< inner {
                    let v = values[base + i]
                    if unsigned64 ? UInt64(bitPattern: v) < UInt64(bitPattern: acc) : v < acc { acc = v }
                }
            case .all, .any:
                fatalError("unreachable")
            }
            out[o] = wrapInteger(acc, to: outType)
        }
        return MLXArray(storage: .int(out), shape: outShape, dtype: outType)
    }
}

/// The element count of the reduced axes as a scalar of `dtype` (1/N when `inverted`), built
/// from a Double like MLX's `number_of_elements`.
private func elementCount(_ a: MLXArray, axes: [Int], inverted: Bool, dtype: DType) -> MLXArray {
    let n = axes.reduce(1.0) { $0 * Double(a.shape[normalizeAxis($1, a.ndim, "mean")]) }
    return MLXArray(inverted ? 1.0 / n : n, dtype: dtype)
}

func meanOp(_ a: MLXArray, axes: [Int], keepDims: Bool) -> MLXArray {
    let axes = normalizeAxes(axes, a.ndim, "mean")
    let dtype = a.dtype.atLeastFloat
    let total = reduceArray(a, .sum, axes: axes, keepDims: keepDims)
    return binaryOp(total, elementCount(a, axes: axes, inverted: true, dtype: dtype), .multiply)
}

func varianceOp(_ a: MLXArray, axes: [Int], keepDims: Bool, ddof: Int) -> MLXArray {
    let axes = normalizeAxes(axes, a.ndim, "var")
    let dtype = a.dtype.atLeastFloat
    let mu = meanOp(a, axes: axes, keepDims: true)
    let squared = unaryOp(binaryOp(a, mu, .subtract), .square)
    let total = reduceArray(squared, .sum, axes: axes, keepDims: keepDims)
    if ddof != 0 {
        let count = binaryOp(
            elementCount(a, axes: axes, inverted: false, dtype: dtype), MLXArray(ddof, dtype: dtype),
            .subtract)
        let normalizer = binaryOp(count, MLXArray(0, dtype: dtype), .maximum)
        return binaryOp(total, normalizer, .divide)
    }
    return binaryOp(total, elementCount(a, axes: axes, inverted: true, dtype: dtype), .multiply)
}

/// log(sum(exp(x))) computed stably; over the last axis this mirrors MLX's fused kernel
/// (float32 accumulation), otherwise its composition of ops.
func logSumExpOp(_ a: MLXArray, axes: [Int], keepDims: Bool) -> MLXArray {
    precondition(a.size > 0, "[logsumexp] Received empty array.")
    if axes.isEmpty { return a }
    if reducesLastAxisOnly(axes, shape: a.shape) {
        let dtype = a.dtype.atLeastFloat
        let x = a.asType(dtype)
        let m = x.shape.last ?? 1
        let rows = x.size / m
        var outShape = x.shape
        outShape[outShape.count - 1] = 1
        var result: MLXArray
        switch x.storage {
        case .float(let v):
            var out = [Float](repeating: 0, count: rows)
            for r in 0 ..< rows {
                var maximum = -Float.infinity
                for j in 0 ..< m { maximum = nanMaximum(v[r * m + j], maximum) }
                var normalizer: Float = 0
                for j in 0 ..< m { normalizer += mlxExp(v[r * m + j] - maximum) }
                out[r] = roundFloat(
                    maximum.isInfinite ? maximum : Foundation.log(normalizer) + maximum, to: dtype)
            }
            result = MLXArray(storage: .float(out), shape: outShape, dtype: dtype)
        case .double(let v):
            var out = [Double](repeating: 0, count: rows)
            for r in 0 ..< rows {
                var maximum = -Double.infinity
                for j in 0 ..< m { maximum = Swift.max(v[r * m + j], maximum) }
                var normalizer: Double = 0
                for j in 0 ..< m { normalizer += Foundation.exp(v[r * m + j] - maximum) }
                out[r] = maximum.isInfinite ? maximum : Foundation.log(normalizer) + maximum
            }
            result = MLXArray(storage: .double(out), shape: outShape, dtype: dtype)
        case .int:
            fatalError("internal error: logsumexp on integers")
        }
        if !keepDims {
            result = result.squeezed(axes: normalizeAxes(axes, a.ndim, "logsumexp"))
        }
        return result
    }
    let maxval = reduceArray(a, .max, axes: axes, keepDims: true)
    var out = unaryOp(
        reduceArray(unaryOp(binaryOp(a, maxval, .subtract), .exp), .sum, axes: axes, keepDims: keepDims),
        .log)
    out = binaryOp(out, maxval.reshaped(out.shape), .add)
    let m = keepDims ? maxval : maxval.squeezed(axes: normalizeAxes(axes, a.ndim, "logsumexp"))
    return selectOp(unaryOp(m, .isInf), m, out)
}

/// Index of the first maximum (or minimum) along an axis, as uint32.
func argReduce(_ a: MLXArray, axis: Int?, keepDims: Bool, maximum: Bool) -> MLXArray {
    let source = axis == nil ? a.reshaped([-1]) : a
    let ax = normalizeAxis(axis ?? 0, source.ndim, maximum ? "argmax" : "argmin")
    let (arranged, outer, inner) = reductionLayout(source, axes: [ax])
    let values = arranged.asType(.float64).doubleBuffer
    var out = [Int64](repeating: 0, count: outer)
    for o in 0 ..< outer {
        var best = 0
        var bestValue = values[o * inner]
        for i in 1 ..< Swift.max(inner, 1) {
            let v = values[o * inner + i]
            if bestValue.isNaN { break }
            if v.isNaN || (maximum ? v > bestValue : v < bestValue) {
                best = i
                bestValue = v
            }
        }
        out[o] = Int64(best)
    }
    var shape: [Int]
    if axis == nil {
        shape = keepDims ? [Int](repeating: 1, count: a.ndim) : []
    } else {
        shape = reducedShape(source.shape, axes: [ax], keepDims: keepDims)
    }
    return MLXArray(storage: .int(out), shape: shape, dtype: .uint32)
}

enum ScanOp {
    case sum, prod, max, min, logAddExp
}

/// Cumulative reduction along an axis; `inclusive: false` shifts by one (starting from the
/// identity), `reverse` scans from the end.
func scan(_ a: MLXArray, _ op: ScanOp, axis: Int?, reverse: Bool, inclusive: Bool) -> MLXArray {
    let source = axis == nil ? a.reshaped([-1]) : a
    let ax = normalizeAxis(axis ?? 0, source.ndim, "scan")
    var outType = source.dtype
    if (op == .sum || op == .prod) && outType == .bool { outType = .int32 }
    if op == .logAddExp { outType = outType.atLeastFloat }
    let x = source.asType(outType)
    let n = x.shape[ax]
    let innerStride = rowMajorStrides(x.shape)[ax]
    let outer = x.size / Swift.max(n * innerStride, 1)

    func run<T>(_ values: [T], identity: T, _ f: (T, T) -> T) -> [T] {
        var out = [T](repeating: identity, count: values.count)
        for o in 0 ..< outer {
            for s in 0 ..< innerStride {
                let base = o * n * innerStride + s
                var acc = identity
                for k in 0 ..< n {
                    let j = reverse ? n - 1 - k : k
                    let index = base + j * innerStride
                    if inclusive {
                        acc = k == 0 ? values[index] : f(acc, values[index])
                        out[index] = acc
                    } else {
                        out[index] = acc
                        acc = k == 0 ? values[index] : f(acc, values[index])
                    }
                }
            }
        }
        return out
    }

    switch x.storage {
    case .float(let v):
        let r: [Float]
        switch op {
        case .sum: r = run(v, identity: 0) { roundFloat($0 + $1, to: outType) }
        case .prod: r = run(v, identity: 1) { roundFloat($0 * $1, to: outType) }
        case .max: r = run(v, identity: -.infinity) { nanMaximum($0, $1) }
        case .min: r = run(v, identity: .infinity) { nanMinimum($0, $1) }
        case .logAddExp:
            r = run(v, identity: -.infinity) { x, y in
                let hi = Swift.max(x, y), lo = Swift.min(x, y)
                if lo == -.infinity || hi == .infinity { return hi }
                return roundFloat(hi + Foundation.log1p(mlxExp(lo - hi)), to: outType)
            }
        }
        return MLXArray(storage: .float(r), shape: x.shape, dtype: outType)
    case .double(let v):
        let r: [Double]
        switch op {
        case .sum: r = run(v, identity: 0, +)
        case .prod: r = run(v, identity: 1, *)
        case .max: r = run(v, identity: -.infinity) { Swift.max($0, $1) }
        case .min: r = run(v, identity: .infinity) { Swift.min($0, $1) }
        case .logAddExp:
            r = run(v, identity: -.infinity) { x, y in
                let hi = Swift.max(x, y), lo = Swift.min(x, y)
                if lo == -.infinity || hi == .infinity { return hi }
                return hi + Foundation.log1p(Foundation.exp(lo - hi))
            }
        }
        return MLXArray(storage: .double(r), shape: x.shape, dtype: outType)
    case .int(let v):
        let unsigned64 = outType == .uint64
        var r: [Int64]
        switch op {
        case .sum: r = run(v, identity: 0) { $0 &+ $1 }
        case .prod: r = run(v, identity: 1) { $0 &* $1 }
        case .max:
            r = run(v, identity: unsigned64 ? 0 : Int64.min) {
                (unsigned64 ? UInt64(bitPattern: $1) > UInt64(bitPattern: $0) : $1 > $0) ? $1 : $0
            }
        case .min:
            r = run(v, identity: unsigned64 ? -1 : Int64.max) {
                (unsigned64 ? UInt64(bitPattern: $1) < UInt64(bitPattern: $0) : $1 < $0) ? $1 : $0
            }
        case .logAddExp:
            fatalError("unreachable")
        }
        if outType != .int64 && outType != .uint64 { r = r.map { wrapInteger($0, to: outType) } }
        return MLXArray(storage: .int(r), shape: x.shape, dtype: outType)
    }
}

// MARK: - Public API

extension MLXArray {
    public func sum(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .sum, axes: axes, keepDims: keepDims)
    }
    public func sum(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .sum, axes: [axis], keepDims: keepDims)
    }
    public func sum(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .sum, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func product(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .prod, axes: axes, keepDims: keepDims)
    }
    public func product(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .prod, axes: [axis], keepDims: keepDims)
    }
    public func product(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .prod, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func max(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .max, axes: axes, keepDims: keepDims)
    }
    public func max(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .max, axes: [axis], keepDims: keepDims)
    }
    public func max(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .max, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func min(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .min, axes: axes, keepDims: keepDims)
    }
    public func min(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .min, axes: [axis], keepDims: keepDims)
    }
    public func min(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .min, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func all(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .all, axes: axes, keepDims: keepDims)
    }
    public func all(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .all, axes: [axis], keepDims: keepDims)
    }
    public func all(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        ndim == 0 ? asType(.bool) : reduceArray(self, .all, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func any(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .any, axes: axes, keepDims: keepDims)
    }
    public func any(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        reduceArray(self, .any, axes: [axis], keepDims: keepDims)
    }
    public func any(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        ndim == 0 ? asType(.bool) : reduceArray(self, .any, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func mean(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        meanOp(self, axes: Array(axes), keepDims: keepDims)
    }
    public func mean(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        meanOp(self, axes: [axis], keepDims: keepDims)
    }
    public func mean(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        meanOp(self, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func variance(axes: some Collection<Int>, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
        varianceOp(self, axes: Array(axes), keepDims: keepDims, ddof: ddof)
    }
    public func variance(axis: Int, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
        varianceOp(self, axes: [axis], keepDims: keepDims, ddof: ddof)
    }
    public func variance(keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
        varianceOp(self, axes: Array(0 ..< ndim), keepDims: keepDims, ddof: ddof)
    }

    public func logSumExp(axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        logSumExpOp(self, axes: Array(axes), keepDims: keepDims)
    }
    public func logSumExp(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        logSumExpOp(self, axes: [axis], keepDims: keepDims)
    }
    public func logSumExp(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        logSumExpOp(self, axes: Array(0 ..< ndim), keepDims: keepDims)
    }

    public func argMax(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        argReduce(self, axis: axis, keepDims: keepDims, maximum: true)
    }
    public func argMax(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        argReduce(self, axis: nil, keepDims: keepDims, maximum: true)
    }
    public func argMin(axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        argReduce(self, axis: axis, keepDims: keepDims, maximum: false)
    }
    func argMin(keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
        argReduce(self, axis: nil, keepDims: keepDims, maximum: false)
    }

    public func cumsum(axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .sum, axis: axis, reverse: reverse, inclusive: inclusive)
    }
    public func cumsum(reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .sum, axis: nil, reverse: reverse, inclusive: inclusive)
    }
    public func cumprod(axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .prod, axis: axis, reverse: reverse, inclusive: inclusive)
    }
    public func cumprod(reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .prod, axis: nil, reverse: reverse, inclusive: inclusive)
    }
    public func cummax(axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .max, axis: axis, reverse: reverse, inclusive: inclusive)
    }
    public func cummax(reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .max, axis: nil, reverse: reverse, inclusive: inclusive)
    }
    public func cummin(axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .min, axis: axis, reverse: reverse, inclusive: inclusive)
    }
    public func cummin(reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .min, axis: nil, reverse: reverse, inclusive: inclusive)
    }
    public func logCumsumExp(axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .logAddExp, axis: axis, reverse: reverse, inclusive: inclusive)
    }
    public func logCumsumExp(reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
        scan(self, .logAddExp, axis: nil, reverse: reverse, inclusive: inclusive)
    }
}

public func sum(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.sum(axes: axes, keepDims: keepDims)
}
public func sum(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.sum(axis: axis, keepDims: keepDims)
}
public func sum(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.sum(keepDims: keepDims)
}
public func product(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.product(axes: axes, keepDims: keepDims)
}
public func product(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.product(axis: axis, keepDims: keepDims)
}
public func product(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.product(keepDims: keepDims)
}
public func max(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.max(axes: axes, keepDims: keepDims)
}
public func max(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.max(axis: axis, keepDims: keepDims)
}
public func max(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.max(keepDims: keepDims)
}
public func min(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.min(axes: axes, keepDims: keepDims)
}
public func min(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.min(axis: axis, keepDims: keepDims)
}
public func min(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.min(keepDims: keepDims)
}
public func all(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.all(axes: axes, keepDims: keepDims)
}
public func all(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.all(axis: axis, keepDims: keepDims)
}
public func all(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.all(keepDims: keepDims)
}
public func any(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.any(axes: axes, keepDims: keepDims)
}
public func any(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.any(axis: axis, keepDims: keepDims)
}
public func any(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.any(keepDims: keepDims)
}
public func mean(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.mean(axes: axes, keepDims: keepDims)
}
public func mean(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.mean(axis: axis, keepDims: keepDims)
}
public func mean(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.mean(keepDims: keepDims)
}
public func variance(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    array.variance(axes: axes, keepDims: keepDims, ddof: ddof)
}
public func variance(_ array: MLXArray, axis: Int, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    array.variance(axis: axis, keepDims: keepDims, ddof: ddof)
}
public func variance(_ array: MLXArray, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    array.variance(keepDims: keepDims, ddof: ddof)
}
func std(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array.variance(axes: axes, keepDims: keepDims, ddof: ddof), .sqrt)
}
func std(_ array: MLXArray, axis: Int, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array.variance(axis: axis, keepDims: keepDims, ddof: ddof), .sqrt)
}
func std(_ array: MLXArray, keepDims: Bool = false, ddof: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    unaryOp(array.variance(keepDims: keepDims, ddof: ddof), .sqrt)
}
public func logSumExp(_ array: MLXArray, axes: some Collection<Int>, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.logSumExp(axes: axes, keepDims: keepDims)
}
public func logSumExp(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.logSumExp(axis: axis, keepDims: keepDims)
}
public func logSumExp(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.logSumExp(keepDims: keepDims)
}
public func argMax(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.argMax(axis: axis, keepDims: keepDims)
}
public func argMax(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.argMax(keepDims: keepDims)
}
public func argMin(_ array: MLXArray, axis: Int, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.argMin(axis: axis, keepDims: keepDims)
}
func argMin(_ array: MLXArray, keepDims: Bool = false, stream: StreamOrDevice = .default) -> MLXArray {
    array.argMin(keepDims: keepDims)
}
public func cumsum(_ array: MLXArray, axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cumsum(axis: axis, reverse: reverse, inclusive: inclusive)
}
public func cumsum(_ array: MLXArray, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cumsum(reverse: reverse, inclusive: inclusive)
}
public func cumprod(_ array: MLXArray, axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cumprod(axis: axis, reverse: reverse, inclusive: inclusive)
}
public func cumprod(_ array: MLXArray, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cumprod(reverse: reverse, inclusive: inclusive)
}
public func cummax(_ array: MLXArray, axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cummax(axis: axis, reverse: reverse, inclusive: inclusive)
}
public func cummax(_ array: MLXArray, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cummax(reverse: reverse, inclusive: inclusive)
}
public func cummin(_ array: MLXArray, axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cummin(axis: axis, reverse: reverse, inclusive: inclusive)
}
public func cummin(_ array: MLXArray, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.cummin(reverse: reverse, inclusive: inclusive)
}
public func logCumsumExp(_ array: MLXArray, axis: Int, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.logCumsumExp(axis: axis, reverse: reverse, inclusive: inclusive)
}
public func logCumsumExp(_ array: MLXArray, reverse: Bool = false, inclusive: Bool = true, stream: StreamOrDevice = .default) -> MLXArray {
    array.logCumsumExp(reverse: reverse, inclusive: inclusive)
}
