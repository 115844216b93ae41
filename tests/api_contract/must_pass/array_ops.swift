// must-pass: everyday array code: scalar promotion, element-wise comparisons, masks, indexing and
// slice assignment (also through a `let`), reductions, free functions and methods.
import MLX
import MLXNN

func everyday(_ x: MLXArray, _ cache: MLXArray, _ new: MLXArray, _ start: Int) -> MLXArray {
    let halved = x * 0.5
    let shifted = 1.0 - x
    let scaledInt = MLXArray(3) * 2
    let positions = MLXArray(Int32(0) ..< Int32(8))
    let window = (positions .>= MLXArray(Int32(2))) .&& (positions .< 6) .|| .!(positions .== 7)
    let masked = which(window, x, MLXArray(-Float.infinity))
    let alt = `where`(x .> 0, x, 0.0)
    let probs = softmax(masked, axis: -1, precise: true)
    cache[.ellipsis, start ..< start + new.dim(2), 0...] = new
    let head = x[.ellipsis, ..<4]
    let added = x[0..., .newAxis]
    let strided = x[.stride(by: 2)]
    let picked = x[MLXArray([0, 2] as [Int32])]
    let s = x.sum(axis: -1, keepDims: true) + mean(x, axes: [0, 1]) + x.max() + MLX.min(x, axis: 0)
    let top = argMax(probs, axis: -1).asType(.int32)
    let parts = split(x, parts: 2, axis: -1)
    let joined = concatenated(parts, axis: -1) + stacked([x, x], axis: 0).sum(axis: 0)
    let gate = sigmoid(x) * silu(x) * gelu(x) * geluApproximate(x) * relu(x)
    let e = expandedDimensions(x, axis: 1).squeezed(axis: 1) + x.T.T + sqrt(abs(x)) * rsqrt(x * x + 1)
    let typed: Float = x.sum().item()
    let asFloat = x.item(Float.self) + typed
    _ = (halved, shifted, scaledInt, alt, head, added, strided, picked, s, top, joined, gate, e, asFloat)
    return x.asType(.bfloat16).asType(DType.float32)
}
