// must-pass: `import MLXFast` and `import MLXRandom` still compile, and `MLXFast.x` resolves to the enum in
// MLX (a type shadows a module of the same name).
import MLX
import MLXFast
import MLXNN
import MLXRandom

func norm(_ x: MLXArray, _ w: MLXArray) -> MLXArray {
    MLXFast.rmsNorm(x, weight: w, eps: 1e-5)
}
