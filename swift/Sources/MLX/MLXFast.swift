// The "fast" fused ops (RoPE, scaled dot product attention, RMS and layer norm), computed exactly
// as MLX's CPU fallbacks compose them, including where values are rounded to the input dtype.
import Foundation

/// Float rows of `x` (float32 compute domain) for the fast kernels.
private func floatRows(_ x: MLXArray) -> [Float] {
    x.asType(x.dtype.storageKind == .float ? x.dtype : .float32).floatBuffer
}

public enum MLXFast {

    // MARK: RoPE

    private static func rope(
        _ array: MLXArray, dimensions: Int, traditional: Bool, base: Float?, scale: Float,
        offsets: [Int], freqs: MLXArray?
    ) -> MLXArray {
        precondition(array.ndim >= 3, "[rope] Input must have at least 3 dimensions but got input with \(array.ndim) dimensions.")
        precondition(array.dtype.isFloatingPoint, "[rope] Input must be a floating type but got \(array.dtype).")
        precondition(dimensions > 0 && dimensions % 2 == 0, "[rope] dims must be positive and even but got \(dimensions).")
        precondition(dimensions <= array.dim(-1), "[rope] dims must not exceed the input's last dimension (\(array.dim(-1))) but got \(dimensions).")
        precondition((base == nil) != (freqs == nil), "[rope] exactly one of base or freqs must have a value.")
        let dtype = array.dtype
        let shape = array.shape
        let batch = shape[0]
        let d = shape[shape.count - 1]
        let t = shape[shape.count - 2]
        let heads = array.size / Swift.max(batch * t * d, 1)
        precondition(offsets.count == 1 || offsets.count == batch, "[rope] offset must be a scalar or vector with \(batch) elements but has \(offsets.count).")
        let half = dimensions / 2

        // inverse frequencies in float32: exp(-i * ln(base) / half) or 1 / freqs
        var inverse = [Float](repeating: 0, count: half)
        if let freqs {
            precondition(freqs.ndim == 1 && freqs.dim(0) == half, "[rope] freqs must be one dimensional with size \(half) but got shape \(freqs.shape).")
            let f = freqs.asType(.float32).floatBuffer
            for i in 0 ..< half { inverse[i] = 1 / f[i] }
        } else {
            let logStep = Foundation.log(base!) / Float(half)
            for i in 0 ..< half { inverse[i] = mlxExp(Float(-i) * logStep) }
        }

        let x = floatRows(array)
        var out = x
        x.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                var cosines = [Float](repeating: 0, count: half)
                var sines = [Float](repeating: 0, count: half)
                for b in 0 ..< batch {
                    let offset = offsets.count == 1 ? offsets[0] : offsets[b]
                    for p in 0 ..< t {
                        let position = (Float(p) + Float(offset)) * scale
                        for i in 0 ..< half {
                            let theta = position * inverse[i]
                            cosines[i] = roundFloat(mlxSinCos(theta, sine: false), to: dtype)
                            sines[i] = roundFloat(mlxSinCos(theta, sine: true), to: dtype)
                        }
                        for h in 0 ..< heads {
                            let row = ((b * heads + h) * t + p) * d
                            for i in 0 ..< half {
                                let i1 = traditional ? row + 2 * i : row + i
                                let i2 = traditional ? row + 2 * i + 1 : row + half + i
                                let x1 = px[i1], x2 = px[i2]
                                let c = cosines[i], s = sines[i]
                                let a = roundFloat(x1 * c, to: dtype)
                                let bb = roundFloat(x2 * s, to: dtype)
                                po[i1] = roundFloat(a - bb, to: dtype)
                                let e = roundFloat(x1 * s, to: dtype)
                                let f = roundFloat(x2 * c, to: dtype)
                                po[i2] = roundFloat(e + f, to: dtype)
                            }
                        }
                    }
                }
            }
        }
        return MLXArray(floats: out, shape: shape, dtype: dtype == .float64 ? .float32 : dtype)
            .asType(dtype)
    }

    /// Rotary position embedding over the first `dimensions` features of the last axis, for
    /// positions `offset ..< offset + T` along axis -2 (times `scale`). `traditional` rotates
    /// interleaved pairs, otherwise the two halves. Give either `base` or `freqs`.
    public static func RoPE(
        _ array: MLXArray, dimensions: Int, traditional: Bool, base: Float?, scale: Float,
        offset: Int, freqs: MLXArray? = nil, stream: StreamOrDevice = .default
    ) -> MLXArray {
        rope(
            array, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
            offsets: [offset], freqs: freqs)
    }

    /// RoPE with the offset as an integer array: a scalar, or one offset per batch entry.
    public static func RoPE(
        _ array: MLXArray, dimensions: Int, traditional: Bool, base: Float?, scale: Float,
        offset: MLXArray, freqs: MLXArray? = nil, stream: StreamOrDevice = .default
    ) -> MLXArray {
        precondition(offset.ndim <= 1, "[rope] offset must have at most one dimension but has shape \(offset.shape).")
        precondition(offset.dtype.isInteger, "[rope] offset must be an integer but got type \(offset.dtype).")
        return rope(
            array, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
            offsets: offset.indexBuffer, freqs: freqs)
    }

    // MARK: Attention

    public enum ScaledDotProductAttentionMaskMode {
        case none
        case array(MLXArray)
        @available(*, deprecated, message: "Use .array instead")
        case arrays([MLXArray])
        case causal

        public var mask: MLXArray? {
            switch self {
            case .none, .causal: return nil
            case .array(let array): return array
            case .arrays(let arrays):
                precondition(arrays.count <= 1, "Only a single array is allowed")
                return arrays.first
            }
        }

        public var mode: String {
            switch self {
            case .causal: "causal"
            default: ""
            }
        }
    }

    /// softmax(scale · q kᵀ + mask) v over [B, N, T, D] inputs. Keys/values may have fewer heads
    /// than queries (grouped-query attention: query head h reads kv head h / (Nq / Nkv)).
    /// A bool mask marks visible keys; any other mask is added to the scores. `.causal` lets
    /// query i see key j when j <= i + (Tk - Tq). `sinks` holds one logit per query head that
    /// joins each softmax denominator only.
    private static func attention(
        queries: MLXArray, keys: MLXArray, values: MLXArray, scale: Float, causal: Bool,
        mask: MLXArray?, sinks: MLXArray?
    ) -> MLXArray {
        for (name, t) in [("queries", queries), ("keys", keys), ("values", values)] {
            precondition(t.ndim == 4, "[scaled_dot_product_attention] \(name) with shape \(t.shape) expected to be rank 4")
        }
        let (batch, qHeads, qLength, headDim) = queries.shape4
        let (kBatch, kvHeads, kLength, kDim) = keys.shape4
        let (vBatch, vHeads, vLength, vDim) = values.shape4
        precondition(kBatch == batch && vBatch == batch, "[scaled_dot_product_attention] mismatching batch dimension for keys \(keys.shape) / values \(values.shape).")
        precondition(kDim == headDim, "[scaled_dot_product_attention] query, keys expected to have matching last dimension; found query shape \(queries.shape) for keys shape \(keys.shape).")
        precondition(vHeads == kvHeads && vLength == kLength, "[scaled_dot_product_attention] keys \(keys.shape) and values \(values.shape) do not match.")
        precondition(qHeads % kvHeads == 0, "[scaled_dot_product_attention] n_heads must be a multiple of n_kv_heads, found n_heads \(qHeads) for n_kv_heads \(kvHeads).")
        let dtype = DType.promote(DType.promote(queries.dtype, keys.dtype), values.dtype)
        precondition(dtype.isFloatingPoint, "[scaled_dot_product_attention] Received unsupported type \(dtype).")
        let repeats = qHeads / kvHeads

        let q = floatRows(queries.asType(dtype))
        let k = floatRows(keys.asType(dtype))
        let v = floatRows(values.asType(dtype))
        let scaleT = roundFloat(scale, to: dtype)

        var maskValues: [Float]? = nil
        var boolMask = false
        if let mask {
            precondition(mask.ndim <= 4, "[scaled_dot_product_attention] the mask with shape \(mask.shape) expected to have at most rank 4.")
            boolMask = mask.dtype == .bool
            if !boolMask {
                precondition(DType.promote(mask.dtype, dtype) == dtype, "[scaled_dot_product_attention] Mask type must promote to output type \(dtype).")
            }
            let full = mask.asType(boolMask ? .bool : dtype)
                .broadcasted(to: [batch, qHeads, qLength, kLength], "scaled_dot_product_attention")
            maskValues = full.floatBuffer
        }
        var sinkValues: [Float]? = nil
        if let sinks {
            precondition(sinks.ndim == 1 && sinks.dim(0) == qHeads, "[scaled_dot_product_attention] Received invalid shape for sinks \(sinks.shape).")
            sinkValues = sinks.asType(dtype).floatBuffer
        }
        let lowest = roundFloat(Float(-dtype.finfo!.max), to: dtype)
        let causalOffset = kLength - qLength

        var out = [Float](repeating: 0, count: batch * qHeads * qLength * vDim)
        var scaledQuery = [Float](repeating: 0, count: headDim)
        var scores = [Float](repeating: 0, count: kLength + 1)
        var accumulator = [Float](repeating: 0, count: vDim)
        for b in 0 ..< batch {
            for h in 0 ..< qHeads {
                let kvh = h / repeats
                let kBase = (b * kvHeads + kvh) * kLength * headDim
                let vBase = (b * kvHeads + kvh) * kLength * vDim
                for i in 0 ..< qLength {
                    let qRow = ((b * qHeads + h) * qLength + i) * headDim
                    for d in 0 ..< headDim { scaledQuery[d] = roundFloat(scaleT * q[qRow + d], to: dtype) }
                    // column 0 holds the sink logit when present
                    let first = sinkValues == nil ? 1 : 0
                    if let sinkValues { scores[0] = sinkValues[h] }
                    for j in 0 ..< kLength {
                        var s: Float = 0
                        let kRow = kBase + j * headDim
                        for d in 0 ..< headDim { s += scaledQuery[d] * k[kRow + d] }
                        s = roundFloat(s, to: dtype)
                        if causal && j > i + causalOffset {
                            s = lowest
                        } else if let maskValues {
                            let m = maskValues[((b * qHeads + h) * qLength + i) * kLength + j]
                            if boolMask {
                                if m == 0 { s = lowest }
                            } else {
                                s = roundFloat(s + m, to: dtype)
                            }
                        }
                        scores[j + 1] = s
                    }
                    // precise softmax: float32 throughout, rounded once at the end
                    var maximum = -Float.infinity
                    for j in first ... kLength { maximum = nanMaximum(scores[j], maximum) }
                    var normalizer: Float = 0
                    for j in first ... kLength {
                        let e = mlxExp(scores[j] - maximum)
                        scores[j] = e
                        normalizer += e
                    }
                    let inverse = 1 / normalizer
                    for d in 0 ..< vDim { accumulator[d] = 0 }
                    for j in 0 ..< kLength {
                        let p = roundFloat(scores[j + 1] * inverse, to: dtype)
                        let vRow = vBase + j * vDim
                        for d in 0 ..< vDim { accumulator[d] += p * v[vRow + d] }
                    }
                    let oRow = ((b * qHeads + h) * qLength + i) * vDim
                    for d in 0 ..< vDim { out[oRow + d] = roundFloat(accumulator[d], to: dtype) }
                }
            }
        }
        let storageType = dtype == .float64 ? DType.float32 : dtype
        return MLXArray(floats: out, shape: [batch, qHeads, qLength, vDim], dtype: storageType).asType(dtype)
    }

    public static func scaledDotProductAttention(
        queries: MLXArray, keys: MLXArray, values: MLXArray, scale: Float, mask: MLXArray?,
        sinks: MLXArray? = nil, memoryEfficientThreshold: Int? = nil,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        attention(
            queries: queries, keys: keys, values: values, scale: scale, causal: false, mask: mask,
            sinks: sinks)
    }

    public static func scaledDotProductAttention(
        queries: MLXArray, keys: MLXArray, values: MLXArray, scale: Float,
        mask: ScaledDotProductAttentionMaskMode, sinks: MLXArray? = nil,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        attention(
            queries: queries, keys: keys, values: values, scale: scale, causal: mask.mode == "causal",
            mask: mask.mask, sinks: sinks)
    }

    // MARK: Normalization

    /// x · rsqrt(mean(x²) + eps) over the last axis in float32, rounded to the output type, then
    /// times `weight`.
    public static func rmsNorm(
        _ x: MLXArray, weight: MLXArray, eps: Float, stream: StreamOrDevice = .default
    ) -> MLXArray {
        precondition(x.ndim > 0, "[rms_norm] Input must have at least 1 dimension but got input with 0 dimensions.")
        precondition(weight.ndim == 1, "[rms_norm] weight must have 1 dimension but has \(weight.ndim) dimensions.")
        precondition(weight.size == x.dim(-1), "[rms_norm] weight must have the same size as the last dimension of x but has \(weight.size) elements.")
        let outType = DType.promote(x.dtype, weight.dtype)
        precondition(outType.isFloatingPoint, "[rms_norm] Received unsupported type \(outType).")
        let d = x.dim(-1)
        let rows = d == 0 ? 0 : x.size / d
        let values = x.asType(.float32).floatBuffer
        let w = weight.asType(outType).asType(outType.storageKind == .float ? outType : .float32).floatBuffer
        let inverseCount = Float(1.0 / Double(d))
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { pv in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0 ..< rows {
                    let base = r * d
                    var sumSquares: Float = 0
                    for j in 0 ..< d { sumSquares += pv[base + j] * pv[base + j] }
                    let scale = 1 / (sumSquares * inverseCount + eps).squareRoot()
                    for j in 0 ..< d {
                        let normalized = roundFloat(pv[base + j] * scale, to: outType)
                        po[base + j] = roundFloat(normalized * w[j], to: outType)
                    }
                }
            }
        }
        if outType == .float64 {
            return MLXArray(floats: out, shape: x.shape).asType(.float64)
        }
        return MLXArray(storage: .float(out), shape: x.shape, dtype: outType)
    }

    /// (x - mean) · rsqrt(var + eps) over the last axis in float32, rounded to the output type,
    /// then times `weight` and plus `bias` when given.
    public static func layerNorm(
        _ x: MLXArray, weight: MLXArray? = nil, bias: MLXArray? = nil, eps: Float,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        precondition(x.ndim > 0, "[layer_norm] Input must have at least 1 dimension but got input with 0 dimensions.")
        let d = x.dim(-1)
        for (name, p) in [("weight", weight), ("bias", bias)] {
            if let p {
                precondition(p.ndim == 1, "[layer_norm] \(name) must have 1 dimension but has \(p.ndim) dimensions.")
                precondition(p.size == d, "[layer_norm] \(name) must have the same size as the last dimension of x but has \(p.size) elements.")
            }
        }
        var outType = x.dtype
        if let weight {
            outType = DType.promote(outType, weight.dtype)
            if let bias { outType = DType.promote(outType, bias.dtype) }
        }
        precondition(outType.isFloatingPoint, "[layer_norm] Received unsupported type \(outType).")
        let computeType = outType == .float64 ? DType.float32 : outType
        let rows = d == 0 ? 0 : x.size / d
        let values = x.asType(.float32).floatBuffer
        let w = weight?.asType(outType).asType(computeType).floatBuffer
        // like MLX, the bias only takes part in the output type when there is a weight
        let bb = bias?.asType(outType).asType(computeType).floatBuffer
        let inverseCount = Float(1.0 / Double(d))
        var out = [Float](repeating: 0, count: values.count)
        var centered = [Float](repeating: 0, count: d)
        for r in 0 ..< rows {
            let base = r * d
            var sum: Float = 0
            for j in 0 ..< d { sum += values[base + j] }
            let mean = sum * inverseCount
            var sumSquares: Float = 0
            for j in 0 ..< d {
                centered[j] = values[base + j] - mean
                sumSquares += centered[j] * centered[j]
            }
            let scale = 1 / (sumSquares * inverseCount + eps).squareRoot()
            for j in 0 ..< d {
                var y = roundFloat(centered[j] * scale, to: outType)
                if let w { y = roundFloat(y * w[j], to: outType) }
                if let bb { y = roundFloat(y + bb[j], to: outType) }
                out[base + j] = y
            }
        }
        return MLXArray(floats: out, shape: x.shape, dtype: computeType).asType(outType)
    }
}

public func RoPE(
    _ array: MLXArray, dimensions: Int, traditional: Bool, base: Float?, scale: Float, offset: Int,
    freqs: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.RoPE(
        array, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
        offset: offset, freqs: freqs, stream: stream)
}

public func RoPE(
    _ array: MLXArray, dimensions: Int, traditional: Bool, base: Float?, scale: Float,
    offset: MLXArray, freqs: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.RoPE(
        array, dimensions: dimensions, traditional: traditional, base: base, scale: scale,
        offset: offset, freqs: freqs, stream: stream)
}

public func scaledDotProductAttention(
    queries: MLXArray, keys: MLXArray, values: MLXArray, scale: Float, mask: MLXArray?,
    memoryEfficientThreshold: Int? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.scaledDotProductAttention(
        queries: queries, keys: keys, values: values, scale: scale, mask: mask,
        memoryEfficientThreshold: memoryEfficientThreshold, stream: stream)
}

public func rmsNorm(_ x: MLXArray, weight: MLXArray, eps: Float, stream: StreamOrDevice = .default)
    -> MLXArray
{
    MLXFast.rmsNorm(x, weight: weight, eps: eps, stream: stream)
}

public func layerNorm(
    _ x: MLXArray, weight: MLXArray? = nil, bias: MLXArray? = nil, eps: Float,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXFast.layerNorm(x, weight: weight, bias: bias, eps: eps, stream: stream)
}
