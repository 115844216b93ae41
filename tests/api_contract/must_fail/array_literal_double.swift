// must-fail: MLXArray's array literal is `Int32...` in mlx-swift; a floating-point literal needs
// MLXArray([Float]) or MLXArray(converting:).
// expect: cannot convert value of type 'Double' to expected element type 'Int32'
import MLX

func weights() -> MLXArray {
    let w: MLXArray = [0.5, 1.5]
    return w
}
