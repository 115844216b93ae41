// must-fail: `==` on MLXArrays is declared unavailable in mlx-swift (renamed to `.==`): an element-wise
// comparison yields an array, and a Bool from it would force evaluation. Generated code must write `.==`.
// expect: '==' has been renamed to '.=='
import MLX

func sameShapeAndValues(_ a: MLXArray, _ b: MLXArray) -> Bool {
    a == b
}
