// must-fail: there is no `gather` in mlx-swift; rows are taken with `take(_:_:axis:)`, `takeAlong` or
// the subscript `x[indices]`.
// expect: cannot find 'gather' in scope
import MLX

func rows(_ table: MLXArray, _ ids: MLXArray) -> MLXArray {
    gather(table, ids)
}
