// must-fail: work handed to another task through a @Sendable closure cannot capture an MLXArray, which is
// not Sendable in mlx-swift.
// expect: capture of 'x' with non-Sendable type 'MLXArray' in a '@Sendable' closure
import MLX

func background(_ x: MLXArray) {
    let job: @Sendable () -> Void = { print(x.shape) }
    Task { job() }
}
