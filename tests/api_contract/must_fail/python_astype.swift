// must-fail: mlx-swift's cast is `asType(_:)`; `astype` does not exist.
// expect: value of type 'MLXArray' has no member 'astype'
import MLX

func toFloat(_ x: MLXArray) -> MLXArray {
    x.astype(.float32)
}
