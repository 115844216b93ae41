// must-fail: MLXNN.RoPE is a final class in mlx-swift; a model that needs a variant writes its own Module.
// expect: inheritance from a final class 'RoPE'
import MLX
import MLXNN

final class ScaledRoPE: RoPE {}
