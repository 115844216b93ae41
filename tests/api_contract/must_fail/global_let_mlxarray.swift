// must-fail: in Swift 6 mode a global `let` of the non-Sendable MLXArray is a data-race hazard; generated
// code must use a function, an instance property or `nonisolated(unsafe)`.
// expect: is not concurrency-safe because non-'Sendable' type 'MLXArray' may have shared mutable state
import MLX

let invFrequencies = MLXArray([1, 2, 3] as [Int32])
