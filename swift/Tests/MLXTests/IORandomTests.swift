// Tests of safetensors I/O and of the random number generator (bit-compatible with MLX).
import Foundation
@testable import MLX
import XCTest

final class IOTests: XCTestCase {

    private func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mlxtests-\(UUID().uuidString)-\(name)")
    }

    func testRoundTripEveryDType() throws {
        let arrays: [String: MLXArray] = [
            "f32": MLXArray([1.5, -2.25, 3] as [Float], [1, 3]),
            "f16": MLXArray([0.1, 65504] as [Float]).asType(.float16),
            "bf16": MLXArray([3.14159, -1] as [Float]).asType(.bfloat16),
            "f64": MLXArray(float64: 1.0 / 3.0).reshaped(1),
            "u32": MLXArray([UInt32.max, 7, 2_206_663_722] as [UInt32]),
            "u64": MLXArray([UInt64.max] as [UInt64]),
            "u16": MLXArray([65535] as [UInt16]),
            "u8": MLXArray([255, 0] as [UInt8]),
            "i8": MLXArray([-128, 127] as [Int8]),
            "i16": MLXArray([-300] as [Int16]),
            "i32": MLXArray([-5, 6], [2, 1]),
            "i64": MLXArray(int64: [Int(Int64.min)]),
            "bool": MLXArray([true, false, true]),
            "scalar": MLXArray(Float(4)),
        ]
        let url = temporaryURL("roundtrip.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try save(arrays: arrays, metadata: ["format": "mlx", "note": "a \"quoted\" value"], url: url)
        let (loaded, metadata) = try loadArraysAndMetadata(url: url)
        XCTAssertEqual(metadata, ["format": "mlx", "note": "a \"quoted\" value"])
        XCTAssertEqual(Set(loaded.keys), Set(arrays.keys))
        for (name, original) in arrays {
            let copy = loaded[name]!
            XCTAssertEqual(copy.dtype, original.dtype, name)
            XCTAssertEqual(copy.shape, original.shape, name)
            XCTAssertEqual(copy.asType(.float64).asArray(Double.self), original.asType(.float64).asArray(Double.self), name)
        }
        XCTAssertEqual(loaded["u32"]!.asArray(UInt32.self), [UInt32.max, 7, 2_206_663_722])
        XCTAssertEqual(loaded["u64"]!.asArray(UInt64.self), [UInt64.max])
        XCTAssertEqual(try loadArrays(url: url).count, arrays.count)
    }

    func testReadsHandWrittenSafetensorsBytes() throws {
        // the layout the Python `safetensors` package writes: u64 header length, JSON, raw data
        let header = #"{"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},"a":{"dtype":"I32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"format":"pt"}}  "#
        var data = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        for v: Int32 in [7, -1] { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: [0x80, 0x3F, 0x00, 0xC0])  // bf16 1.0 and -2.0
        let (arrays, metadata) = try loadArraysAndMetadata(data: data)
        XCTAssertEqual(metadata, ["format": "pt"])
        XCTAssertEqual(arrays["a"]!.asArray(Int32.self), [7, -1])
        XCTAssertEqual(arrays["b"]!.dtype, .bfloat16)
        XCTAssertEqual(arrays["b"]!.asArray(Float.self), [1, -2])

        // and the bytes we write have the same layout: header length, then sorted JSON
        let written = try saveToData(arrays: ["a": MLXArray([7, -1])])
        let writtenLength = written.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        let json = String(decoding: written[8 ..< 8 + writtenLength], as: UTF8.self)
        XCTAssertEqual(json, #"{"__metadata__":{},"a":{"data_offsets":[0,8],"dtype":"I32","shape":[2]}}"#)
        XCTAssertEqual(written.count, 8 + writtenLength + 8)
    }

    func testErrors() throws {
        let wrong = temporaryURL("weights.bin")
        XCTAssertThrowsError(try loadArrays(url: wrong)) { error in
            guard case LoadSaveError.unknownExtension(let ext) = error else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(ext, "bin")
        }
        XCTAssertThrowsError(try save(arrays: [:], url: wrong))
        XCTAssertThrowsError(try loadArrays(url: temporaryURL("missing.safetensors")))
        XCTAssertThrowsError(try loadArrays(data: Data([1, 2, 3])))
        var truncated = try saveToData(arrays: ["a": MLXArray([1, 2, 3])])
        truncated.removeLast(4)
        XCTAssertThrowsError(try loadArrays(data: truncated))
    }
}

final class RandomTests: XCTestCase {

    func testMatchesMLXBits() {
        let key = MLXRandom.key(42)
        XCTAssertEqual(key.dtype, .uint32)
        let (a, b) = MLXRandom.split(key: key)
        XCTAssertEqual(a.asArray(UInt32.self) + b.asArray(UInt32.self), MLXReference.randomSplit)
        assertClose(MLXRandom.uniform(0 ..< 1, [6], key: key), MLXReference.randomUniform, rtol: 0, atol: 0)
        assertClose(MLXRandom.normal([6], key: key), MLXReference.randomNormal, rtol: 1e-6, atol: 1e-6)
        let bf = MLXRandom.uniform(low: -2, high: 3, [4], dtype: .bfloat16, key: key)
        XCTAssertEqual(bf.dtype, .bfloat16)
        assertClose(bf, MLXReference.randomUniformBF16, rtol: 0, atol: 0)
        XCTAssertEqual(MLXRandom.split(key: key, into: 3).count, 3)
    }

    func testSeedingAndDistributions() {
        MLXRandom.seed(7)
        let first = MLXRandom.uniform(0 ..< 1, [5]).asArray(Float.self)
        MLXRandom.seed(7)
        XCTAssertEqual(MLXRandom.uniform(0 ..< 1, [5]).asArray(Float.self), first)
        let state = MLXRandom.RandomState(seed: 3)
        let fromState = MLXRandom.normal([3], key: state)
        XCTAssertEqual(fromState.shape, [3])
        let u = MLXRandom.uniform(low: 2, high: 4, [1000], key: MLXRandom.key(1))
        XCTAssertGreaterThanOrEqual(u.min().item(Float.self), 2)
        XCTAssertLessThan(u.max().item(Float.self), 4)
        let ints = MLXRandom.randInt(0 ..< 5, [200], key: MLXRandom.key(2))
        XCTAssertEqual(ints.dtype, .int64)
        XCTAssertGreaterThanOrEqual(ints.min().item(Int.self), 0)
        XCTAssertLessThan(ints.max().item(Int.self), 5)
        XCTAssertFalse(MLXRandom.bernoulli(MLXArray(Float(0)), [50], key: MLXRandom.key(3)).any().item(Bool.self))
        XCTAssertTrue(MLXRandom.bernoulli(MLXArray(Float(1)), [50], key: MLXRandom.key(3)).all().item(Bool.self))
        // categorical never picks a -inf logit and returns one index per row
        let logits = MLXArray([0, -Float.infinity, 0, -Float.infinity, -Float.infinity, 5], [2, 3])
        for s in 0 ..< 10 {
            let pick = MLXRandom.categorical(logits, key: MLXRandom.key(UInt64(s))).asArray(UInt32.self)
            XCTAssertTrue(pick[0] == 0 || pick[0] == 2)
            XCTAssertEqual(pick[1], 2)
        }
        XCTAssertEqual(MLXRandom.categorical(logits, count: 4, key: MLXRandom.key(9)).shape, [2, 4])
        let normal = MLXRandom.normal([4000], loc: 1, scale: 2, key: MLXRandom.key(5))
        XCTAssertEqual(normal.mean().item(Float.self), 1, accuracy: 0.15)
        XCTAssertEqual(std(normal).item(Float.self), 2, accuracy: 0.15)
    }
}
