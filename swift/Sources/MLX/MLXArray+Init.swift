// MLXArray initialisers from Swift scalars, arrays, sequences, raw buffers and Data.
import Foundation

private func checkedShape(_ shape: (some Collection<Int>)?, count: Int) -> [Int] {
    guard let shape else { return [count] }
    let s = Array(shape)
    precondition(
        s.allSatisfy { $0 >= 0 } && s.reduce(1, *) == count,
        "shape \(s) does not match the number of elements \(count)")
    return s
}

/// Storage for one Swift scalar converted to `dtype`.
private func scalarStorage<T: HasDType>(_ value: T, dtype: DType) -> ArrayStorage {
    let source: ArrayStorage
    let sourceType: DType
    switch value {
    case let v as Bool: (source, sourceType) = (.int([v ? 1 : 0]), .bool)
    case let v as Int: (source, sourceType) = (.int([Int64(v)]), .int64)
    case let v as Int8: (source, sourceType) = (.int([Int64(v)]), .int8)
    case let v as Int16: (source, sourceType) = (.int([Int64(v)]), .int16)
    case let v as Int32: (source, sourceType) = (.int([Int64(v)]), .int32)
    case let v as Int64: (source, sourceType) = (.int([v]), .int64)
    case let v as UInt8: (source, sourceType) = (.int([Int64(v)]), .uint8)
    case let v as UInt16: (source, sourceType) = (.int([Int64(v)]), .uint16)
    case let v as UInt32: (source, sourceType) = (.int([Int64(v)]), .uint32)
    case let v as UInt64: (source, sourceType) = (.int([Int64(bitPattern: v)]), .uint64)
    case let v as UInt: (source, sourceType) = (.int([Int64(bitPattern: UInt64(v))]), .uint64)
    case let v as Float: (source, sourceType) = (.float([v]), .float32)
    case let v as Double: (source, sourceType) = (.double([v]), .float64)
    default: fatalError("unsupported scalar type \(T.self)")
    }
    return convertStorage(source, from: sourceType, to: dtype)
}

/// Storage for a Swift array of `T` (held as `T.dtype`).
private func arrayStorage<T: HasDType>(_ values: [T]) -> ArrayStorage {
    switch values {
    case let v as [Float]: return .float(v)
    case let v as [Double]: return .double(v)
    case let v as [Bool]: return .int(v.map { $0 ? 1 : 0 })
    case let v as [Int]: return .int(v.map { Int64($0) })
    case let v as [Int8]: return .int(v.map { Int64($0) })
    case let v as [Int16]: return .int(v.map { Int64($0) })
    case let v as [Int32]: return .int(v.map { Int64($0) })
    case let v as [Int64]: return .int(v)
    case let v as [UInt8]: return .int(v.map { Int64($0) })
    case let v as [UInt16]: return .int(v.map { Int64($0) })
    case let v as [UInt32]: return .int(v.map { Int64($0) })
    case let v as [UInt64]: return .int(v.map { Int64(bitPattern: $0) })
    case let v as [UInt]: return .int(v.map { Int64(bitPattern: UInt64($0)) })
    default: fatalError("unsupported element type \(T.self)")
    }
}

/// Decode little-endian raw bytes of `dtype` into storage.
func storageFromBytes(_ bytes: UnsafeRawBufferPointer, dtype: DType) -> ArrayStorage {
    let n = bytes.count / dtype.size
    func load<T: FixedWidthInteger>(_ type: T.Type, _ i: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
    }
    switch dtype {
    case .float32:
        return .float((0 ..< n).map { Float(bitPattern: load(UInt32.self, $0)) })
    case .float16:
        return .float((0 ..< n).map { Float(Float16(bitPattern: load(UInt16.self, $0))) })
    case .bfloat16:
        return .float((0 ..< n).map { Float(bitPattern: UInt32(load(UInt16.self, $0)) << 16) })
    case .float64:
        return .double((0 ..< n).map { Double(bitPattern: load(UInt64.self, $0)) })
    case .bool:
        return .int((0 ..< n).map { bytes[$0] != 0 ? 1 : 0 })
    case .uint8: return .int((0 ..< n).map { Int64(bytes[$0]) })
    case .int8: return .int((0 ..< n).map { Int64(Int8(bitPattern: bytes[$0])) })
    case .uint16: return .int((0 ..< n).map { Int64(load(UInt16.self, $0)) })
    case .int16: return .int((0 ..< n).map { Int64(Int16(bitPattern: load(UInt16.self, $0))) })
    case .uint32: return .int((0 ..< n).map { Int64(load(UInt32.self, $0)) })
    case .int32: return .int((0 ..< n).map { Int64(Int32(bitPattern: load(UInt32.self, $0))) })
    case .uint64, .int64: return .int((0 ..< n).map { Int64(bitPattern: load(UInt64.self, $0)) })
    case .complex64: fatalError("complex64 arrays are not supported by this backend")
    }
}

extension MLXArray {

    /// A scalar int32 array.
    public convenience init(_ value: Int32) {
        self.init(storage: .int([Int64(value)]), shape: [], dtype: .int32)
    }

    /// A scalar int32 array (the value must fit in Int32; use `init(int64:)` for 64 bits).
    public convenience init(_ value: Int) {
        precondition(
            (Int(Int32.min) ... Int(Int32.max)).contains(value),
            "\(value) is out of range for Int32 -- please use MLXArray(int64: Int) if you need 64 bits.")
        self.init(storage: .int([Int64(value)]), shape: [], dtype: .int32)
    }

    /// A scalar int64 array.
    public convenience init(int64 value: Int) {
        self.init(storage: .int([Int64(value)]), shape: [], dtype: .int64)
    }

    public convenience init(_ value: Bool) {
        self.init(storage: .int([value ? 1 : 0]), shape: [], dtype: .bool)
    }

    public convenience init(_ value: Float) {
        self.init(storage: .float([value]), shape: [], dtype: .float32)
    }

    public convenience init(float64 value: Double) {
        self.init(storage: .double([value]), shape: [], dtype: .float64)
    }

    public convenience init<T: HasDType>(_ value: T) {
        self.init(storage: scalarStorage(value, dtype: T.dtype), shape: [], dtype: T.dtype)
    }

    /// A scalar bfloat16 array (the value is rounded to bfloat16).
    public convenience init(bfloat16 value: Float32) {
        self.init(storage: .float([roundToBFloat16(value)]), shape: [], dtype: .bfloat16)
    }

    /// A scalar of `dtype` holding `value` converted with MLX's casting rules.
    public convenience init<T: HasDType>(_ value: T, dtype: DType) {
        self.init(storage: scalarStorage(value, dtype: dtype), shape: [], dtype: dtype)
    }

    public convenience init<T: HasDType>(
        _ value: [T], _ shape: (some Collection<Int>)? = [Int]?.none
    ) {
        let s = checkedShape(shape, count: value.count)
        if T.self == Int.self {
            // [Int] defaults to int32 like the dedicated overload
            self.init(value as! [Int], s)
        } else {
            self.init(storage: arrayStorage(value), shape: s, dtype: T.dtype)
        }
    }

    /// An int32 array (every value must fit in Int32; use `init(int64:)` for 64 bits).
    public convenience init(_ value: [Int], _ shape: (some Collection<Int>)? = [Int]?.none) {
        let s = checkedShape(shape, count: value.count)
        precondition(
            value.allSatisfy { (Int(Int32.min) ... Int(Int32.max)).contains($0) },
            "\(value) is out of range for Int32 -- please use MLXArray(int64: [Int]]) if you need 64 bits.")
        self.init(storage: .int(value.map { Int64($0) }), shape: s, dtype: .int32)
    }

    public convenience init(int64 value: [Int], _ shape: (some Collection<Int>)? = [Int]?.none) {
        let s = checkedShape(shape, count: value.count)
        self.init(storage: .int(value.map { Int64($0) }), shape: s, dtype: .int64)
    }

    /// A float32 array from Doubles (mlx-swift never makes float64 arrays implicitly).
    public convenience init(
        converting value: [Double], _ shape: (some Collection<Int>)? = [Int]?.none
    ) {
        let s = checkedShape(shape, count: value.count)
        self.init(storage: .float(value.map { Float($0) }), shape: s, dtype: .float32)
    }

    @available(
        *, unavailable, renamed: "MLXArray(converting:shape:)",
        message: "Use MLXArray(converting: [1.0, 2.0, ...]) instead"
    )
    public convenience init(_ value: [Double], _ shape: (some Collection<Int>)? = [Int]?.none) {
        fatalError("unavailable")
    }

    /// An array from a sequence, e.g. `MLXArray(0 ..< 12, [3, 4])`.
    public convenience init<S: Sequence>(
        _ sequence: S, _ shape: (some Collection<Int>)? = [Int]?.none
    ) where S.Element: HasDType {
        let value = Array(sequence)
        if S.Element.self == Int.self {
            self.init(value as! [Int], shape)
        } else {
            self.init(value, shape)
        }
    }

    public convenience init(
        int64 sequence: some Sequence<Int>, _ shape: (some Collection<Int>)? = [Int]?.none
    ) {
        let value = Array(sequence)
        let s = checkedShape(shape, count: value.count)
        self.init(storage: .int(value.map { Int64($0) }), shape: s, dtype: .int64)
    }

    public convenience init<T: HasDType>(
        _ ptr: UnsafeBufferPointer<T>, _ shape: (some Collection<Int>)? = [Int]?.none
    ) {
        self.init(Array(ptr), shape)
    }

    public convenience init(
        _ ptr: UnsafeRawBufferPointer, _ shape: (some Collection<Int>)? = [Int]?.none,
        type: (some HasDType).Type
    ) {
        self.init(ptr, shape, dtype: type.dtype)
    }

    public convenience init(
        _ data: Data, _ shape: (some Collection<Int>)? = [Int]?.none, type: (some HasDType).Type
    ) {
        self.init(data, shape, dtype: type.dtype)
    }

    /// An array from the raw little-endian bytes of `dtype` elements.
    public convenience init(
        _ data: Data, _ shape: (some Collection<Int>)? = [Int]?.none, dtype: DType
    ) {
        let storage = data.withUnsafeBytes { storageFromBytes($0, dtype: dtype) }
        precondition(
            data.count % dtype.size == 0,
            "\(data.count) bytes is not a whole number of \(dtype) elements")
        let s = checkedShape(shape, count: storage.count)
        self.init(storage: storage, shape: s, dtype: dtype)
    }

    convenience init(
        _ ptr: UnsafeRawBufferPointer, _ shape: (some Collection<Int>)?, dtype: DType
    ) {
        precondition(
            ptr.count % dtype.size == 0, "\(ptr.count) bytes is not a whole number of \(dtype) elements")
        let storage = storageFromBytes(ptr, dtype: dtype)
        let s = checkedShape(shape, count: storage.count)
        self.init(storage: storage, shape: s, dtype: dtype)
    }
}

extension MLXArray: ExpressibleByArrayLiteral {
    /// An int32 vector, e.g. `let a: MLXArray = [1, 2, 3]`.
    public convenience init(arrayLiteral elements: Int32...) {
        self.init(storage: .int(elements.map { Int64($0) }), shape: [elements.count], dtype: .int32)
    }
}
