// must-fail: `scale:` of MLXFast.scaledDotProductAttention has no default in mlx-swift.
// expect: missing argument for parameter 'scale' in call
import MLX

func attend(_ q: MLXArray, _ k: MLXArray, _ v: MLXArray) -> MLXArray {
    MLXFast.scaledDotProductAttention(queries: q, keys: k, values: v, mask: .causal)
}
