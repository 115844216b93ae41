// must-fail: Linear's `weight` is a `public let` in mlx-swift; weights change through update(parameters:).
// expect: 'weight' is a 'let' constant
import MLX
import MLXNN

func replace(_ layer: Linear, _ w: MLXArray) {
    layer.weight = w
}
