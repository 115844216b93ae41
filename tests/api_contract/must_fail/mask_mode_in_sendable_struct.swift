// must-fail: MLXFast.ScaledDotProductAttentionMaskMode (it can hold an MLXArray) is not Sendable in
// mlx-swift, so a Sendable struct cannot store one.
// expect: has non-Sendable type 'MLXFast.ScaledDotProductAttentionMaskMode'
import MLX

struct AttentionPlan: Sendable {
    let mask: MLXFast.ScaledDotProductAttentionMaskMode
}
