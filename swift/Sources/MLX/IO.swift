// Safetensors reading and writing (file and in-memory), keeping every array's stored dtype.
import Foundation

public enum LoadSaveError: Error {
    case unableToOpen(URL, String)
    case unknownExtension(String)
}

/// An error reported by an MLX operation (here: malformed safetensors contents).
///
/// Internal: the API spec names this type (as Sendable) but none of its cases, and a public enum
/// cannot hide its cases; mlx-swift has it public.
enum MLXError: LocalizedError, Sendable, Equatable {
    case caught(String)

    var errorDescription: String? {
        switch self {
        case .caught(let message): "MLX Error: \(message)"
        }
    }
}

private let safetensorsTypes: [(String, DType)] = [
    ("BOOL", .bool), ("U8", .uint8), ("I8", .int8), ("U16", .uint16), ("I16", .int16),
    ("U32", .uint32), ("I32", .int32), ("U64", .uint64), ("I64", .int64), ("F16", .float16),
    ("BF16", .bfloat16), ("F32", .float32), ("F64", .float64),
]

private func safetensorsName(_ dtype: DType) throws -> String {
    guard let name = safetensorsTypes.first(where: { $0.1 == dtype })?.0 else {
        throw MLXError.caught("[save_safetensors] received invalid dtype \(dtype).")
    }
    return name
}

private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

private func parseSafetensors(_ data: Data) throws -> ([String: MLXArray], [String: String]) {
    guard data.count >= 8 else {
        throw MLXError.caught("[load_safetensors] Invalid json header length")
    }
    let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    guard headerLength > 0, headerLength < 100_000_000 else {
        throw MLXError.caught("[load_safetensors] Invalid json header length")
    }
    guard UInt64(data.count) >= headerLength + 8 else {
        throw MLXError.caught(
            "[load_safetensors] The JSON header is \(headerLength) bytes long but the file is only \(data.count) bytes. Perhaps an incomplete download or corrupt file?")
    }
    let start = data.startIndex
    let headerData = data[(start + 8) ..< (start + 8 + Int(headerLength))]
    guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
        throw MLXError.caught("[load_safetensors] Invalid json metadata")
    }
    let base = 8 + Int(headerLength)
    var arrays = [String: MLXArray]()
    var metadata = [String: String]()
    // Sorted, so that the first bad tensor named is the same on every run.
    for (key, value) in header.sorted(by: { $0.key < $1.key }) {
        if key == "__metadata__" {
            for (k, v) in (value as? [String: Any]) ?? [:] {
                metadata[k] = v as? String ?? String(describing: v)
            }
            continue
        }
        guard let entry = value as? [String: Any],
            let typeName = entry["dtype"] as? String,
            let shape = (entry["shape"] as? [NSNumber])?.map({ $0.intValue }),
            let offsets = (entry["data_offsets"] as? [NSNumber])?.map({ $0.intValue })
        else {
            throw MLXError.caught("[load_safetensors] Invalid entry for tensor '\(key)'")
        }
        guard let dtype = safetensorsTypes.first(where: { $0.0 == typeName })?.1 else {
            throw MLXError.caught("[safetensor] unsupported dtype \(typeName)")
        }
        guard offsets.count == 2 else {
            throw MLXError.caught(
                "[load_safetensors] Tensor '\(key)' data_offsets must have exactly 2 entries but has \(offsets.count)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw MLXError.caught("[load_safetensors] Tensor '\(key)' has a negative dimension in its shape \(shape)")
        }
        // A shape whose byte count does not fit in an Int cannot be in any file.
        var expected = dtype.size
        for dimension in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw MLXError.caught("[load_safetensors] Tensor '\(key)' has a shape \(shape) too large to hold")
            }
            expected = product
        }
        guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == expected else {
            throw MLXError.caught(
                "[load_safetensors] Tensor '\(key)' invalid data offsets (\(offsets[0]), \(offsets[1])). Expecting \(expected) bytes.")
        }
        guard offsets[1] <= data.count - base else {
            throw MLXError.caught(
                "[load_safetensors] Tensor '\(key)' invalid data offsets (\(offsets[0]), \(offsets[1])) exceeding the size of the file. Perhaps an incomplete download or corrupt file?")
        }
        let bytes = data[(start + base + offsets[0]) ..< (start + base + offsets[1])]
        let storage = bytes.withUnsafeBytes { storageFromBytes($0, dtype: dtype) }
        arrays[key] = MLXArray(storage: storage, shape: shape, dtype: dtype)
    }
    return (arrays, metadata)
}

private func readFile(_ url: URL) throws -> Data {
    precondition(url.isFileURL, "safetensors can only be read from file URLs: \(url)")
    do {
        return try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
        throw LoadSaveError.unableToOpen(url, "[load_safetensors] Failed to open \(url.path): \(error.localizedDescription)")
    }
}

/// Load every array of a `.safetensors` file.
public func loadArrays(url: URL, stream: StreamOrDevice = .cpu) throws -> [String: MLXArray] {
    try loadArraysAndMetadata(url: url, stream: stream).0
}

/// Load every array of a `.safetensors` file, together with its `__metadata__` strings.
public func loadArraysAndMetadata(url: URL, stream: StreamOrDevice = .cpu) throws -> (
    [String: MLXArray], [String: String]
) {
    precondition(url.isFileURL, "safetensors can only be read from file URLs: \(url)")
    switch url.pathExtension {
    case "safetensors":
        return try parseSafetensors(try readFile(url))
    default:
        throw LoadSaveError.unknownExtension(url.pathExtension)
    }
}

public func loadArrays(data: Data, stream: StreamOrDevice = .cpu) throws -> [String: MLXArray] {
    try parseSafetensors(data).0
}

public func loadArraysAndMetadata(data: Data, stream: StreamOrDevice = .cpu) throws -> (
    [String: MLXArray], [String: String]
) {
    try parseSafetensors(data)
}

/// Serialise arrays (and string metadata) in the safetensors format: an 8-byte little-endian
/// header length, a compact JSON header with sorted keys, then the raw little-endian data.
public func saveToData(arrays: [String: MLXArray], metadata: [String: String] = [:]) throws -> Data {
    let names = arrays.keys.sorted()
    var entries = [String]()
    let metadataJSON = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
    entries.append("\"__metadata__\":{\(metadataJSON.joined(separator: ","))}")
    var offset = 0
    var payload = Data()
    for name in names {
        let array = arrays[name]!
        let bytes = rawBytes(array)
        let shape = array.shape.map(String.init).joined(separator: ",")
        entries.append(
            "\(jsonString(name)):{\"data_offsets\":[\(offset),\(offset + bytes.count)],\"dtype\":\"\(try safetensorsName(array.dtype))\",\"shape\":[\(shape)]}")
        offset += bytes.count
        payload.append(bytes)
    }
    // "__metadata__" sorts before any name starting with a letter; keep the header sorted anyway
    entries.sort { lhs, rhs in lhs < rhs }
    let header = Data(("{" + entries.joined(separator: ",") + "}").utf8)
    var result = Data()
    var length = UInt64(header.count).littleEndian
    withUnsafeBytes(of: &length) { result.append(contentsOf: $0) }
    result.append(header)
    result.append(payload)
    return result
}

/// Write arrays to a `.safetensors` file.
public func save(
    arrays: [String: MLXArray], metadata: [String: String] = [:], url: URL,
    stream: StreamOrDevice = .default
) throws {
    precondition(url.isFileURL, "safetensors can only be written to file URLs: \(url)")
    switch url.pathExtension {
    case "safetensors":
        let data = try saveToData(arrays: arrays, metadata: metadata)
        do {
            try data.write(to: url)
        } catch {
            throw LoadSaveError.unableToOpen(url, "[save_safetensors] Failed to open \(url.path): \(error.localizedDescription)")
        }
    default:
        throw LoadSaveError.unknownExtension(url.pathExtension)
    }
}

// MARK: - .npy

private let npyMagic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

private func npyDescriptor(_ dtype: DType) -> String {
    switch dtype {
    case .bool: "|b1"
    case .uint8: "|u1"
    case .int8: "|i1"
    case .uint16: "<u2"
    case .int16: "<i2"
    case .uint32: "<u4"
    case .int32: "<i4"
    case .uint64: "<u8"
    case .int64: "<i8"
    case .float16: "<f2"
    case .bfloat16: "<V2"
    case .float32: "<f4"
    case .float64: "<f8"
    case .complex64: "<c8"
    }
}

/// Write one array as a `.npy` file (format version 1.0, C order).
public func save(array: MLXArray, url: URL, stream: StreamOrDevice = .default) throws {
    precondition(url.isFileURL, "arrays can only be written to file URLs: \(url)")
    guard url.pathExtension == "npy" else {
        throw LoadSaveError.unknownExtension(url.pathExtension)
    }
    let dims = array.shape.map { "\($0)," }.joined(separator: " ")
    var header = "{'descr': '\(npyDescriptor(array.dtype))', 'fortran_order': False, 'shape': (\(dims)), }"
    // numpy pads the header with spaces so the data starts on a 64-byte boundary
    let unpadded = npyMagic.count + 2 + 2 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data(npyMagic)
    data.append(contentsOf: [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(Data(header.utf8))
    data.append(rawBytes(array))
    do {
        try data.write(to: url)
    } catch {
        throw LoadSaveError.unableToOpen(url, "[save] Failed to open \(url.path): \(error.localizedDescription)")
    }
}

/// Read one array from a `.npy` file (little-endian, C order).
public func loadArray(url: URL, stream: StreamOrDevice = .cpu) throws -> MLXArray {
    precondition(url.isFileURL, "arrays can only be read from file URLs: \(url)")
    guard url.pathExtension == "npy" else {
        throw LoadSaveError.unknownExtension(url.pathExtension)
    }
    let data = try readFile(url)
    let bytes = [UInt8](data.prefix(12))
    guard bytes.count >= 10, Array(bytes[0 ..< 6]) == npyMagic else {
        throw MLXError.caught("[load] Invalid header in \(url.path)")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    if major == 1 {
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        headerStart = 10
    } else {
        guard bytes.count >= 12 else { throw MLXError.caught("[load] Invalid header in \(url.path)") }
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        headerStart = 12
    }
    guard data.count >= headerStart + headerLength else {
        throw MLXError.caught("[load] Invalid header in \(url.path)")
    }
    let start = data.startIndex
    let header = String(decoding: data[(start + headerStart) ..< (start + headerStart + headerLength)], as: UTF8.self)
    func field(_ name: String) -> String? {
        guard let range = header.range(of: "'\(name)':") else { return nil }
        return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    guard let descrField = field("descr"), let quote = descrField.dropFirst().firstIndex(of: "'"),
        let dtype = DType.allCases.first(where: { npyDescriptor($0) == String(descrField.dropFirst()[..<quote]) })
    else {
        throw MLXError.caught("[load] Unsupported array protocol type-string in \(url.path)")
    }
    if let order = field("fortran_order"), order.hasPrefix("True") {
        throw MLXError.caught("[load] Fortran-ordered arrays are not supported: \(url.path)")
    }
    guard let shapeField = field("shape"), let open = shapeField.firstIndex(of: "("),
        let close = shapeField.firstIndex(of: ")")
    else {
        throw MLXError.caught("[load] Invalid shape in \(url.path)")
    }
    let shape = shapeField[shapeField.index(after: open) ..< close]
        .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let dataStart = headerStart + headerLength
    let count = shape.reduce(1, *)
    guard data.count >= dataStart + count * dtype.size else {
        throw MLXError.caught("[load] File too short for shape \(shape): \(url.path)")
    }
    let body = data[(start + dataStart) ..< (start + dataStart + count * dtype.size)]
    let storage = body.withUnsafeBytes { storageFromBytes($0, dtype: dtype) }
    return MLXArray(storage: storage, shape: shape, dtype: dtype)
}
