// must-fail: MLXArray is not Sendable in mlx-swift; a value that must be Sendable cannot be one.
// expect: type 'MLXArray' does not conform to the 'Sendable' protocol
import MLX

func requireSendable<T: Sendable>(_ value: T) {}

func publish(_ x: MLXArray) {
    requireSendable(x)
}
