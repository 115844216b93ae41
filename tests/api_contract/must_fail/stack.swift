// must-fail: mlx-swift's function is `stacked(_:axis:)`; `stack` does not exist.
// expect: cannot find 'stack' in scope
import MLX

func pair(_ a: MLXArray, _ b: MLXArray) -> MLXArray {
    stack([a, b], axis: 0)
}
