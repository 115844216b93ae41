// must-fail: `offset:` of MLXFast.RoPE has no default in mlx-swift (there are Int and MLXArray overloads).
// expect: missing argument for parameter 'offset' in call
import MLX

func rotate(_ x: MLXArray) -> MLXArray {
    MLXFast.RoPE(x, dimensions: 64, traditional: false, base: 10_000, scale: 1)
}
