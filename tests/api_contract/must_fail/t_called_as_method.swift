// must-fail: `T` is a property of MLXArray in mlx-swift, not a method; `x.T()` calls the array.
// expect: cannot call value of non-function type 'MLXArray'
import MLX

func transposeWeight(_ w: MLXArray) -> MLXArray {
    w.T()
}
