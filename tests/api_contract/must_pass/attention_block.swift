// must-pass: the shape of a generated attention block (names, labels and overloads as in mlx-swift).
import MLX
import MLXNN

final class Attention: Module {
    let heads: Int
    let kvHeads: Int
    let scale: Float
    @ModuleInfo(key: "q_proj") var wq: Linear
    @ModuleInfo(key: "k_proj") var wk: Linear
    @ModuleInfo(key: "v_proj") var wv: Linear
    @ModuleInfo(key: "o_proj") var wo: Linear
    @ModuleInfo(key: "q_norm") var qNorm: RMSNorm
    let rope: RoPE

    init(dimensions: Int, heads: Int, kvHeads: Int, headDim: Int) {
        self.heads = heads
        self.kvHeads = kvHeads
        self.scale = 1 / Float(headDim).squareRoot()
        self._wq.wrappedValue = Linear(dimensions, heads * headDim, bias: false)
        self._wk.wrappedValue = Linear(dimensions, kvHeads * headDim, bias: false)
        self._wv.wrappedValue = Linear(dimensions, kvHeads * headDim, bias: false)
        self._wo.wrappedValue = Linear(heads * headDim, dimensions, bias: false)
        self._qNorm.wrappedValue = RMSNorm(dimensions: headDim, eps: 1e-6)
        self.rope = RoPE(dimensions: headDim, traditional: false, base: 1_000_000)
        super.init()
    }

    func callAsFunction(_ x: MLXArray, offset: Int, mask: MLXFast.ScaledDotProductAttentionMaskMode) -> MLXArray {
        let (b, l) = (x.dim(0), x.dim(1))
        var q = wq(x).reshaped(b, l, heads, -1).transposed(0, 2, 1, 3)
        var k = wk(x).reshaped(b, l, kvHeads, -1).transposed(0, 2, 1, 3)
        let v = wv(x).reshaped(b, l, kvHeads, -1).swappedAxes(1, 2)
        q = rope(qNorm(q), offset: offset)
        k = rope(k, offset: offset)
        let out = MLXFast.scaledDotProductAttention(
            queries: q, keys: k, values: v, scale: scale, mask: mask)
        return wo(out.transposed(0, 2, 1, 3).reshaped(b, l, -1))
    }
}

func causalOrNot(_ l: Int) -> MLXFast.ScaledDotProductAttentionMaskMode {
    l > 1 ? .causal : .none
}

func arrayMask(_ q: MLXArray, _ k: MLXArray, _ v: MLXArray, _ m: MLXArray) -> MLXArray {
    let a = MLXFast.scaledDotProductAttention(queries: q, keys: k, values: v, scale: 0.125, mask: .array(m))
    let b = MLXFast.scaledDotProductAttention(queries: q, keys: k, values: v, scale: 0.125, mask: nil)
    let c = MLXFast.scaledDotProductAttention(
        queries: q, keys: k, values: v, scale: 0.125, mask: .causal, sinks: MLXArray.zeros([4]))
    return a + b + c
}
