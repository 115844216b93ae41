// Multi-head attention built on the fused scaled dot product attention.
import Foundation
import MLX

/// The API spec names this class and its static `createAdditiveCausalMask(_:dtype:)` only: the
/// initializer, projections and `callAsFunction` are internal.
open class MultiHeadAttention: Module {
    let numHeads: Int

    @ModuleInfo(key: "query_proj") var queryProjection: UnaryLayer
    @ModuleInfo(key: "key_proj") var keyProjection: UnaryLayer
    @ModuleInfo(key: "value_proj") var valueProjection: UnaryLayer
    @ModuleInfo(key: "out_proj") var outProjection: UnaryLayer

    init(
        dimensions: Int, numHeads: Int, queryInputDimensions: Int? = nil,
        keyInputDimensions: Int? = nil, valueInputDimensions: Int? = nil,
        valueDimensions: Int? = nil, valueOutputDimensions: Int? = nil, bias: Bool = false
    ) {
        precondition(dimensions % numHeads == 0, "dimensions \(dimensions) must be divisible by numHeads \(numHeads)")
        let valueDimensions = valueDimensions ?? dimensions
        self.numHeads = numHeads
        self._queryProjection.wrappedValue = Linear(queryInputDimensions ?? dimensions, dimensions, bias: bias)
        self._keyProjection.wrappedValue = Linear(keyInputDimensions ?? dimensions, dimensions, bias: bias)
        self._valueProjection.wrappedValue = Linear(valueInputDimensions ?? dimensions, valueDimensions, bias: bias)
        self._outProjection.wrappedValue = Linear(valueDimensions, valueOutputDimensions ?? dimensions, bias: bias)
    }

    func callAsFunction(
        _ queries: MLXArray, keys: MLXArray, values: MLXArray, mask: MLXArray? = nil
    ) -> MLXArray {
        let q = unflatten(queryProjection(queries), axis: -1, shape: [numHeads, -1]).transposed(0, 2, 1, 3)
        let k = unflatten(keyProjection(keys), axis: -1, shape: [numHeads, -1]).transposed(0, 2, 1, 3)
        let v = unflatten(valueProjection(values), axis: -1, shape: [numHeads, -1]).transposed(0, 2, 1, 3)
        let scale = (1 / Float(q.dim(-1))).squareRoot()
        let maskMode: MLXFast.ScaledDotProductAttentionMaskMode = mask.map { .array($0) } ?? .none
        let output = MLXFast.scaledDotProductAttention(
            queries: q, keys: k, values: v, scale: scale, mask: maskMode)
        return outProjection(output.transposed(0, 2, 1, 3).flattened(start: -2, end: -1))
    }

    /// An additive mask that hides future positions (-1e9 above the diagonal).
    public static func createAdditiveCausalMask(_ n: Int, dtype: DType = .float32) -> MLXArray {
        let indices = MLXArray(0 ..< n)
        let mask = expandedDimensions(indices, axis: 1) .< expandedDimensions(indices, axis: 0)
        return mask.asType(dtype) * -1e9
    }
}
