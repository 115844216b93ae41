// Subscript indexing (get and set) with ints, ranges, strides, .ellipsis, .newAxis and index arrays,
// following numpy/MLX rules, plus the `at[...]` scatter updates.
import Foundation

// MARK: - Index types

public enum MLXArrayIndexOperation: CustomStringConvertible {
    case ellipsis
    case newAxis
    case index(Int32)
    case slice(MLXSlice)
    case array(MLXArray)

    public var description: String {
        switch self {
        case .ellipsis: ".ellipsis"
        case .newAxis: ".newAxis"
        case .index(let v): "\(v)"
        case .slice(let v): "\(v)"
        case .array(let v): "\(v.shape)(\(v.dtype))"
        }
    }
}

public protocol MLXArrayIndex {
    var mlxArrayIndexOperation: MLXArrayIndexOperation { get }
}

extension Int: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .index(Int32(self))
    }
}

extension MLXArray: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .array(self)
    }
}

public struct MLXEllipsisIndex: MLXArrayIndex, Sendable {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation { .ellipsis }
}

extension MLXArrayIndex where Self == MLXEllipsisIndex {
    /// All remaining axes (Python's `...`).
    public static var ellipsis: Self { Self() }
}

public struct MLXNewAxisIndex: MLXArrayIndex, Sendable {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation { .newAxis }
}

extension MLXArrayIndex where Self == MLXNewAxisIndex {
    /// Insert an axis of size 1 (Python's `None`).
    public static var newAxis: Self { Self() }
}

public struct MLXSlice: Equatable, CustomStringConvertible, Sendable {
    private let _start: Int32?
    private let _end: Int32?
    private let _stride: Int32?

    public init(start: Int32? = nil, end: Int32? = nil, stride: Int32? = nil) {
        self._start = start
        self._end = end
        self._stride = stride
    }

    var isFull: Bool {
        (_stride == nil || _stride == 1) && (_start == nil || _start == 0) && (_end == nil)
    }

    var stride: Int32 { _stride ?? 1 }

    func start(_ size: Int32) -> Int32 {
        _start ?? (stride < 0 ? size - 1 : 0)
    }

    func absoluteStart(_ size: Int32) -> Int32 {
        let start = self.start(size)
        return start < 0 ? start + size : start
    }

    func end(_ size: Int32) -> Int32 {
        _end ?? (stride < 0 ? -size - 1 : size)
    }

    func absoluteEnd(_ size: Int32) -> Int32 {
        let end = self.end(size)
        return end < 0 ? end + size : end
    }

    public var description: String {
        let s = _start.map { "\($0)" } ?? ""
        let e = _end.map { "\($0)" } ?? ""
        return stride == 1 ? "\(s) ..< \(e)" : "\(s) ..< \(e) : \(stride)"
    }

    /// numpy slice resolution against an axis of `size`: (start, element count, step).
    func resolve(size: Int) -> (start: Int, count: Int, step: Int) {
        let step = Int(stride)
        precondition(step != 0, "slice stride must not be zero")
        if step > 0 {
            var start = Int(_start ?? 0)
            var end = _end.map { Int($0) } ?? size
            if start < 0 { start += size }
            if end < 0 { end += size }
            start = Swift.min(Swift.max(start, 0), size)
            end = Swift.min(Swift.max(end, 0), size)
            let count = end > start ? (end - start + step - 1) / step : 0
            return (start, count, step)
        } else {
            var start = _start.map { Int($0) } ?? (size - 1)
            var end = _end.map { Int($0) } ?? -size - 1
            if start < 0 { start += size }
            if end < 0 { end += size }
            start = Swift.min(Swift.max(start, -1), size - 1)
            end = Swift.min(Swift.max(end, -1), size - 1)
            let count = start > end ? (start - end + (-step) - 1) / (-step) : 0
            return (start, count, step)
        }
    }
}

extension MLXArrayIndex where Self == MLXSlice {
    /// A strided slice, e.g. `x[.stride(by: 2)]` or `x[.stride(from: 1, to: 9, by: 3)]`.
    public static func stride(from start: Int? = nil, to end: Int? = nil, by stride: Int? = nil)
        -> MLXSlice
    {
        MLXSlice(start: start.map { Int32($0) }, end: end.map { Int32($0) }, stride: stride.map { Int32($0) })
    }
}

@inlinable public func stride(from start: Int? = nil, to end: Int? = nil, by stride: Int? = nil)
    -> MLXSlice
{
    MLXSlice(start: start.map { Int32($0) }, end: end.map { Int32($0) }, stride: stride.map { Int32($0) })
}

extension MLXSlice: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation { .slice(self) }
}

extension Range<Int>: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .slice(.init(start: Int32(lowerBound), end: Int32(upperBound)))
    }
}

extension ClosedRange<Int>: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .slice(.init(start: Int32(lowerBound), end: Int32(upperBound) + 1))
    }
}

extension PartialRangeUpTo<Int>: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .slice(.init(start: 0, end: Int32(upperBound)))
    }
}

extension PartialRangeThrough<Int>: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .slice(.init(start: 0, end: Int32(upperBound) + 1))
    }
}

extension PartialRangeFrom<Int>: MLXArrayIndex {
    public var mlxArrayIndexOperation: MLXArrayIndexOperation {
        .slice(.init(start: Int32(lowerBound)))
    }
}

// MARK: - Resolution

/// The result of resolving index operations against a shape: the shape of the selection and
/// the flat source offset of each selected element (row-major over that shape).
struct IndexSelection {
    let shape: [Int]
    let offsets: [Int]
}

private enum AxisPart {
    case slice(start: Int, count: Int, step: Int, axis: Int)
    case newAxis
    case advanced(values: MLXArray, axis: Int)
}

func resolveIndexOperations(_ operations: [MLXArrayIndexOperation], shape: [Int]) -> IndexSelection {
    let ndim = shape.count
    let ellipsisCount = operations.filter { if case .ellipsis = $0 { true } else { false } }.count
    precondition(ellipsisCount <= 1, "only one .ellipsis is allowed in an index: \(operations)")
    let consuming = operations.filter {
        switch $0 {
        case .ellipsis, .newAxis: false
        default: true
        }
    }.count
    precondition(
        consuming <= ndim,
        "too many indices (\(consuming)) for array with \(ndim) dimensions: \(operations)")

    // expand the ellipsis (or pad at the end) with full slices
    var ops = [MLXArrayIndexOperation]()
    if ellipsisCount == 1 {
        for op in operations {
            if case .ellipsis = op {
                for _ in 0 ..< (ndim - consuming) { ops.append(.slice(MLXSlice())) }
            } else {
                ops.append(op)
            }
        }
    } else {
        ops = operations
        for _ in 0 ..< (ndim - consuming) { ops.append(.slice(MLXSlice())) }
    }

    let strides = rowMajorStrides(shape)
    var parts = [AxisPart]()
    var base = 0
    var axis = 0
    var hasArray = false
    for op in ops {
        switch op {
        case .newAxis:
            parts.append(.newAxis)
        case .index(let i):
            let size = shape[axis]
            let index = Int(i) < 0 ? Int(i) + size : Int(i)
            precondition(
                index >= 0 && index < size,
                "index \(i) is out of bounds for axis \(axis) with size \(size)")
            parts.append(.advanced(values: MLXArray(Int32(index)), axis: axis))
            axis += 1
        case .slice(let s):
            let r = s.resolve(size: shape[axis])
            parts.append(.slice(start: r.start, count: r.count, step: r.step, axis: axis))
            axis += 1
        case .array(let a):
            precondition(a.dtype != .bool, "boolean index arrays are not supported")
            hasArray = true
            parts.append(.advanced(values: a, axis: axis))
            axis += 1
        case .ellipsis:
            break
        }
    }

    if !hasArray {
        // basic indexing: integer indices drop their axis
        var outShape = [Int]()
        var outStrides = [Int]()
        for part in parts {
            switch part {
            case .newAxis:
                outShape.append(1)
                outStrides.append(0)
            case .slice(let start, let count, let step, let axis):
                base += start * strides[axis]
                outShape.append(count)
                outStrides.append(step * strides[axis])
            case .advanced(let values, let axis):
                base += Int(values.intBuffer[0]) * strides[axis]
            }
        }
        return IndexSelection(
            shape: outShape, offsets: stridedOffsets(shape: outShape, strides: outStrides, base: base))
    }

    // advanced indexing: every index array (and integer) broadcasts into one block of dims
    var advancedShape = [Int]()
    var advancedPositions = [Int]()
    for (p, part) in parts.enumerated() {
        if case .advanced(let values, _) = part {
            advancedShape = broadcastShapes(advancedShape, values.shape, "index")
            advancedPositions.append(p)
        }
    }
    let advancedCount = advancedShape.reduce(1, *)
    var advancedOffsets = [Int](repeating: 0, count: advancedCount)
    for part in parts {
        guard case .advanced(let values, let axis) = part else { continue }
        let size = shape[axis]
        let indices = values.broadcasted(to: advancedShape, "index").indexBuffer
        let stride = strides[axis]
        for i in 0 ..< advancedCount {
            var index = indices[i]
            if index < 0 { index += size }
            precondition(
                index >= 0 && index < size,
                "index \(indices[i]) is out of bounds for axis \(axis) with size \(size)")
            advancedOffsets[i] += index * stride
        }
    }
    let contiguous = advancedPositions.last! - advancedPositions.first! + 1 == advancedPositions.count

    var preShape = [Int](), preStrides = [Int](), postShape = [Int](), postStrides = [Int]()
    for (p, part) in parts.enumerated() {
        let before = contiguous && p < advancedPositions.first!
        switch part {
        case .newAxis:
            if before {
                preShape.append(1)
                preStrides.append(0)
            } else {
                postShape.append(1)
                postStrides.append(0)
            }
        case .slice(let start, let count, let step, let axis):
            base += start * strides[axis]
            if before {
                preShape.append(count)
                preStrides.append(step * strides[axis])
            } else {
                postShape.append(count)
                postStrides.append(step * strides[axis])
            }
        case .advanced:
            break
        }
    }
    let preOffsets = stridedOffsets(shape: preShape, strides: preStrides, base: base)
    let postOffsets = stridedOffsets(shape: postShape, strides: postStrides)
    var offsets = [Int]()
    offsets.reserveCapacity(preOffsets.count * advancedCount * postOffsets.count)
    for pre in preOffsets {
        for adv in advancedOffsets {
            for post in postOffsets {
                offsets.append(pre + adv + post)
            }
        }
    }
    return IndexSelection(shape: preShape + advancedShape + postShape, offsets: offsets)
}

extension MLXArray {
    subscript(operations operations: [MLXArrayIndexOperation]) -> MLXArray {
        get {
            let selection = resolveIndexOperations(operations, shape: _shape)
            return gathered(selection.offsets, shape: selection.shape)
        }
        set {
            let selection = resolveIndexOperations(operations, shape: _shape)
            let update = newValue.leadingSingletonDimensionsRemoved(toAtMost: selection.shape.count)
                .asType(_dtype)
                .broadcasted(to: selection.shape, "slice_update")
            scatterStorage(&storage, selection.offsets, update.storage)
        }
    }

    /// Drop leading size-1 axes beyond `ndim`, so an update like `[1, n]` fits a target `[n]`.
    func leadingSingletonDimensionsRemoved(toAtMost ndim: Int) -> MLXArray {
        var shape = _shape
        while shape.count > ndim, shape.first == 1 { shape.removeFirst() }
        return shape == _shape ? self : reshaped(shape)
    }

    /// Index with any mix of `Int`, ranges, `.stride(...)`, `.ellipsis`, `.newAxis` and index
    /// arrays. Assignment writes into this array in place.
    public subscript(indices: any MLXArrayIndex..., stream stream: StreamOrDevice = .default)
        -> MLXArray
    {
        get { self[operations: indices.map { $0.mlxArrayIndexOperation }] }
        set { self[operations: indices.map { $0.mlxArrayIndexOperation }] = newValue }
    }

    public subscript(indices: [any MLXArrayIndex], stream stream: StreamOrDevice = .default)
        -> MLXArray
    {
        get { self[operations: indices.map { $0.mlxArrayIndexOperation }] }
        set { self[operations: indices.map { $0.mlxArrayIndexOperation }] = newValue }
    }

    private func axisOperations(axis: Int, _ op: MLXArrayIndexOperation) -> [MLXArrayIndexOperation] {
        let axis = normalizeAxis(axis, ndim, "index")
        return [MLXArrayIndexOperation](repeating: .slice(MLXSlice()), count: axis) + [op]
    }

    @available(*, deprecated, message: "please use subscript(.ellipsis, 3) or equivalent")
    public subscript(index: Int, axis axis: Int, stream stream: StreamOrDevice = .default)
        -> MLXArray
    {
        get { self[operations: axisOperations(axis: axis, .index(Int32(index)))] }
        set { self[operations: axisOperations(axis: axis, .index(Int32(index)))] = newValue }
    }

    @available(*, deprecated, message: "please use subscript(.ellipsis, 0 ..< 3) or equivalent")
    public subscript(
        range: some RangeExpression<Int>, axis axis: Int, stream stream: StreamOrDevice = .default
    ) -> MLXArray {
        get { self[operations: axisOperations(axis: axis, rangeOperation(range, axis: axis))] }
        set {
            self[operations: axisOperations(axis: axis, rangeOperation(range, axis: axis))] = newValue
        }
    }

    @available(*, deprecated, message: "please use subscript(.stride(from:to:by:)) or equivalent")
    public subscript(
        from from: Int? = nil, to to: Int? = nil, stride stride: Int, axis axis: Int = -1,
        stream stream: StreamOrDevice = .default
    ) -> MLXArray {
        get {
            let op = MLXArrayIndexOperation.slice(
                MLXSlice(start: from.map { Int32($0) }, end: to.map { Int32($0) }, stride: Int32(stride)))
            return self[operations: axisOperations(axis: axis, op)]
        }
        set {
            let op = MLXArrayIndexOperation.slice(
                MLXSlice(start: from.map { Int32($0) }, end: to.map { Int32($0) }, stride: Int32(stride)))
            self[operations: axisOperations(axis: axis, op)] = newValue
        }
    }

    private func rangeOperation(_ range: some RangeExpression<Int>, axis: Int) -> MLXArrayIndexOperation {
        let r = range.relative(to: 0 ..< dim(axis))
        return .slice(MLXSlice(start: Int32(r.lowerBound), end: Int32(r.upperBound)))
    }
}

// MARK: - at[...]

/// Entry point for scatter updates: `array.at[indices].add(values)`.
public struct ArrayAt {
    let array: MLXArray

    public subscript(indices: any MLXArrayIndex..., stream stream: StreamOrDevice = .default)
        -> ArrayAtIndices
    {
        ArrayAtIndices(array: array, operations: indices.map { $0.mlxArrayIndexOperation })
    }

    public subscript(
        indices: some Sequence<any MLXArrayIndex>, stream stream: StreamOrDevice = .default
    ) -> ArrayAtIndices {
        ArrayAtIndices(array: array, operations: indices.map { $0.mlxArrayIndexOperation })
    }
}

/// Scatter updates that, unlike `array[indices] = ...`, apply once per occurrence of an index.
/// Each returns a new array; the source is unchanged.
public struct ArrayAtIndices {
    let array: MLXArray
    let operations: [MLXArrayIndexOperation]

    private func apply(_ values: some ScalarOrArray, _ op: BinaryOp) -> MLXArray {
        let selection = resolveIndexOperations(operations, shape: array.shape)
        let update = values.asMLXArray(dtype: array.dtype)
            .leadingSingletonDimensionsRemoved(toAtMost: selection.shape.count)
            .asType(array.dtype)
            .broadcasted(to: selection.shape, "scatter")
        let result = MLXArray(storage: array.storage, shape: array.shape, dtype: array.dtype)
        // combine one occurrence at a time so that repeated indices accumulate
        for (i, offset) in selection.offsets.enumerated() {
            let current = result.gathered([offset], shape: [])
            let value = update.gathered([i], shape: [])
            let combined = binaryOp(current, value, op).asType(array.dtype)
            scatterStorage(&result.storage, [offset], combined.storage)
        }
        return result
    }

    public func add(_ values: some ScalarOrArray) -> MLXArray { apply(values, .add) }
    public func subtract(_ values: some ScalarOrArray) -> MLXArray { apply(values, .subtract) }
    public func multiply(_ values: some ScalarOrArray) -> MLXArray { apply(values, .multiply) }
    public func divide(_ values: some ScalarOrArray) -> MLXArray { apply(values, .divide) }
    public func minimum(_ values: some ScalarOrArray) -> MLXArray { apply(values, .minimum) }
    public func maximum(_ values: some ScalarOrArray) -> MLXArray { apply(values, .maximum) }
}
