// must-fail: prefix `!` on an MLXArray is unavailable in mlx-swift (renamed to `.!`).
// expect: '!' has been renamed to '.!'
import MLX

func invert(_ mask: MLXArray) -> MLXArray {
    !mask
}
