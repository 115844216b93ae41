// must-fail: `&&` on MLXArrays is unavailable in mlx-swift (renamed to `.&&`); sliding-window masks
// must combine with `.&&`.
// expect: '&&' has been renamed to '.&&'
import MLX

func window(_ a: MLXArray, _ b: MLXArray) -> MLXArray {
    a && b
}
