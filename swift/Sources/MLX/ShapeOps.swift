// Shape manipulation: reshape, transpose, axis insertion/removal, concatenate/stack/split,
// broadcast, tile/repeat, pad, triangular masks.
import Foundation

/// Resolve a requested shape (at most one -1) against an element count.
private func resolveShape(_ requested: [Int], count: Int, current: [Int]) -> [Int] {
    var shape = requested
    let inferred = shape.indices.filter { shape[$0] == -1 }
    precondition(inferred.count <= 1, "[reshape] only one dimension can be -1, got \(requested)")
    if let i = inferred.first {
        let known = shape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
        precondition(
            known != 0 && count % known == 0,
            "[reshape] cannot infer the size of \(requested) for an array with shape \(current)")
        shape[i] = count / known
    }
    precondition(
        shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == count,
        "[reshape] cannot reshape array of shape \(current) into shape \(requested)")
    return shape
}

extension MLXArray {
    func reshaped(_ newShape: [Int]) -> MLXArray {
        let shape = resolveShape(newShape, count: size, current: _shape)
        if shape == _shape { return self }
        return MLXArray(storage: storage, shape: shape, dtype: _dtype)
    }

    public func reshaped(_ newShape: Int..., stream: StreamOrDevice = .default) -> MLXArray {
        reshaped(newShape)
    }

    public func reshaped(_ newShape: some Collection<Int>, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        reshaped(Array(newShape))
    }

    func transposed(permutation: [Int]) -> MLXArray {
        precondition(
            permutation.count == ndim,
            "[transpose] received \(permutation.count) axes for array with \(ndim) dimensions")
        let axes = normalizeAxes(permutation, ndim, "transpose")
        if axes == Array(0 ..< ndim) { return self }
        let strides = rowMajorStrides(_shape)
        return strided(shape: axes.map { _shape[$0] }, strides: axes.map { strides[$0] })
    }

    public func transposed(_ axes: Int..., stream: StreamOrDevice = .default) -> MLXArray {
        axes.isEmpty ? transposed(permutation: Array((0 ..< ndim).reversed())) : transposed(permutation: axes)
    }

    public func transposed(axes: some Collection<Int>, stream: StreamOrDevice = .default) -> MLXArray {
        transposed(permutation: Array(axes))
    }

    /// A 1-axis "transpose" is the identity permutation of that single axis.
    public func transposed(axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
        transposed(permutation: [axis])
    }

    /// Reverse all axes.
    public func transposed(stream: StreamOrDevice = .default) -> MLXArray {
        transposed(permutation: Array((0 ..< ndim).reversed()))
    }

    /// The array with its axes reversed.
    public var T: MLXArray {
        transposed(permutation: Array((0 ..< ndim).reversed()))
    }

    public func swappedAxes(_ axis1: Int, _ axis2: Int, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        let a = normalizeAxis(axis1, ndim, "swapaxes")
        let b = normalizeAxis(axis2, ndim, "swapaxes")
        var permutation = Array(0 ..< ndim)
        permutation.swapAt(a, b)
        return transposed(permutation: permutation)
    }

    public func movedAxis(source: Int, destination: Int, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        let s = normalizeAxis(source, ndim, "moveaxis")
        let d = normalizeAxis(destination, ndim, "moveaxis")
        var permutation = Array(0 ..< ndim)
        permutation.remove(at: s)
        permutation.insert(s, at: d)
        return transposed(permutation: permutation)
    }

    public func expandedDimensions(axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
        expandedDimensions(axes: [axis])
    }

    /// Insert size-1 axes; the axes index the result, so negative values count from its end.
    public func expandedDimensions(axes: some Collection<Int>, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        let outDims = ndim + axes.count
        let positions = Set(normalizeAxes(axes, outDims, "expand_dims"))
        var shape = [Int]()
        var source = _shape.makeIterator()
        for d in 0 ..< outDims {
            shape.append(positions.contains(d) ? 1 : source.next()!)
        }
        return MLXArray(storage: storage, shape: shape, dtype: _dtype)
    }

    public func squeezed(axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
        squeezed(axes: [axis])
    }

    public func squeezed(axes: some Collection<Int>, stream: StreamOrDevice = .default) -> MLXArray {
        let remove = Set(normalizeAxes(axes, ndim, "squeeze"))
        for a in remove {
            precondition(
                _shape[a] == 1, "[squeeze] cannot squeeze axis \(a) of size \(_shape[a]) in \(_shape)")
        }
        let shape = _shape.enumerated().filter { !remove.contains($0.offset) }.map { $0.element }
        return MLXArray(storage: storage, shape: shape, dtype: _dtype)
    }

    /// Remove every size-1 axis.
    public func squeezed(stream: StreamOrDevice = .default) -> MLXArray {
        MLXArray(storage: storage, shape: _shape.filter { $0 != 1 }, dtype: _dtype)
    }

    /// Merge axes `start ... end` into one.
    public func flattened(start: Int = 0, end: Int = -1, stream: StreamOrDevice = .default)
        -> MLXArray
    {
        if ndim == 0 { return reshaped([1]) }
        let s = normalizeAxis(start, ndim, "flatten")
        let e = normalizeAxis(end, ndim, "flatten")
        if s >= e { return self }
        let merged = _shape[s ... e].reduce(1, *)
        return reshaped(Array(_shape[..<s]) + [merged] + Array(_shape[(e + 1)...]))
    }

    public func split(parts: Int, axis: Int = 0, stream: StreamOrDevice = .default) -> [MLXArray] {
        MLX.split(self, parts: parts, axis: axis, stream: stream)
    }

    public func split(axis: Int = 0, stream: StreamOrDevice = .default) -> (MLXArray, MLXArray) {
        MLX.split(self, axis: axis, stream: stream)
    }

    public func split(
        indices: some Collection<Int>, axis: Int = 0, stream: StreamOrDevice = .default
    ) -> [MLXArray] {
        MLX.split(self, indices: indices, axis: axis, stream: stream)
    }

    /// Contiguous sub-range `[start, end)` of one axis.
    func slice(axis: Int, start: Int, end: Int) -> MLXArray {
        var shape = _shape
        shape[axis] = Swift.max(end - start, 0)
        if shape == _shape { return self }
        let strides = rowMajorStrides(_shape)
        return strided(shape: shape, strides: strides, base: start * strides[axis])
    }
}

public func reshaped(_ array: MLXArray, _ newShape: Int..., stream: StreamOrDevice = .default)
    -> MLXArray
{
    array.reshaped(newShape)
}

public func reshaped(
    _ array: MLXArray, _ newShape: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    array.reshaped(Array(newShape))
}

public func transposed(_ array: MLXArray, _ axes: Int..., stream: StreamOrDevice = .default)
    -> MLXArray
{
    axes.isEmpty ? array.T : array.transposed(permutation: axes)
}

public func transposed(
    _ array: MLXArray, axes: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    array.transposed(permutation: Array(axes))
}

public func transposed(_ array: MLXArray, axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
    array.transposed(permutation: [axis])
}

public func transposed(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    array.T
}

public func T(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    array.T
}

public func swappedAxes(
    _ array: MLXArray, _ axis1: Int, _ axis2: Int, stream: StreamOrDevice = .default
) -> MLXArray {
    array.swappedAxes(axis1, axis2)
}

public func movedAxis(
    _ array: MLXArray, source: Int, destination: Int, stream: StreamOrDevice = .default
) -> MLXArray {
    array.movedAxis(source: source, destination: destination)
}

public func expandedDimensions(_ array: MLXArray, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    array.expandedDimensions(axes: [axis])
}

public func expandedDimensions(
    _ array: MLXArray, axes: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    array.expandedDimensions(axes: axes)
}

public func squeezed(_ array: MLXArray, axis: Int, stream: StreamOrDevice = .default) -> MLXArray {
    array.squeezed(axes: [axis])
}

public func squeezed(
    _ array: MLXArray, axes: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    array.squeezed(axes: axes)
}

public func squeezed(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    array.squeezed()
}

public func flattened(
    _ array: MLXArray, start: Int = 0, end: Int = -1, stream: StreamOrDevice = .default
) -> MLXArray {
    array.flattened(start: start, end: end)
}

public func flatten(
    _ a: MLXArray, startAxis: Int, endAxis: Int = -1, stream: StreamOrDevice = .default
) -> MLXArray {
    a.flattened(start: startAxis, end: endAxis)
}

/// Split one axis into `shape` (which may contain one -1).
public func unflatten(
    _ a: MLXArray, axis: Int, shape: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    let ax = normalizeAxis(axis, a.ndim, "unflatten")
    let parts = resolveShape(Array(shape), count: a.shape[ax], current: [a.shape[ax]])
    return a.reshaped(Array(a.shape[..<ax]) + parts + Array(a.shape[(ax + 1)...]))
}

func atLeast1D(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    array.ndim >= 1 ? array : array.reshaped([1])
}

func atLeast2D(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    switch array.ndim {
    case 0: array.reshaped([1, 1])
    case 1: array.reshaped([1, array.shape[0]])
    default: array
    }
}

func atLeast3D(_ array: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    switch array.ndim {
    case 0: array.reshaped([1, 1, 1])
    case 1: array.reshaped([1, array.shape[0], 1])
    case 2: array.reshaped(array.shape + [1])
    default: array
    }
}

// MARK: - Joining and splitting

/// Join arrays along an existing axis; dtypes promote as for binary ops.
public func concatenated(
    _ arrays: some Collection<MLXArray>, axis: Int = 0, stream: StreamOrDevice = .default
) -> MLXArray {
    let arrays = Array(arrays)
    precondition(!arrays.isEmpty, "[concatenate] no arrays provided")
    let first = arrays[0]
    let ax = normalizeAxis(axis, first.ndim, "concatenate")
    var dtype = first.dtype
    for a in arrays.dropFirst() {
        precondition(
            a.ndim == first.ndim,
            "[concatenate] all arrays must have the same number of dimensions, got \(first.shape) and \(a.shape)")
        for d in 0 ..< a.ndim where d != ax {
            precondition(
                a.shape[d] == first.shape[d],
                "[concatenate] all arrays must have the same shape except on axis \(ax), got \(first.shape) and \(a.shape)")
        }
        dtype = DType.promote(dtype, a.dtype)
    }
    var shape = first.shape
    shape[ax] = arrays.reduce(0) { $0 + $1.shape[ax] }
    let outer = first.shape[..<ax].reduce(1, *)
    let inner = first.shape[(ax + 1)...].reduce(1, *)
    let converted = arrays.map { $0.asType(dtype) }

    func join<T>(_ buffers: [[T]]) -> [T] {
        var out = [T]()
        out.reserveCapacity(shape.reduce(1, *))
        for o in 0 ..< outer {
            for (i, b) in buffers.enumerated() {
                let run = converted[i].shape[ax] * inner
                out.append(contentsOf: b[(o * run) ..< (o * run + run)])
            }
        }
        return out
    }

    switch dtype.storageKind {
    case .float:
        return MLXArray(
            storage: .float(join(converted.map { $0.floatBuffer })), shape: shape, dtype: dtype)
    case .double:
        return MLXArray(
            storage: .double(join(converted.map { $0.doubleBuffer })), shape: shape, dtype: dtype)
    case .int:
        return MLXArray(
            storage: .int(join(converted.map { $0.intBuffer })), shape: shape, dtype: dtype)
    case .complex:
        fatalError("complex64 arrays are not supported by this backend")
    }
}

/// Join arrays along a new axis.
public func stacked(
    _ arrays: some Collection<MLXArray>, axis: Int = 0, stream: StreamOrDevice = .default
) -> MLXArray {
    let arrays = Array(arrays)
    precondition(!arrays.isEmpty, "[stack] no arrays provided")
    let shape = arrays[0].shape
    for a in arrays {
        precondition(a.shape == shape, "[stack] all arrays must have the same shape, got \(shape) and \(a.shape)")
    }
    let ax = normalizeAxis(axis, shape.count + 1, "stack")
    return concatenated(arrays.map { $0.expandedDimensions(axes: [ax]) }, axis: ax)
}

/// Split into `parts` equal pieces along `axis`.
public func split(_ array: MLXArray, parts: Int, axis: Int = 0, stream: StreamOrDevice = .default)
    -> [MLXArray]
{
    let ax = normalizeAxis(axis, array.ndim, "split")
    let n = array.shape[ax]
    precondition(
        parts > 0 && n % parts == 0,
        "[split] cannot split axis \(ax) of size \(n) into \(parts) equal parts")
    let step = n / parts
    return split(array, indices: Array(Swift.stride(from: step, to: n, by: step)), axis: ax)
}

/// Split into two equal halves along `axis`.
public func split(_ array: MLXArray, axis: Int = 0, stream: StreamOrDevice = .default) -> (
    MLXArray, MLXArray
) {
    let parts = split(array, parts: 2, axis: axis)
    return (parts[0], parts[1])
}

/// Split at the given indices along `axis` (numpy semantics: `indices` are the cut points).
public func split(
    _ array: MLXArray, indices: some Collection<Int>, axis: Int = 0,
    stream: StreamOrDevice = .default
) -> [MLXArray] {
    let ax = normalizeAxis(axis, array.ndim, "split")
    let n = array.shape[ax]
    var result = [MLXArray]()
    var start = 0
    for cut in Array(indices) + [n] {
        var c = cut < 0 ? cut + n : cut
        c = Swift.min(Swift.max(c, start), n)
        result.append(array.slice(axis: ax, start: start, end: c))
        start = c
    }
    return result
}

// MARK: - Broadcasting, tiling, repeating

public func broadcast(
    _ array: MLXArray, to shape: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    array.broadcasted(to: Array(shape), "broadcast_to")
}

/// Repeat the whole array `repetitions` times along each axis.
public func tiled(
    _ array: MLXArray, repetitions: some Collection<Int>, stream: StreamOrDevice = .default
) -> MLXArray {
    let reps = Array(repetitions)
    let nd = Swift.max(array.ndim, reps.count)
    let shape = [Int](repeating: 1, count: nd - array.ndim) + array.shape
    let r = [Int](repeating: 1, count: nd - reps.count) + reps
    // view as [1, s0, 1, s1, ...], broadcast to [r0, s0, r1, s1, ...], then merge pairs
    var expanded = [Int]()
    var target = [Int]()
    for d in 0 ..< nd {
        expanded += [1, shape[d]]
        target += [r[d], shape[d]]
    }
    let out = array.reshaped(expanded).broadcasted(to: target, "tile")
    return out.reshaped((0 ..< nd).map { r[$0] * shape[$0] })
}

public func tiled(_ array: MLXArray, repetitions: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    tiled(array, repetitions: [repetitions])
}

/// Repeat every element `count` times along `axis`.
public func repeated(_ array: MLXArray, count: Int, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    let ax = normalizeAxis(axis, array.ndim, "repeat")
    var shape = array.shape
    shape.insert(1, at: ax + 1)
    var target = shape
    target[ax + 1] = count
    var outShape = array.shape
    outShape[ax] *= count
    return array.reshaped(shape).broadcasted(to: target, "repeat").reshaped(outShape)
}

/// Repeat every element of the flattened array `count` times.
public func repeated(_ array: MLXArray, count: Int, stream: StreamOrDevice = .default) -> MLXArray {
    repeated(array.reshaped([-1]), count: count, axis: 0)
}

@available(*, deprecated, renamed: "repeated(_:count:axis:stream:)")
public func `repeat`(_ array: MLXArray, count: Int, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    repeated(array, count: count, axis: axis)
}

@available(*, deprecated, renamed: "repeated(_:count:stream:)")
public func `repeat`(_ array: MLXArray, count: Int, stream: StreamOrDevice = .default) -> MLXArray {
    repeated(array, count: count)
}

/// Roll elements along an axis; elements shifted past the end come back at the start.
func roll(_ a: MLXArray, shift: Int, axis: Int, stream: StreamOrDevice = .default)
    -> MLXArray
{
    let ax = normalizeAxis(axis, a.ndim, "roll")
    let n = a.shape[ax]
    if n == 0 { return a }
    let s = ((shift % n) + n) % n
    if s == 0 { return a }
    return concatenated([a.slice(axis: ax, start: n - s, end: n), a.slice(axis: ax, start: 0, end: n - s)], axis: ax)
}

func roll(
    _ a: MLXArray, shift: Int, axes: (some Collection<Int>)? = [Int]?.none,
    stream: StreamOrDevice = .default
) -> MLXArray {
    guard let axes else {
        return roll(a.reshaped([-1]), shift: shift, axis: 0).reshaped(a.shape)
    }
    var result = a
    for axis in axes { result = roll(result, shift: shift, axis: axis) }
    return result
}

// MARK: - Padding

/// How ``padded(_:widths:mode:value:stream:)`` fills. The API spec names only `.constant` (mlx-swift
/// also has `.edge`); edge padding stays reachable inside the module through ``PadFill``.
public enum PadMode {
    /// pad with a constant value
    case constant
}

/// The fills the padding implementation supports.
enum PadFill {
    /// pad with a constant value
    case constant
    /// pad with the edge values of the array
    case edge
}

/// Pad every axis by the same (before, after) amounts.
public func padded(
    _ array: MLXArray, width: IntOrPair, mode: PadMode = .constant, value: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray {
    padded(array, widths: [IntOrPair](repeating: width, count: array.ndim), mode: mode, value: value)
}

extension PadMode {
    var fill: PadFill {
        switch self {
        case .constant: .constant
        }
    }
}

/// Pad each axis by its own (before, after) amounts.
public func padded(
    _ array: MLXArray, widths: some Collection<IntOrPair>, mode: PadMode = .constant,
    value: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    padded(array, widths: widths, fill: mode.fill, value: value)
}

/// Pad each axis by its own (before, after) amounts, filling with `fill`.
func padded(
    _ array: MLXArray, widths: some Collection<IntOrPair>, fill: PadFill, value: MLXArray? = nil
) -> MLXArray {
    let widths = Array(widths)
    precondition(
        widths.count == array.ndim,
        "[pad] expected \(array.ndim) (before, after) pairs, got \(widths.count)")
    precondition(
        widths.allSatisfy { $0.first >= 0 && $0.second >= 0 }, "[pad] pad widths must be non-negative")
    var result = array
    for (axis, w) in widths.enumerated() where w.first > 0 || w.second > 0 {
        var pieces = [MLXArray]()
        func filler(_ count: Int, edgeIndex: Int) -> MLXArray {
            var shape = result.shape
            shape[axis] = count
            switch fill {
            case .constant:
                let constant = (value ?? MLXArray(0, dtype: array.dtype)).asType(array.dtype)
                return constant.broadcasted(to: shape, "pad")
            case .edge:
                return result.slice(axis: axis, start: edgeIndex, end: edgeIndex + 1)
                    .broadcasted(to: shape, "pad")
            }
        }
        if w.first > 0 { pieces.append(filler(w.first, edgeIndex: 0)) }
        pieces.append(result)
        if w.second > 0 { pieces.append(filler(w.second, edgeIndex: result.shape[axis] - 1)) }
        result = concatenated(pieces, axis: axis)
    }
    return result
}

// MARK: - Triangles

/// Lower triangle (elements above diagonal `k` set to zero) of the last two axes.
public func tril(_ array: MLXArray, k: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    precondition(array.ndim >= 2, "[tril] array must be at least 2-D")
    let mask = tri(array.dim(-2), m: array.dim(-1), k: k, dtype: .bool)
    return selectOp(mask, array, MLXArray(0, dtype: array.dtype))
}

/// Upper triangle (elements below diagonal `k` set to zero) of the last two axes.
public func triu(_ array: MLXArray, k: Int = 0, stream: StreamOrDevice = .default) -> MLXArray {
    precondition(array.ndim >= 2, "[triu] array must be at least 2-D")
    let mask = tri(array.dim(-2), m: array.dim(-1), k: k - 1, dtype: .bool)
    return selectOp(mask, MLXArray(0, dtype: array.dtype), array)
}
