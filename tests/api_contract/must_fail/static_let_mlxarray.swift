// must-fail: a `static let` of MLXArray is global state too and is rejected in Swift 6 mode.
// expect: is not concurrency-safe because non-'Sendable' type 'MLXArray' may have shared mutable state
import MLX

enum Constants {
    static let causalFill = MLXArray(Float(-1e9))
}
