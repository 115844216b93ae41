// must-fail: the axis of `expandedDimensions` is labelled (`axis:`) in mlx-swift.
// expect: missing argument label 'axis:' in call
import MLX

func addHead(_ x: MLXArray) -> MLXArray {
    expandedDimensions(x, 1)
}
