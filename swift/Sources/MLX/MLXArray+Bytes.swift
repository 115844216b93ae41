// Raw byte access: an array's contents as little-endian bytes of its dtype.
import Foundation

/// The contents of `array` as contiguous little-endian bytes of its dtype.
func rawBytes(_ array: MLXArray) -> Data {
    let n = array.size
    var data = Data(count: n * array.dtype.size)
    data.withUnsafeMutableBytes { out in
        func store<T: FixedWidthInteger>(_ value: T, _ i: Int) {
            out.storeBytes(of: value.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
        }
        switch array.storage {
        case .float(let v):
            switch array.dtype {
            case .float32: for i in 0 ..< n { store(v[i].bitPattern, i) }
            case .float16: for i in 0 ..< n { store(Float16(v[i]).bitPattern, i) }
            default: for i in 0 ..< n { store(UInt16(truncatingIfNeeded: v[i].bitPattern >> 16), i) }
            }
        case .double(let v):
            for i in 0 ..< n { store(v[i].bitPattern, i) }
        case .int(let v):
            switch array.dtype.size {
            case 1: for i in 0 ..< n { store(UInt8(truncatingIfNeeded: v[i]), i) }
            case 2: for i in 0 ..< n { store(UInt16(truncatingIfNeeded: v[i]), i) }
            case 4: for i in 0 ..< n { store(UInt32(truncatingIfNeeded: v[i]), i) }
            default: for i in 0 ..< n { store(UInt64(bitPattern: v[i]), i) }
            }
        }
    }
    return data
}

extension MLXArray {
    public enum AccessMethod {
        /// A copy whose lifetime is independent of the array (the only method here: storage is
        /// never shared with the caller).
        case copy
    }

    /// Bytes of an array together with how to read them.
    public struct MLXArrayData {
        let data: Data
        let shape: [Int]
        /// Strides in elements.
        let strides: [Int]
        let dType: DType
    }

    /// The contents as contiguous bytes of the array's dtype. Storage here is never shared with
    /// the caller, so every access method returns a copy.
    public func asData(access: AccessMethod = .copy) -> MLXArrayData {
        MLXArrayData(data: rawBytes(self), shape: shape, strides: rowMajorStrides(shape), dType: dtype)
    }

    convenience init(data: MLXArrayData) {
        self.init(data.data, data.shape, dtype: data.dType)
    }
}
