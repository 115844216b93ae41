// Sorting, partitioning, top-k and the index-driven gathers/scatters (take, takeAlong, putAlong).
import Foundation

// MARK: - nth_element

// MLX's CPU argpartition/partition call libstdc++'s std::nth_element. Its output order for the
// non-pivot elements is an artefact of that algorithm (introselect: median-of-three quickselect,
// heap-select fallback, insertion sort below four elements); reproducing the algorithm step for
// step gives the same index order MLX returns, not just a valid partition.

private func adjustHeap<T>(
    _ v: inout [T], _ first: Int, _ holeStart: Int, _ len: Int, _ value: T, _ less: (T, T) -> Bool
) {
    var hole = holeStart
    let top = holeStart
    var second = holeStart
    while second < (len - 1) / 2 {
        second = 2 * (second + 1)
        if less(v[first + second], v[first + second - 1]) { second -= 1 }
        v[first + hole] = v[first + second]
        hole = second
    }
    if len & 1 == 0 && second == (len - 2) / 2 {
        second = 2 * (second + 1)
        v[first + hole] = v[first + second - 1]
        hole = second - 1
    }
    var parent = (hole - 1) / 2
    while hole > top && less(v[first + parent], value) {
        v[first + hole] = v[first + parent]
        hole = parent
        parent = (hole - 1) / 2
    }
    v[first + hole] = value
}

private func heapSelect<T>(_ v: inout [T], _ first: Int, _ middle: Int, _ last: Int, _ less: (T, T) -> Bool) {
    let len = middle - first
    if len >= 2 {
        var parent = (len - 2) / 2
        while true {
            adjustHeap(&v, first, parent, len, v[first + parent], less)
            if parent == 0 { break }
            parent -= 1
        }
    }
    var i = middle
    while i < last {
        if less(v[i], v[first]) {
            let value = v[i]
            v[i] = v[first]
            adjustHeap(&v, first, 0, len, value, less)
        }
        i += 1
    }
}

private func moveMedianToFirst<T>(
    _ v: inout [T], _ result: Int, _ a: Int, _ b: Int, _ c: Int, _ less: (T, T) -> Bool
) {
    if less(v[a], v[b]) {
        if less(v[b], v[c]) {
            v.swapAt(result, b)
        } else if less(v[a], v[c]) {
            v.swapAt(result, c)
        } else {
            v.swapAt(result, a)
        }
    } else if less(v[a], v[c]) {
        v.swapAt(result, a)
    } else if less(v[b], v[c]) {
        v.swapAt(result, c)
    } else {
        v.swapAt(result, b)
    }
}

private func unguardedPartition<T>(
    _ v: inout [T], _ firstIn: Int, _ lastIn: Int, _ pivot: Int, _ less: (T, T) -> Bool
) -> Int {
    var first = firstIn
    var last = lastIn
    while true {
        while less(v[first], v[pivot]) { first += 1 }
        last -= 1
        while less(v[pivot], v[last]) { last -= 1 }
        if !(first < last) { return first }
        v.swapAt(first, last)
        first += 1
    }
}

private func insertionSort<T>(_ v: inout [T], _ first: Int, _ last: Int, _ less: (T, T) -> Bool) {
    if first == last { return }
    var i = first + 1
    while i < last {
        let value = v[i]
        if less(value, v[first]) {
            var j = i
            while j > first {
                v[j] = v[j - 1]
                j -= 1
            }
            v[first] = value
        } else {
            var j = i
            while less(value, v[j - 1]) {
                v[j] = v[j - 1]
                j -= 1
            }
            v[j] = value
        }
        i += 1
    }
}

/// Rearrange `v[first ..< last]` so that position `nth` holds the element a full sort would put
/// there, smaller-or-equal elements before it and greater-or-equal after (libstdc++ order).
func nthElement<T>(_ v: inout [T], first firstIn: Int, nth: Int, last lastIn: Int, _ less: (T, T) -> Bool) {
    var first = firstIn
    var last = lastIn
    if first == last || nth == last { return }
    var depthLimit = 2 * (Int.bitWidth - 1 - (last - first).leadingZeroBitCount)
    while last - first > 3 {
        if depthLimit == 0 {
            heapSelect(&v, first, nth + 1, last, less)
            v.swapAt(first, nth)
            return
        }
        depthLimit -= 1
        let mid = first + (last - first) / 2
        moveMedianToFirst(&v, first, first + 1, mid, last - 1, less)
        let cut = unguardedPartition(&v, first + 1, last, first, less)
        if cut <= nth {
            first = cut
        } else {
            last = cut
        }
    }
    insertionSort(&v, first, last, less)
}

/// Ordering used by MLX's sorts: NaN after every number.
@inline(__always)
private func nanAwareLess(_ a: Double, _ b: Double) -> Bool {
    if a.isNaN { return false }
    if b.isNaN { return true }
    return a < b
}

// MARK: - Line-wise helpers

/// Values of `a` with `axis` moved last, as rows of Double (exact for every stored dtype except
/// uint64/int64 beyond 2^53, which only matters for ordering of enormous integers).
private func rows(_ a: MLXArray, axis: Int) -> (values: [Double], moved: MLXArray, n: Int) {
    let moved = a.movedAxis(source: axis, destination: -1)
    return (moved.asType(.float64).doubleBuffer, moved, a.ndim == 0 ? 1 : a.shape[axis])
}

private func argSortOp(_ a: MLXArray, axis: Int) -> MLXArray {
    let ax = normalizeAxis(axis, a.ndim, "argsort")
    let (values, moved, n) = rows(a, axis: ax)
    var out = [Int64](repeating: 0, count: values.count)
    let lines = n == 0 ? 0 : values.count / n
    for r in 0 ..< lines {
        let base = r * n
        let order = (0 ..< n).sorted { i, j in
            let x = values[base + i], y = values[base + j]
            if nanAwareLess(x, y) { return true }
            if nanAwareLess(y, x) { return false }
            return i < j
        }
        for (k, i) in order.enumerated() { out[base + k] = Int64(i) }
    }
    return MLXArray(storage: .int(out), shape: moved.shape, dtype: .uint32)
        .movedAxis(source: -1, destination: ax)
}

private func argPartitionOp(_ a: MLXArray, kth: Int, axis: Int) -> MLXArray {
    let ax = normalizeAxis(axis, a.ndim, "argpartition")
    let n = a.shape[ax]
    let k = kth < 0 ? kth + n : kth
    precondition(k >= 0 && k < n, "[argpartition] Received invalid kth \(kth) along axis \(axis) for array with shape: \(a.shape)")
    let (values, moved, _) = rows(a, axis: ax)
    var out = [Int64](repeating: 0, count: values.count)
    let lines = values.count / n
    for r in 0 ..< lines {
        let base = r * n
        var order = Array(0 ..< n)
        nthElement(&order, first: 0, nth: k, last: n) { i, j in
            let x = values[base + i], y = values[base + j]
            if x.isNaN { return false }
            if y.isNaN { return true }
            return x < y || (x == y && i < j)
        }
        for (p, i) in order.enumerated() { out[base + p] = Int64(i) }
    }
    return MLXArray(storage: .int(out), shape: moved.shape, dtype: .uint32)
        .movedAxis(source: -1, destination: ax)
}

private func partitionOp(_ a: MLXArray, kth: Int, axis: Int) -> MLXArray {
    let ax = normalizeAxis(axis, a.ndim, "partition")
    let n = a.shape[ax]
    let k = kth < 0 ? kth + n : kth
    precondition(k >= 0 && k < n, "[partition] Received invalid kth \(kth) along axis \(axis) for array with shape: \(a.shape)")
    let moved = a.movedAxis(source: ax, destination: -1)
    let lines = moved.size / n
    // partition positions (not values) so every dtype keeps its exact stored values
    let values = moved.asType(.float64).doubleBuffer
    var offsets = [Int](repeating: 0, count: moved.size)
    for r in 0 ..< lines {
        let base = r * n
        var order = Array(0 ..< n)
        nthElement(&order, first: 0, nth: k, last: n) { nanAwareLess(values[base + $0], values[base + $1]) }
        for (p, i) in order.enumerated() { offsets[base + p] = base + i }
    }
    return moved.gathered(offsets, shape: moved.shape).movedAxis(source: -1, destination: ax)
}

// MARK: - Public API

/// Indices that sort the array along `axis` (ties keep their original order; NaN last).
public func argSort(_ array: MLXArray, axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
    argSortOp(array, axis: axis)
}

/// Indices that sort the flattened array.
public func argSort(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    argSortOp(array.reshaped([-1]), axis: 0)
}

public func sorted(_ array: MLXArray, axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
    takeAlong(array, argSortOp(array, axis: axis), axis: axis)
}

func sorted(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    sorted(array.reshaped([-1]), axis: 0)
}

/// Indices that partition the array along `axis`: the element at `kth` is the one a sort would
/// put there, smaller elements come before it and larger after (in MLX's CPU order).
public func argPartition(_ array: MLXArray, kth: Int, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    argPartitionOp(array, kth: kth, axis: axis)
}

public func argPartition(_ array: MLXArray, kth: Int, stream: StreamOrDevice = .default) -> MLXArray {
    argPartitionOp(array.reshaped([-1]), kth: kth, axis: 0)
}

public func partitioned(_ array: MLXArray, kth: Int, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    partitionOp(array, kth: kth, axis: axis)
}

func partitioned(_ array: MLXArray, kth: Int, stream: StreamOrDevice = .default) -> MLXArray {
    partitionOp(array.reshaped([-1]), kth: kth, axis: 0)
}

/// The `k` largest elements along `axis` (in partition order, not sorted).
public func top(_ array: MLXArray, k: Int, axis: Int = -1, stream: StreamOrDevice = .default)
    -> MLXArray
{
    let ax = normalizeAxis(axis, array.ndim, "topk")
    let n = array.shape[ax]
    precondition(k >= 0 && k <= n, "[topk] Received invalid k=\(k) along axis \(axis) for array with shape: \(array.shape)")
    if k == n { return array }
    return partitionOp(array, kth: -k, axis: ax).slice(axis: ax, start: n - k, end: n)
}

func top(_ array: MLXArray, k: Int, stream: StreamOrDevice = .default) -> MLXArray {
    top(array.reshaped([-1]), k: k, axis: 0)
}

/// Resolve possibly negative indices against an axis of `size`, trapping when out of range.
private func resolvedIndices(_ indices: MLXArray, size: Int, _ op: String) -> [Int] {
    indices.indexBuffer.map { i in
        let r = i < 0 ? i + size : i
        precondition(r >= 0 && r < size, "[\(op)] index \(i) is out of bounds for axis with size \(size)")
        return r
    }
}

/// Select entries of `array` along `axis`: the result's `axis` is replaced by `indices`' shape.
public func take(_ array: MLXArray, _ indices: MLXArray, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    let ax = normalizeAxis(axis, array.ndim, "take")
    let size = array.shape[ax]
    let idx = resolvedIndices(indices, size: size, "take")
    let outer = array.shape[..<ax].reduce(1, *)
    let inner = array.shape[(ax + 1)...].reduce(1, *)
    var offsets = [Int]()
    offsets.reserveCapacity(outer * idx.count * inner)
    for o in 0 ..< outer {
        for i in idx {
            let base = (o * size + i) * inner
            for j in 0 ..< inner { offsets.append(base + j) }
        }
    }
    let shape = Array(array.shape[..<ax]) + indices.shape + Array(array.shape[(ax + 1)...])
    return array.gathered(offsets, shape: shape)
}

/// Select entries of the flattened array.
public func take(_ array: MLXArray, _ indices: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    take(array.reshaped([-1]), indices, axis: 0)
}

extension MLXArray {
    public func take(_ indices: MLXArray, axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.take(self, indices, axis: axis)
    }

    public func take(_ indices: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.take(self, indices)
    }
}

/// Shapes of `array` and `indices` broadcast against each other on every axis but `axis`.
private func alongShapes(_ a: [Int], _ i: [Int], axis: Int, _ op: String) -> ([Int], [Int]) {
    precondition(a.count == i.count, "[\(op)] Indices of dimension \(i.count) does not match array of dimension \(a.count).")
    var aShape = a
    var iShape = i
    for d in 0 ..< a.count where d != axis {
        precondition(a[d] == i[d] || a[d] == 1 || i[d] == 1, "[\(op)] shapes \(a) and \(i) cannot be broadcast")
        let s = a[d] == 1 ? i[d] : a[d]
        aShape[d] = s
        iShape[d] = s
    }
    return (aShape, iShape)
}

/// `out[..., j, ...] = array[..., indices[..., j, ...], ...]` along `axis`.
public func takeAlong(
    _ array: MLXArray, _ indices: MLXArray, axis: Int, stream: StreamOrDevice = .default
) -> MLXArray {
    let ax = normalizeAxis(axis, array.ndim, "take_along_axis")
    let (aShape, iShape) = alongShapes(array.shape, indices.shape, axis: ax, "take_along_axis")
    let source = array.broadcasted(to: aShape, "take_along_axis")
    let idx = resolvedIndices(indices.broadcasted(to: iShape, "take_along_axis"), size: aShape[ax], "take_along_axis")
    let sourceStrides = rowMajorStrides(aShape)
    // offset of each index position with its own axis coordinate zeroed
    var baseStrides = sourceStrides
    baseStrides[ax] = 0
    let bases = stridedOffsets(shape: iShape, strides: baseStrides)
    var offsets = [Int](repeating: 0, count: idx.count)
    for i in 0 ..< idx.count { offsets[i] = bases[i] + idx[i] * sourceStrides[ax] }
    return source.gathered(offsets, shape: iShape)
}

public func takeAlong(_ array: MLXArray, _ indices: MLXArray, stream: StreamOrDevice = .default)
    -> MLXArray
{
    takeAlong(array.reshaped([-1]), indices.reshaped([-1]), axis: 0)
}

/// A copy of `array` with `values` written at `indices` along `axis` (the inverse of takeAlong).
public func putAlong(
    _ array: MLXArray, _ indices: MLXArray, values: MLXArray, axis: Int,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let ax = normalizeAxis(axis, array.ndim, "put_along_axis")
    var update = values.asType(array.dtype)
    update = update.leadingSingletonDimensionsRemoved(toAtMost: indices.ndim)
    let joint = broadcastShapes(indices.shape, update.shape, "put_along_axis")
    let (aShape, iShape) = alongShapes(array.shape, joint, axis: ax, "put_along_axis")
    let target = array.broadcasted(to: aShape, "put_along_axis")
    let idx = resolvedIndices(indices.broadcasted(to: iShape, "put_along_axis"), size: aShape[ax], "put_along_axis")
    let vals = update.broadcasted(to: iShape, "put_along_axis")
    let targetStrides = rowMajorStrides(aShape)
    var baseStrides = targetStrides
    baseStrides[ax] = 0
    let bases = stridedOffsets(shape: iShape, strides: baseStrides)
    var offsets = [Int](repeating: 0, count: idx.count)
    for i in 0 ..< idx.count { offsets[i] = bases[i] + idx[i] * targetStrides[ax] }
    var storage = target.storage
    scatterStorage(&storage, offsets, vals.storage)
    return MLXArray(storage: storage, shape: aShape, dtype: array.dtype)
}

func putAlong(
    _ array: MLXArray, _ indices: MLXArray, values: MLXArray, stream: StreamOrDevice = .default
) -> MLXArray {
    putAlong(array.reshaped([-1]), indices.reshaped([-1]), values: values.reshaped([-1]), axis: 0)
        .reshaped(array.shape)
}
