// Deprecated MLXFast module: everything lives in MLX now (enum MLXFast and free functions); these
// forwards keep `import MLXFast` compiling, as in mlx-swift.
import MLX

@available(
    *, deprecated,
    message: "`import MLXFast` is deprecated. All methods are now available through `import MLX"
)
public let deprecationWarning: Void = ()

@available(*, deprecated, message: "RoPE is now available in the main MLX module")
@_disfavoredOverload
public func RoPE(
    _ array: MLXArray, dimensions: Int, traditional: Bool, base: Float?, scale: Float, offset: Int,
    freqs: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.RoPE(
        array, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
        offset: offset, freqs: freqs, stream: stream)
}

@available(*, deprecated, message: "scaledDotProductAttention is now available in the main MLX module")
@_disfavoredOverload
public func scaledDotProductAttention(
    queries: MLXArray, keys: MLXArray, values: MLXArray, scale: Float, mask: MLXArray?,
    memoryEfficientThreshold: Int? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.scaledDotProductAttention(
        queries: queries, keys: keys, values: values, scale: scale, mask: mask,
        memoryEfficientThreshold: memoryEfficientThreshold, stream: stream)
}

@available(*, deprecated, message: "rmsNorm is now available in the main MLX module")
@_disfavoredOverload
public func rmsNorm(_ x: MLXArray, weight: MLXArray, eps: Float, stream: StreamOrDevice = .default)
    -> MLXArray
{
    MLXFast.rmsNorm(x, weight: weight, eps: eps, stream: stream)
}

@available(*, deprecated, message: "layerNorm is now available in the main MLX module")
@_disfavoredOverload
public func layerNorm(
    _ x: MLXArray, weight: MLXArray? = nil, bias: MLXArray? = nil, eps: Float,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.layerNorm(x, weight: weight, bias: bias, eps: eps, stream: stream)
}
