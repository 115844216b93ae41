// must-fail: Python's `...` (UnboundedRange) is not an MLXArrayIndex in mlx-swift; write `.ellipsis`.
// expect: UnboundedRange_
import MLX

func lastColumn(_ x: MLXArray) -> MLXArray {
    x[..., 0]
}
