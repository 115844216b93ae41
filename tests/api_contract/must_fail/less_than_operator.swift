// must-fail: `<` on MLXArrays is unavailable in mlx-swift (renamed to `.<`).
// expect: '<' has been renamed to '.<'
import MLX

func lowerMask(_ positions: MLXArray, _ limit: MLXArray) -> MLXArray {
    positions < limit
}
