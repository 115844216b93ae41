// Compares a replayed output with MLX's: dtype, shape, then values within the case's tolerance, or,
// for argPartition/argSort, the contract on values (tie order is not part of it).

import Foundation
import MLX

/// The elements of `a` as Double, read through the dtype it has (bf16/f16 widen to Float exactly).
func elementValues(_ a: MLXArray) -> [Double] {
    switch a.dtype {
    case .bool: return a.asArray(Bool.self).map { $0 ? 1 : 0 }
    case .int32: return a.asArray(Int32.self).map(Double.init)
    case .uint32: return a.asArray(UInt32.self).map(Double.init)
    case .uint8: return a.asArray(UInt8.self).map(Double.init)
    default: return a.asArray(Float.self).map(Double.init)
    }
}

/// The multi-dimensional index of flat position `flat` in `shape` (row-major).
func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}

private func describe(_ v: Double) -> String {
    v.isNaN ? "nan" : (v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)")
}

/// nil when `actual` matches `expected`; otherwise a message naming the worst element.
func closeMismatch(expected: [Double], actual: [Double], shape: [Int], rtol: Double, atol: Double) -> String? {
    var bad = 0
    var worst: (index: Int, error: Double)? = nil
    for i in expected.indices {
        let e = expected[i]
        let a = actual[i]
        if e.isNaN && a.isNaN { continue }
        if e.isInfinite || a.isInfinite {
            if e == a { continue }
        } else if Swift.abs(a - e) <= atol + rtol * Swift.abs(e) {
            continue
        }
        bad += 1
        let error = (a.isNaN || e.isInfinite || a.isInfinite) ? Double.infinity : Swift.abs(a - e)
        if worst == nil || error > worst!.error { worst = (i, error) }
    }
    guard let worst else { return nil }
    let i = worst.index
    return "\(bad) of \(expected.count) elements differ; worst at \(unravel(i, shape)): "
        + "expected \(describe(expected[i])), actual \(describe(actual[i])) (rtol \(rtol), atol \(atol))"
}

/// The rows of `values` (shape `shape`) along `axis`, each as the flat positions of its elements.
private func rows(shape: [Int], axis: Int) -> [[Int]] {
    let ax = axis < 0 ? axis + shape.count : axis
    let n = shape[ax]
    let outer = shape[..<ax].reduce(1, *)
    let inner = shape[(ax + 1)...].reduce(1, *)
    var result: [[Int]] = []
    for o in 0 ..< outer {
        for i in 0 ..< inner {
            result.append((0 ..< n).map { (o * n + $0) * inner + i })
        }
    }
    return result
}

/// argPartition ("partition") and argSort ("sort") contracts, checked on the values the indices
/// select from `x`, against the values MLX's indices select.
func contractMismatch(
    check: String, x: [Double], expected: [Double], actual: [Double], shape: [Int], axis: Int, kth: Int?
) -> String? {
    for (r, row) in rows(shape: shape, axis: axis).enumerated() {
        let n = row.count
        let got = row.map { actual[$0] }
        guard got.allSatisfy({ $0 >= 0 && $0 < Double(n) && $0 == $0.rounded() }),
            Set(got.map { Int($0) }).count == n
        else {
            return "row \(r): indices \(got.map { Int($0) }) are not a permutation of 0..<\(n)"
        }
        let gotValues = got.map { x[row[Int($0)]] }
        let wantValues = row.map { x[row[Int(expected[$0])]] }
        if check == "sort" {
            if gotValues != wantValues {
                return "row \(r): selected values \(gotValues), expected \(wantValues)"
            }
        } else {
            let k = ((kth ?? 0) % n + n) % n
            let pivot = gotValues[k]
            if pivot != wantValues[k] || gotValues[..<k].contains(where: { $0 > pivot })
                || gotValues[(k + 1)...].contains(where: { $0 < pivot })
            {
                return "row \(r): selected values \(gotValues) do not partition at kth=\(k) around \(wantValues[k])"
            }
        }
    }
    return nil
}
