// Loads the op fixtures that tools/make_op_fixtures.py computed with MLX: the manifest
// (tests/fixtures/ops/ops.json) and its tensors (ops.safetensors, read with the MLX API's own
// loadArrays(url:), so the reader is under test too).

import Foundation
import MLX

/// A JSON value, as the manifest spells it. Non-finite numbers arrive as the strings
/// "inf", "-inf" and "nan" (JSON has no spelling for them).
enum JSONValue: Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Int.self) {
            self = .int(v)
        } else if let v = try? c.decode(Double.self) {
            self = .double(v)
        } else if let v = try? c.decode(String.self) {
            self = .string(v)
        } else if let v = try? c.decode([JSONValue].self) {
            self = .array(v)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    var isNull: Bool { if case .null = self { return true } else { return false } }

    var number: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        case .string("nan"): return .nan
        default: return nil
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let v): return "\(v)"
        case .int(let v): return "\(v)"
        case .double(let v): return "\(v)"
        case .string(let v): return "\"\(v)\""
        case .array(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .object(let v):
            return "{" + v.keys.sorted().map { "\($0): \(v[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The parameters of one case, with typed accessors that fail loudly on a malformed manifest.
struct Params {
    let values: [String: JSONValue]
    let caseName: String

    func has(_ key: String) -> Bool { values[key].map { !$0.isNull } ?? false }

    func value(_ key: String) throws -> JSONValue {
        guard let v = values[key] else { throw FixtureError("\(caseName): parameter '\(key)' missing") }
        return v
    }

    func int(_ key: String) throws -> Int {
        guard case .int(let v) = try value(key) else { throw FixtureError("\(caseName): '\(key)' is not an integer") }
        return v
    }

    func optionalInt(_ key: String) throws -> Int? { has(key) ? try int(key) : nil }

    func double(_ key: String) throws -> Double {
        guard let v = try value(key).number else { throw FixtureError("\(caseName): '\(key)' is not a number") }
        return v
    }

    func optionalDouble(_ key: String) throws -> Double? { has(key) ? try double(key) : nil }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let v) = try value(key) else { throw FixtureError("\(caseName): '\(key)' is not a bool") }
        return v
    }

    func string(_ key: String) throws -> String {
        guard case .string(let v) = try value(key) else { throw FixtureError("\(caseName): '\(key)' is not a string") }
        return v
    }

    func optionalString(_ key: String) throws -> String? { has(key) ? try string(key) : nil }

    func ints(_ key: String) throws -> [Int] {
        guard case .array(let items) = try value(key) else { throw FixtureError("\(caseName): '\(key)' is not a list") }
        return try items.map {
            guard case .int(let v) = $0 else { throw FixtureError("\(caseName): '\(key)' holds a non-integer") }
            return v
        }
    }

    func optionalInts(_ key: String) throws -> [Int]? { has(key) ? try ints(key) : nil }

    func list(_ key: String) throws -> [JSONValue] {
        guard case .array(let items) = try value(key) else { throw FixtureError("\(caseName): '\(key)' is not a list") }
        return items
    }
}

struct ParityCase: Decodable {
    let name: String
    let op: String
    let params: [String: JSONValue]
    /// role -> tensor name in ops.safetensors
    let inputs: [String: String]
    let outputs: [String]
    let rtol: Double
    let atol: Double
    let check: String
    let comment: String?

    var parameters: Params { Params(values: params, caseName: name) }
}

struct Manifest: Decodable {
    let format: String
    let mlx_version: String
    let cases: [ParityCase]
}

enum Fixtures {
    /// swift/Tests/MLXParityTests/Fixtures.swift -> the repository root.
    static func repoRoot(file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file)
        for _ in 0 ..< 4 { url.deleteLastPathComponent() }
        return url
    }

    static var directory: URL {
        repoRoot().appendingPathComponent("tests").appendingPathComponent("fixtures").appendingPathComponent("ops")
    }

    static func manifest() throws -> Manifest {
        let data = try Data(contentsOf: directory.appendingPathComponent("ops.json"))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    static func tensors() throws -> [String: MLXArray] {
        try loadArrays(url: directory.appendingPathComponent("ops.safetensors"))
    }
}
