// must-fail: MLXArray is a final class in mlx-swift.
// expect: inheritance from a final class 'MLXArray'
import MLX

final class Tagged: MLXArray {}
