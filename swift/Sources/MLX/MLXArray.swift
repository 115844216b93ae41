// MLXArray: an eagerly evaluated, contiguous n-dimensional array held in typed Swift buffers.
import Foundation

/// The element buffer behind an array. Every dtype maps onto one of three compute domains:
/// float16/bfloat16/float32 values live in `[Float]` (already rounded to their dtype), float64 in
/// `[Double]`, and bool plus every integer type in `[Int64]` (uint64 by bit pattern), which keeps
/// uint32 quantized weights exact.
enum ArrayStorage {
    case float([Float])
    case double([Double])
    case int([Int64])

    var count: Int {
        switch self {
        case .float(let v): v.count
        case .double(let v): v.count
        case .int(let v): v.count
        }
    }
}

/// An n-dimensional array. It is a class (not a struct) because modules update their parameters
/// in place through ``_updateInternal(_:)`` while keeping object identity, and because subscript
/// assignment works through `let` references.
public final class MLXArray {
    /// The values; an array made by `init(shape:dtype:computing:)` computes them on first use.
    var storage: ArrayStorage {
        get {
            if let held { return held }
            let made = pending!()
            precondition(made.count == _shape.reduce(1, *), "internal error: \(made.count) elements for shape \(_shape)")
            held = made
            pending = nil
            return made
        }
        set {
            held = newValue
            pending = nil
        }
    }
    private var held: ArrayStorage?
    private var pending: (() -> ArrayStorage)?
    var _shape: [Int]
    var _dtype: DType

    init(storage: ArrayStorage, shape: [Int], dtype: DType) {
        precondition(
            storage.count == shape.reduce(1, *),
            "internal error: \(storage.count) elements for shape \(shape)")
        precondition(dtype != .complex64, "complex64 arrays are not supported by this backend")
        self.held = storage
        self._shape = shape
        self._dtype = dtype
    }

    /// An array whose values are computed when first read. MLX evaluates lazily, so a module's
    /// initial weights that a checkpoint replaces are never computed there; eagerly, drawing them
    /// was a tenth of a parity run.
    init(shape: [Int], dtype: DType, computing values: @escaping () -> ArrayStorage) {
        precondition(dtype != .complex64, "complex64 arrays are not supported by this backend")
        self.pending = values
        self._shape = shape
        self._dtype = dtype
    }

    convenience init(floats: [Float], shape: [Int], dtype: DType = .float32) {
        switch dtype.storageKind {
        case .float:
            var values = floats
            roundInPlace(&values, to: dtype)
            self.init(storage: .float(values), shape: shape, dtype: dtype)
        default:
            self.init(
                storage: convertStorage(.float(floats), from: .float32, to: dtype), shape: shape,
                dtype: dtype)
        }
    }

    convenience init(doubles: [Double], shape: [Int], dtype: DType = .float64) {
        self.init(
            storage: convertStorage(.double(doubles), from: .float64, to: dtype), shape: shape,
            dtype: dtype)
    }

    /// `values` must already be in range for `dtype`.
    convenience init(ints: [Int64], shape: [Int], dtype: DType) {
        precondition(dtype.storageKind == .int)
        self.init(storage: .int(ints), shape: shape, dtype: dtype)
    }

    // MARK: - Properties

    /// Size of one element in bytes.
    public var itemSize: Int { _dtype.size }

    /// Number of elements.
    public var size: Int { _shape.reduce(1, *) }

    /// Length of the first axis (like `Array.count`).
    public var count: Int { dim(0) }

    public var nbytes: Int { size * itemSize }

    public var ndim: Int { _shape.count }

    public var dtype: DType { _dtype }

    public var shape: [Int] { _shape }

    public var shape2: (Int, Int) {
        precondition(ndim == 2, "shape2 needs a 2-D array, got shape \(_shape)")
        return (_shape[0], _shape[1])
    }

    public var shape3: (Int, Int, Int) {
        precondition(ndim == 3, "shape3 needs a 3-D array, got shape \(_shape)")
        return (_shape[0], _shape[1], _shape[2])
    }

    public var shape4: (Int, Int, Int, Int) {
        precondition(ndim == 4, "shape4 needs a 4-D array, got shape \(_shape)")
        return (_shape[0], _shape[1], _shape[2], _shape[3])
    }

    /// Size of one axis; negative axes count from the end.
    public func dim(_ dim: Int) -> Int {
        _shape[normalizeAxis(dim, ndim, "dim")]
    }

    func dim(_ dim: Int32) -> Int32 {
        Int32(self.dim(Int(dim)))
    }

    // MARK: - Reading values

    /// The single value of a one element array, converted to `T`.
    public func item<T: HasDType>() -> T {
        item(T.self)
    }

    public func item<T: HasDType>(_ type: T.Type) -> T {
        precondition(size == 1, "item() needs an array with one element, got shape \(_shape)")
        return scalarValue(at: 0, as: type)
    }

    /// All values, converted to `T` and flattened in row-major order.
    public func asArray<T: HasDType>(_ type: T.Type) -> [T] {
        let converted = asType(T.dtype)
        var result = [T]()
        result.reserveCapacity(size)
        for i in 0 ..< size {
            result.append(converted.scalarValue(at: i, as: type))
        }
        return result
    }

    func scalarValue<T: HasDType>(at index: Int, as type: T.Type) -> T {
        switch storage {
        case .float(let v): return convertScalar(Double(v[index]), to: type)
        case .double(let v): return convertScalar(v[index], to: type)
        case .int(let v):
            if _dtype == .uint64 {
                let u = UInt64(bitPattern: v[index])
                if T.self == UInt64.self { return u as! T }
                if T.self == UInt.self { return UInt(u) as! T }
                if T.self == Float.self { return Float(u) as! T }
                if T.self == Double.self { return Double(u) as! T }
                return convertInteger(Int64(u), to: type)
            }
            return convertInteger(v[index], to: type)
        }
    }

    private func convertInteger<T: HasDType>(_ v: Int64, to type: T.Type) -> T {
        switch type {
        case is Bool.Type: return (v != 0) as! T
        case is Int.Type: return Int(v) as! T
        case is Int8.Type: return Int8(v) as! T
        case is Int16.Type: return Int16(v) as! T
        case is Int32.Type: return Int32(v) as! T
        case is Int64.Type: return v as! T
        case is UInt8.Type: return UInt8(v) as! T
        case is UInt16.Type: return UInt16(v) as! T
        case is UInt32.Type: return UInt32(v) as! T
        case is UInt64.Type: return UInt64(bitPattern: v) as! T
        case is UInt.Type: return UInt(bitPattern: Int(v)) as! T
        case is Float.Type: return Float(v) as! T
        case is Double.Type: return Double(v) as! T
        default: fatalError("unsupported item type \(type)")
        }
    }

    private func convertScalar<T: HasDType>(_ v: Double, to type: T.Type) -> T {
        switch type {
        case is Float.Type: return Float(v) as! T
        case is Double.Type: return v as! T
        case is Bool.Type: return (v != 0) as! T
        default: return convertInteger(floatToInt(v, dtype: T.dtype), to: type)
        }
    }

    // MARK: - Conversion

    /// A copy converted to `type` (the same array when the type already matches).
    public func asType(_ type: DType, stream: StreamOrDevice = .default) -> MLXArray {
        guard type != _dtype else { return self }
        return MLXArray(
            storage: convertStorage(storage, from: _dtype, to: type), shape: _shape, dtype: type)
    }

    public func asType(_ type: (some HasDType).Type, stream: StreamOrDevice = .default) -> MLXArray
    {
        asType(type.dtype, stream: stream)
    }

    /// Arrays are computed eagerly, so there is nothing left to evaluate.
    public func eval() {}

    /// Replace the contents (shape, dtype and values) with those of `array`, keeping this object's
    /// identity. Module parameter updates rely on this.
    public func _updateInternal(_ array: MLXArray) {
        storage = array.storage
        _shape = array._shape
        _dtype = array._dtype
    }

    /// Scatter-style updates that, unlike subscript assignment, apply repeated indices repeatedly.
    public var at: ArrayAt { ArrayAt(array: self) }

    // MARK: - Internal buffer access

    /// Values in the float compute domain (converting if the storage is not Float).
    var floatBuffer: [Float] {
        switch storage {
        case .float(let v): return v
        case .double(let v): return v.map { Float($0) }
        case .int(let v):
            let d = _dtype
            return v.map { intToFloat($0, d) }
        }
    }

    var doubleBuffer: [Double] {
        switch storage {
        case .float(let v): return v.map { Double($0) }
        case .double(let v): return v
        case .int(let v):
            let d = _dtype
            return v.map { intToDouble($0, d) }
        }
    }

    /// Values as integers: floats are truncated as a cast to int64 would.
    var intBuffer: [Int64] {
        switch storage {
        case .int(let v): return v
        case .float(let v): return v.map { floatToInt(Double($0), dtype: .int64) }
        case .double(let v): return v.map { floatToInt($0, dtype: .int64) }
        }
    }

    /// Integer values used as indices; uint64 values keep their unsigned meaning.
    var indexBuffer: [Int] {
        precondition(
            _dtype.isInteger || _dtype == .bool,
            "index arrays must have an integer dtype, got \(_dtype)")
        return intBuffer.map { Int($0) }
    }
}

/// Convert a buffer between dtypes with MLX's casting rules (rounding into half types,
/// truncating into integers, wrapping between integer widths).
func convertStorage(_ storage: ArrayStorage, from: DType, to: DType) -> ArrayStorage {
    switch (storage, to.storageKind) {
    case (.float(let v), .float):
        var values = v
        roundInPlace(&values, to: to)
        return .float(values)
    case (.float(let v), .double):
        return .double(v.map { Double($0) })
    case (.float(let v), .int):
        return .int(v.map { floatToInt(Double($0), dtype: to) })
    case (.double(let v), .float):
        var values = v.map { Float($0) }
        roundInPlace(&values, to: to)
        return .float(values)
    case (.double(let v), .double):
        return .double(v)
    case (.double(let v), .int):
        return .int(v.map { floatToInt($0, dtype: to) })
    case (.int(let v), .float):
        var values = v.map { intToFloat($0, from) }
        roundInPlace(&values, to: to)
        return .float(values)
    case (.int(let v), .double):
        return .double(v.map { intToDouble($0, from) })
    case (.int(let v), .int):
        if from == to { return .int(v) }
        return .int(v.map { wrapInteger($0, to: to) })
    case (_, .complex):
        fatalError("complex64 arrays are not supported by this backend")
    }
}

// MARK: - Protocols, description, iteration

extension MLXArray: Updatable, Evaluatable {
    public func innerState() -> [MLXArray] {
        [self]
    }
}

extension MLXArray: CustomStringConvertible {
    public var description: String {
        let values: [String]
        switch storage {
        case .float(let v): values = v.map { formatFloat(Double($0)) }
        case .double(let v): values = v.map { formatFloat($0) }
        case .int(let v):
            if _dtype == .bool {
                values = v.map { $0 != 0 ? "True" : "False" }
            } else if _dtype == .uint64 {
                values = v.map { String(UInt64(bitPattern: $0)) }
            } else {
                values = v.map { String($0) }
            }
        }
        var index = 0
        func render(_ axis: Int) -> String {
            if axis == _shape.count {
                defer { index += 1 }
                return values[index]
            }
            let parts = (0 ..< _shape[axis]).map { _ in render(axis + 1) }
            let separator = axis == _shape.count - 1 ? ", " : ",\n" + String(repeating: " ", count: axis + 7)
            return "[" + parts.joined(separator: separator) + "]"
        }
        return "array(\(render(0)), dtype=\(_dtype))"
    }
}

private func formatFloat(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == v.rounded() && Swift.abs(v) < 1e16 { return String(Int64(v)) }
    return String(format: "%g", v)
}

extension MLXArray: Sequence {
    /// Iterates over the sub-arrays along axis 0.
    public func makeIterator() -> some IteratorProtocol<MLXArray> {
        AxisZeroIterator(array: self, count: ndim == 0 ? 0 : dim(0))
    }
}

private struct AxisZeroIterator: IteratorProtocol {
    let array: MLXArray
    let count: Int
    var index = 0

    mutating func next() -> MLXArray? {
        guard index < count else { return nil }
        defer { index += 1 }
        return array[index]
    }
}
