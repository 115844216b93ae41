// Internal shape arithmetic: axis normalisation, strides, broadcasting and strided gathers.
import Foundation

@inline(__always)
func normalizeAxis(_ axis: Int, _ ndim: Int, _ op: String) -> Int {
    let a = axis < 0 ? axis + ndim : axis
    precondition(
        a >= 0 && a < ndim, "[\(op)] axis \(axis) is out of bounds for array with \(ndim) dimensions")
    return a
}

/// Normalised, de-duplicated check of a list of axes (keeps the caller's order).
func normalizeAxes(_ axes: some Collection<Int>, _ ndim: Int, _ op: String) -> [Int] {
    let result = axes.map { normalizeAxis($0, ndim, op) }
    precondition(Set(result).count == result.count, "[\(op)] duplicate axes in \(Array(axes))")
    return result
}

func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[d] = s
        s *= shape[d]
    }
    return strides
}

func broadcastShapes(_ a: [Int], _ b: [Int], _ op: String = "broadcast_shapes") -> [Int] {
    let n = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: n)
    for i in 0 ..< n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        precondition(
            da == db || da == 1 || db == 1,
            "[\(op)] shapes \(a) and \(b) cannot be broadcast together")
        result[i] = da == 1 ? db : da
    }
    return result
}

/// Strides that read an array of `shape` as if it had been broadcast to `target`.
func broadcastStrides(_ shape: [Int], to target: [Int], _ op: String = "broadcast") -> [Int] {
    precondition(
        shape.count <= target.count, "[\(op)] cannot broadcast shape \(shape) to \(target)")
    let base = rowMajorStrides(shape)
    let pad = target.count - shape.count
    var result = [Int](repeating: 0, count: target.count)
    for d in 0 ..< shape.count {
        let t = target[d + pad]
        precondition(
            shape[d] == t || shape[d] == 1, "[\(op)] cannot broadcast shape \(shape) to \(target)")
        result[d + pad] = (shape[d] == 1 && t != 1) ? 0 : base[d]
    }
    return result
}

/// Flat offsets of every element of a strided view (row-major over `shape`).
func stridedOffsets(shape: [Int], strides: [Int], base: Int = 0) -> [Int] {
    let n = shape.reduce(1, *)
    var result = [Int](repeating: 0, count: n)
    if n == 0 { return result }
    let nd = shape.count
    if nd == 0 {
        result[0] = base
        return result
    }
    let innerCount = shape[nd - 1]
    let innerStride = strides[nd - 1]
    var counter = [Int](repeating: 0, count: nd)
    var offset = base
    result.withUnsafeMutableBufferPointer { r in
        var i = 0
        while i < n {
            var o = offset
            for _ in 0 ..< innerCount {
                r[i] = o
                o += innerStride
                i += 1
            }
            var d = nd - 2
            while d >= 0 {
                counter[d] += 1
                offset += strides[d]
                if counter[d] < shape[d] { break }
                offset -= strides[d] * shape[d]
                counter[d] = 0
                d -= 1
            }
        }
    }
    return result
}

/// Pick elements at the given flat offsets.
func gatherStorage(_ storage: ArrayStorage, _ offsets: [Int]) -> ArrayStorage {
    switch storage {
    case .float(let v): return .float(gatherValues(v, offsets))
    case .double(let v): return .double(gatherValues(v, offsets))
    case .int(let v): return .int(gatherValues(v, offsets))
    }
}

func gatherValues(_ v: [Float], _ offsets: [Int]) -> [Float] {
    var out = [Float](repeating: 0, count: offsets.count)
    v.withUnsafeBufferPointer { pv in
        offsets.withUnsafeBufferPointer { po in
            out.withUnsafeMutableBufferPointer { r in
                for i in 0 ..< po.count { r[i] = pv[po[i]] }
            }
        }
    }
    return out
}

func gatherValues(_ v: [Double], _ offsets: [Int]) -> [Double] {
    var out = [Double](repeating: 0, count: offsets.count)
    v.withUnsafeBufferPointer { pv in
        offsets.withUnsafeBufferPointer { po in
            out.withUnsafeMutableBufferPointer { r in
                for i in 0 ..< po.count { r[i] = pv[po[i]] }
            }
        }
    }
    return out
}

func gatherValues(_ v: [Int64], _ offsets: [Int]) -> [Int64] {
    var out = [Int64](repeating: 0, count: offsets.count)
    v.withUnsafeBufferPointer { pv in
        offsets.withUnsafeBufferPointer { po in
            out.withUnsafeMutableBufferPointer { r in
                for i in 0 ..< po.count { r[i] = pv[po[i]] }
            }
        }
    }
    return out
}

/// Write `source` (already laid out in offset order) into `target` at the given offsets.
func scatterStorage(_ target: inout ArrayStorage, _ offsets: [Int], _ source: ArrayStorage) {
    switch (target, source) {
    case (.float(var t), .float(let s)):
        target = .int([])  // drop the reference so `t` is uniquely owned
        t.withUnsafeMutableBufferPointer { pt in
            s.withUnsafeBufferPointer { ps in
                for (i, o) in offsets.enumerated() { pt[o] = ps[i] }
            }
        }
        target = .float(t)
    case (.double(var t), .double(let s)):
        target = .int([])
        t.withUnsafeMutableBufferPointer { pt in
            s.withUnsafeBufferPointer { ps in
                for (i, o) in offsets.enumerated() { pt[o] = ps[i] }
            }
        }
        target = .double(t)
    case (.int(var t), .int(let s)):
        target = .int([])
        t.withUnsafeMutableBufferPointer { pt in
            s.withUnsafeBufferPointer { ps in
                for (i, o) in offsets.enumerated() { pt[o] = ps[i] }
            }
        }
        target = .int(t)
    default:
        fatalError("internal error: scatter between different storage kinds")
    }
}

extension MLXArray {
    /// A new array of `shape` whose i-th element is this array's element at `offsets[i]`.
    func gathered(_ offsets: [Int], shape: [Int]) -> MLXArray {
        MLXArray(storage: gatherStorage(storage, offsets), shape: shape, dtype: _dtype)
    }

    /// Materialise a strided view of this array.
    func strided(shape: [Int], strides: [Int], base: Int = 0) -> MLXArray {
        gathered(stridedOffsets(shape: shape, strides: strides, base: base), shape: shape)
    }

    /// This array broadcast to `target` (a copy; the same array when the shape already matches).
    func broadcasted(to target: [Int], _ op: String = "broadcast") -> MLXArray {
        if _shape == target { return self }
        return strided(shape: target, strides: broadcastStrides(_shape, to: target, op))
    }
}
