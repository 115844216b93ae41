// must-fail: mlx-swift's function is `concatenated(_:axis:)`; Python's `concatenate` does not exist.
// expect: cannot find 'concatenate' in scope
import MLX

func appendKeys(_ old: MLXArray, _ new: MLXArray) -> MLXArray {
    concatenate([old, new], axis: 2)
}
