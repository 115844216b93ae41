// must-fail: mlx-swift spells it `expandedDimensions(axis:)`; `expandedDims` does not exist.
// expect: value of type 'MLXArray' has no member 'expandedDims'
import MLX

func addBatch(_ x: MLXArray) -> MLXArray {
    x.expandedDims(axis: 0)
}
