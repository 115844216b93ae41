// Shared helpers for the MLX reference-backend tests: deterministic inputs and comparisons.
import Foundation
@testable import MLX
import XCTest

/// Deterministic, exactly representable test values in [-1.5, 1.5]; quadratic in the index so
/// neighbouring rows are not shifted copies of each other.
func pattern(_ n: Int, seed: Int = 0) -> [Float] {
    (0 ..< n).map { i in Float(((i * i * 31 + i * 17 + seed * 101 + 7) % 97) - 48) / 32 }
}

func patternArray(_ shape: [Int], seed: Int = 0, dtype: DType = .float32) -> MLXArray {
    MLXArray(pattern(shape.reduce(1, *), seed: seed), shape).asType(dtype)
}

/// Element-wise |actual - expected| <= atol + rtol * |expected|.
func assertClose(
    _ actual: MLXArray, _ expected: [Float], rtol: Float = 1e-6, atol: Float = 1e-6,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    let values = actual.asArray(Float.self)
    XCTAssertEqual(values.count, expected.count, "element count \(message)", file: file, line: line)
    guard values.count == expected.count else { return }
    for (i, (a, e)) in zip(values, expected).enumerated() {
        if a.isNaN && e.isNaN { continue }
        if Swift.abs(a - e) > atol + rtol * Swift.abs(e) {
            XCTFail("element \(i): \(a) != \(e) \(message)", file: file, line: line)
            return
        }
    }
}

func assertEqualValues<T: HasDType & Equatable>(
    _ actual: MLXArray, _ expected: [T], _ message: String = "", file: StaticString = #filePath,
    line: UInt = #line
) {
    XCTAssertEqual(actual.asArray(T.self), expected, message, file: file, line: line)
}
