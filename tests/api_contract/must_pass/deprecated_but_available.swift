// must-pass: deprecated is not unavailable: mlx-swift keeps softMax and the axis-subscript as deprecated
// forwarders, so code using them compiles (with a warning).
// expect: is deprecated: renamed to 'softmax(_:axis:precise:stream:)'
import MLX

func oldStyle(_ x: MLXArray) -> MLXArray {
    softMax(x, axis: -1)
}
