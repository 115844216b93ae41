// Element types (DType), their numeric facts, and the scalar-to-array promotion protocols.
import Foundation

public enum DType: Hashable, Sendable, CaseIterable {
    case bool
    case uint8
    case uint16
    case uint32
    case uint64
    case int8
    case int16
    case int32
    case int64
    case float16
    case float32
    case bfloat16
    case complex64
    case float64

    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .float32, .bfloat16, .complex64, .float64: true
        default: false
        }
    }

    public var isComplex: Bool { self == .complex64 }

    public var isInteger: Bool {
        switch self {
        case .uint8, .uint16, .uint32, .uint64, .int8, .int16, .int32, .int64: true
        default: false
        }
    }

    public var isSignedInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64: true
        default: false
        }
    }

    /// Size of one element in bytes.
    public var size: Int {
        switch self {
        case .bool, .uint8, .int8: 1
        case .uint16, .int16, .float16, .bfloat16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64, .complex64: 8
        }
    }

    /// A scalar array holding the largest finite value of this (floating point) type.
    var greatestFiniteMagnitudeArray: MLXArray {
        guard let info = finfo else {
            fatalError("greatestFiniteMagnitudeArray requires a floating-point dtype, got \(self)")
        }
        return MLXArray(info.max, dtype: self)
    }

    /// Floating point facts, like `numpy.finfo`; nil for non floating point types.
    public var finfo: FInfo? {
        isFloatingPoint ? FInfo(dtype: self) : nil
    }

    public struct FInfo: Sendable {
        let dtype: DType

        var eps: Double {
            switch dtype {
            case .float16: 0x1p-10
            case .bfloat16: 0x1p-7
            case .float64: Double.ulpOfOne
            default: Double(Float.ulpOfOne)
            }
        }

        var min: Double { -max }

        var max: Double {
            switch dtype {
            case .float16: 65504
            case .bfloat16: Double(Float(bitPattern: 0x7F7F_0000))
            case .float64: Double.greatestFiniteMagnitude
            default: Double(Float.greatestFiniteMagnitude)
            }
        }

        var smallestNormal: Double {
            switch dtype {
            case .float16: 0x1p-14
            case .bfloat16: 0x1p-126
            case .float64: Double.leastNormalMagnitude
            default: Double(Float.leastNormalMagnitude)
            }
        }

        var smallestSubnormal: Double {
            switch dtype {
            case .float16: 0x1p-24
            case .bfloat16: 0x1p-133
            case .float64: Double.leastNonzeroMagnitude
            default: Double(Float.leastNonzeroMagnitude)
            }
        }
    }
}

extension DType: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(describing: self))
    }
}

extension DType: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = DType.allCases.first(where: { String(describing: $0) == name }) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown DType \(name)")
        }
        self = value
    }
}

// MARK: - Promotion

extension DType {
    /// Position in the promotion table below.
    private var promotionIndex: Int {
        switch self {
        case .bool: 0
        case .uint8: 1
        case .uint16: 2
        case .uint32: 3
        case .uint64: 4
        case .int8: 5
        case .int16: 6
        case .int32: 7
        case .int64: 8
        case .float16: 9
        case .bfloat16: 10
        case .float32: 11
        case .float64: 12
        case .complex64: 13
        }
    }

    // The result type of a binary op on two arrays, as MLX defines it (verified against MLX's
    // Python build for every pair): note u64 with a signed int gives float32, and f16 with bf16
    // gives float32.
    private static let promotionTable: [[DType]] = {
        let b = DType.bool, u8 = DType.uint8, u16 = DType.uint16, u32 = DType.uint32
        let u64 = DType.uint64, i8 = DType.int8, i16 = DType.int16, i32 = DType.int32
        let i64 = DType.int64, f16 = DType.float16, bf = DType.bfloat16, f32 = DType.float32
        let f64 = DType.float64, c64 = DType.complex64
        return [
            [b, u8, u16, u32, u64, i8, i16, i32, i64, f16, bf, f32, f64, c64],
            [u8, u8, u16, u32, u64, i16, i16, i32, i64, f16, bf, f32, f64, c64],
            [u16, u16, u16, u32, u64, i32, i32, i32, i64, f16, bf, f32, f64, c64],
            [u32, u32, u32, u32, u64, i64, i64, i64, i64, f16, bf, f32, f64, c64],
            [u64, u64, u64, u64, u64, f32, f32, f32, f32, f16, bf, f32, f64, c64],
            [i8, i16, i32, i64, f32, i8, i16, i32, i64, f16, bf, f32, f64, c64],
            [i16, i16, i32, i64, f32, i16, i16, i32, i64, f16, bf, f32, f64, c64],
            [i32, i32, i32, i64, f32, i32, i32, i32, i64, f16, bf, f32, f64, c64],
            [i64, i64, i64, i64, f32, i64, i64, i64, i64, f16, bf, f32, f64, c64],
            [f16, f16, f16, f16, f16, f16, f16, f16, f16, f16, f32, f32, f64, c64],
            [bf, bf, bf, bf, bf, bf, bf, bf, bf, f32, bf, f32, f64, c64],
            [f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f64, c64],
            [f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, c64],
            [c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64, c64],
        ]
    }()

    static func promote(_ a: DType, _ b: DType) -> DType {
        promotionTable[a.promotionIndex][b.promotionIndex]
    }

    /// MLX's `at_least_float`: floating types stay, everything else promotes with float32.
    var atLeastFloat: DType {
        isFloatingPoint ? self : DType.promote(self, .float32)
    }

    /// How values of this type are held in memory by this implementation.
    var storageKind: StorageKind {
        switch self {
        case .float16, .bfloat16, .float32: .float
        case .float64: .double
        case .complex64: .complex
        default: .int
        }
    }
}

enum StorageKind {
    case float
    case double
    case int
    case complex
}

// MARK: - HasDType / ScalarOrArray

/// A Swift type that has a matching ``DType``.
public protocol HasDType: ScalarOrArray {
    static var dtype: DType { get }
}

extension HasDType {
    public func asMLXArray(dtype: DType?) -> MLXArray {
        MLXArray(self, dtype: dtype ?? Self.dtype)
    }
}

/// A value that can be promoted to an ``MLXArray``, taking the other operand's dtype as a hint.
public protocol ScalarOrArray {
    func asMLXArray(dtype: DType?) -> MLXArray
}

extension Bool: HasDType {
    static public var dtype: DType { .bool }
}

extension Int: HasDType {
    static public var dtype: DType { .int64 }

    public func asMLXArray(dtype: DType?) -> MLXArray {
        // a bare Int literal follows the other operand but never makes a bool array
        let dtype = dtype ?? .int32
        return MLXArray(self, dtype: dtype == .bool ? .int32 : dtype)
    }
}

extension Int8: HasDType {
    static public var dtype: DType { .int8 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension Int16: HasDType {
    static public var dtype: DType { .int16 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension Int32: HasDType {
    static public var dtype: DType { .int32 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension Int64: HasDType {
    static public var dtype: DType { .int64 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension UInt8: HasDType {
    static public var dtype: DType { .uint8 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension UInt16: HasDType {
    static public var dtype: DType { .uint16 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension UInt32: HasDType {
    static public var dtype: DType { .uint32 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension UInt64: HasDType {
    static public var dtype: DType { .uint64 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

extension UInt: HasDType {
    static public var dtype: DType { .uint64 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype == .bool ? Self.dtype : dtype)
    }
}

// mlx-swift has no Float16 on Intel Macs; mirroring the guard keeps code that compiles here
// compiling there.
#if !arch(x86_64)
    extension Float16: HasDType {
        static public var dtype: DType { .float16 }
        public func asMLXArray(dtype: DType?) -> MLXArray {
            let dtype = dtype ?? Self.dtype
            return MLXArray(self, dtype: dtype.isFloatingPoint ? dtype : Self.dtype)
        }
    }
#endif

extension Float32: HasDType {
    static public var dtype: DType { .float32 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        let dtype = dtype ?? Self.dtype
        return MLXArray(self, dtype: dtype.isFloatingPoint ? dtype : Self.dtype)
    }
}

extension Float64: HasDType {
    static public var dtype: DType { .float64 }
    public func asMLXArray(dtype: DType?) -> MLXArray {
        // a Double scalar never promotes an array to float64 on its own
        let dtype = dtype ?? .float32
        return MLXArray(self, dtype: dtype.isFloatingPoint ? dtype : .float32)
    }
}

extension MLXArray: ScalarOrArray {
    public func asMLXArray(dtype: DType?) -> MLXArray {
        self
    }
}

extension Array: ScalarOrArray where Element: HasDType {
    public func asMLXArray(dtype: DType?) -> MLXArray {
        MLXArray(self).asType(dtype ?? Element.dtype)
    }
}

/// Two operands as arrays: a scalar takes the array's dtype (a "weak" Python scalar); two arrays
/// keep theirs.
func toArrays(_ a: some ScalarOrArray, _ b: some ScalarOrArray) -> (MLXArray, MLXArray) {
    if let a = a as? MLXArray {
        if let b = b as? MLXArray {
            return (a, b)
        }
        return (a, b.asMLXArray(dtype: a.dtype))
    } else if let b = b as? MLXArray {
        return (a.asMLXArray(dtype: b.dtype), b)
    } else {
        return (a.asMLXArray(dtype: nil), b.asMLXArray(dtype: nil))
    }
}
