// must-fail: mlx-swift's method is `reshaped(_:)`; Python's `reshape` does not exist on MLXArray.
// expect: value of type 'MLXArray' has no member 'reshape'
import MLX

func heads(_ x: MLXArray) -> MLXArray {
    x.reshape(1, 4, -1)
}
