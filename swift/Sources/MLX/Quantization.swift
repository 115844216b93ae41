// Quantization: packing weights into uint32 words (affine, mxfp4, mxfp8), dequantizing, and
// (gathered) matrix products against packed weights, with MLX's CPU rounding behaviour.
import Foundation

public enum QuantizationMode: String, Codable, Sendable {
    case affine
    case mxfp4
    case mxfp8
    case nvfp4
}

/// (groupSize, bits) for `mode`, with MLX's defaults filled in. The microscaled formats have one
/// legal pair each; nvfp4 (fp8 scales plus a global scale) is refused rather than approximated.
private func quantizationParameters(
    _ op: String, _ mode: QuantizationMode, _ groupSize: Int?, _ bits: Int?
) -> (Int, Int) {
    switch mode {
    case .affine:
        return (groupSize ?? 64, bits ?? 4)
    case .mxfp4, .mxfp8:
        let required = mode == .mxfp4 ? 4 : 8
        let g = groupSize ?? 32
        let b = bits ?? required
        precondition(g == 32, "[\(op)] \(mode.rawValue) quantization requires group size 32 but got \(g).")
        precondition(b == required, "[\(op)] \(mode.rawValue) quantization requires bits to be \(required) but got \(b).")
        return (g, b)
    case .nvfp4:
        preconditionFailure(
            "[\(op)] nvfp4 quantization is not implemented by this reference backend (affine, mxfp4 and mxfp8 are).")
    }
}

// MARK: - Code tables

/// e2m1 values by 4-bit code: bit 3 is the sign (so code 8 is -0).
private let fp4Values: [Float] = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6]

/// e4m3 value of an 8-bit code as MLX decodes it: the low seven bits read as a half-precision
/// number shifted into place, times 256 (so 0x7F is 480, not NaN), bit 7 the sign.
private func fp8Value(_ code: UInt8) -> Float {
    let exponent = Int((code >> 3) & 15)
    let mantissa = Float(code & 7)
    let magnitude: Float =
        exponent == 0
        ? mantissa * Float(sign: .plus, exponent: -9, significand: 1)
        : (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
    return code & 128 != 0 ? -magnitude : magnitude
}

private let fp8Values: [Float] = (0 ..< 256).map { fp8Value(UInt8($0)) }

/// The e4m3 code of a float, by MLX's bit-level conversion: round to nearest even, values at
/// or beyond 464 saturate to 448 (0x7E), small values go through a denormal magic add.
private func fp8Code(_ f: Float) -> UInt8 {
    var bits = f.bitPattern
    let sign = bits & 0x8000_0000
    bits ^= sign
    let denormMagic: UInt32 = 141 << 23
    var result: UInt8
    if bits < 121 << 23 {
        let low = (Float(bitPattern: bits) + Float(bitPattern: denormMagic)).bitPattern
        result = UInt8(truncatingIfNeeded: low &- denormMagic)
    } else {
        let odd = (bits >> 20) & 1
        let high = bits &+ (UInt32(bitPattern: Int32(7 - 127) << 23) &+ 0x7FFFF) &+ odd
        result = UInt8(truncatingIfNeeded: high >> 20)
    }
    if bits >= 543 << 21 { result = 0x7E }
    return result | UInt8(truncatingIfNeeded: sign >> 24)
}

/// The value each code of `mode` stands for before scaling (affine: the integer itself).
private func codeValues(_ mode: QuantizationMode, bits: Int) -> [Float] {
    switch mode {
    case .affine: return (0 ..< (1 << bits)).map { Float($0) }
    case .mxfp4: return fp4Values
    case .mxfp8: return fp8Values
    case .nvfp4: preconditionFailure("[quantize] nvfp4 is not implemented by this reference backend")
    }
}

/// An e8m0 group scale (2^(s - 127)) as the CPU kernels read it: through a bfloat16 bit pattern,
/// where s = 0 becomes the subnormal 2^-127 and s = 255 infinity.
@inline(__always)
private func e8m0Scale(_ s: Int64) -> Float {
    let bf16Bits: UInt32 = s == 0 ? 0x40 : UInt32(truncatingIfNeeded: s) << 7
    return Float(bitPattern: bf16Bits << 16)
}

/// The floating types the quantized CPU kernels are written for.
private func checkKernelType(_ op: String, _ dtype: DType) {
    precondition(
        dtype == .float32 || dtype == .float16 || dtype == .bfloat16,
        "[\(op)] only float32, float16 and bfloat16 are supported but got \(dtype).")
}

// MARK: - Packing

/// Unpack the `count` little-endian `bits`-wide codes of one row and look up their values.
@inline(__always)
private func unpackRow(
    _ words: UnsafePointer<Int64>, count: Int, bits: Int, table: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>
) {
    let mask = (UInt64(1) << UInt64(bits)) - 1
    for i in 0 ..< count {
        let bit = i * bits
        let word = bit >> 5
        let shift = UInt64(bit & 31)
        var v = UInt64(UInt32(truncatingIfNeeded: words[word])) >> shift
        if Int(shift) + bits > 32 {
            v |= UInt64(UInt32(truncatingIfNeeded: words[word + 1])) << (32 - shift)
        }
        out[i] = table[Int(v & mask)]
    }
}

/// The codes of every row of a packed matrix batch, as values (see ``codeValues(_:bits:)``).
private func unpackCodes(_ w: MLXArray, columns: Int, bits: Int, mode: QuantizationMode) -> [Float] {
    let words = w.intBuffer
    let rows = w.size / Swift.max(w.dim(-1), 1)
    let wordsPerRow = columns * bits / 32
    let table = codeValues(mode, bits: bits)
    var out = [Float](repeating: 0, count: rows * columns)
    words.withUnsafeBufferPointer { pw in
        table.withUnsafeBufferPointer { pt in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0 ..< rows {
                    unpackRow(
                        pw.baseAddress! + r * wordsPerRow, count: columns, bits: bits, table: pt.baseAddress!,
                        into: po.baseAddress! + r * columns)
                }
            }
        }
    }
    return out
}

/// Pack codes little-endian into uint32 words, `bits` each, as one continuous bit stream (for 3,
/// 5 and 6 bits MLX writes bytes, which is the same stream).
private func packCodes(_ codes: [UInt8], bits: Int) -> [Int64] {
    var packed = [UInt8](repeating: 0, count: codes.count * bits / 8)
    for (i, c) in codes.enumerated() {
        let bit = i * bits
        let code = UInt32(c) << UInt32(bit & 7)
        packed[bit >> 3] |= UInt8(truncatingIfNeeded: code)
        if (bit & 7) + bits > 8 { packed[(bit >> 3) + 1] |= UInt8(truncatingIfNeeded: code >> 8) }
    }
    var words = [Int64](repeating: 0, count: packed.count / 4)
    for i in 0 ..< words.count {
        words[i] = Int64(packed[4 * i]) | Int64(packed[4 * i + 1]) << 8 | Int64(packed[4 * i + 2]) << 16
            | Int64(packed[4 * i + 3]) << 24
    }
    return words
}

// MARK: - quantized

/// Affine groups: each gets a scale and bias so that `w ≈ scale * q + bias` with `q` in
/// `0 ..< 2^bits`; computed in float32 and rounded to `w`'s dtype only when stored.
private func affineCodes(_ values: [Float], groupSize: Int, bits: Int) -> ([UInt8], [Float], [Float]) {
    let groups = values.count / groupSize
    let nBins = Float((1 << bits) - 1)
    var codes = [UInt8](repeating: 0, count: values.count)
    var scales = [Float](repeating: 0, count: groups)
    var biases = [Float](repeating: 0, count: groups)
    for g in 0 ..< groups {
        let base = g * groupSize
        var wMin = Float.infinity
        var wMax = -Float.infinity
        for j in 0 ..< groupSize {
            wMax = Swift.max(wMax, values[base + j])
            wMin = Swift.min(wMin, values[base + j])
        }
        let mask = Swift.abs(wMin) > Swift.abs(wMax)
        var scale = Swift.max((wMax - wMin) / nBins, 1e-7)
        scale = mask ? scale : -scale
        let edge = mask ? wMin : wMax
        let q0 = (edge / scale).rounded(.toNearestOrEven)
        var bias: Float = 0
        if q0 != 0 {
            scale = edge / q0
            bias = edge
        }
        for j in 0 ..< groupSize {
            var q = ((values[base + j] - bias) / scale).rounded(.toNearestOrEven)
            q = Swift.min(Swift.max(q, 0), nBins)
            codes[base + j] = UInt8(q)
        }
        scales[g] = scale
        biases[g] = bias
    }
    return (codes, scales, biases)
}

/// Microscaled groups (MLX's composed CPU path, each step rounded to `dtype`): the shared scale
/// is 2^ceil(log2(max|w| / maxval)), so no element overflows the format, stored as its biased
/// exponent; each element divided by it becomes the nearest fp4 value (ties to the smaller code)
/// or its fp8 code.
private func microscaledCodes(
    _ values: [Float], groupSize: Int, mode: QuantizationMode, dtype: DType
) -> ([UInt8], [Int64]) {
    let groups = values.count / groupSize
    let maxValue: Float = mode == .mxfp4 ? 6 : 448
    let lut = fp4Values.map { roundFloat($0, to: dtype) }
    var codes = [UInt8](repeating: 0, count: values.count)
    var scaleCodes = [Int64](repeating: 0, count: groups)
    for g in 0 ..< groups {
        let base = g * groupSize
        var maxAbs: Float = 0
        for j in 0 ..< groupSize { maxAbs = Swift.max(maxAbs, Swift.abs(values[base + j])) }
        let scale = roundFloat(maxAbs / maxValue, to: dtype)
        var exponent: Float = 0
        if scale != 0 {
            let log2Scale = roundFloat(Foundation.log2(scale), to: dtype)
            exponent = roundFloat(Float(Int32(log2Scale.rounded(.up))), to: dtype)
        }
        let power = roundFloat(Float(sign: .plus, exponent: Int(exponent), significand: 1), to: dtype)
        for j in 0 ..< groupSize {
            let w = roundFloat(values[base + j] / power, to: dtype)
            if mode == .mxfp8 {
                codes[base + j] = fp8Code(w)
            } else {
                var best = 0
                var bestDistance = Float.infinity
                for (i, v) in lut.enumerated() {
                    let d = Swift.abs(roundFloat(w - v, to: dtype))
                    if d < bestDistance {
                        bestDistance = d
                        best = i
                    }
                }
                codes[base + j] = UInt8(best)
            }
        }
        let biased = roundFloat(exponent + 127, to: dtype)
        scaleCodes[g] = Int64(UInt8(truncatingIfNeeded: Int32(biased)))
    }
    return (codes, scaleCodes)
}

/// Quantize `w` along its last axis in groups of `groupSize`, packing the codes into uint32 words.
/// Affine returns float scales and biases in `w`'s dtype; mxfp4/mxfp8 return uint8 exponent
/// scales and no biases.
public func quantized(
    _ w: MLXArray, groupSize: Int? = nil, bits: Int? = nil, mode: QuantizationMode = .affine,
    globalScale: MLXArray? = nil, stream: StreamOrDevice = .default
) -> (wq: MLXArray, scales: MLXArray, biases: MLXArray?) {
    let (groupSize, bits) = quantizationParameters("quantize", mode, groupSize, bits)
    precondition(w.dtype.isFloatingPoint, "[quantize] Only real floating types can be quantized but w has type \(w.dtype).")
    precondition(w.ndim >= 2, "[quantize] The matrix to be quantized must have at least 2 dimension but it has only \(w.ndim).")
    precondition(w.dim(-1) % groupSize == 0, "[quantize] The last dimension of the matrix needs to be divisible by the quantization group size \(groupSize). However the provided matrix has shape \(w.shape)")
    precondition(globalScale == nil, "[quantize] Global scale is only supported for nvfp4 quantization.")
    var wqShape = w.shape
    wqShape[wqShape.count - 1] = w.dim(-1) * bits / 32
    var sShape = w.shape
    sShape[sShape.count - 1] = w.dim(-1) / groupSize

    if mode != .affine {
        checkKernelType("quantize", w.dtype)
        let (codes, scaleCodes) = microscaledCodes(
            w.asType(.float32).floatBuffer, groupSize: groupSize, mode: mode, dtype: w.dtype)
        return (
            MLXArray(storage: .int(packCodes(codes, bits: bits)), shape: wqShape, dtype: .uint32),
            MLXArray(storage: .int(scaleCodes), shape: sShape, dtype: .uint8), nil
        )
    }
    precondition([32, 64, 128].contains(groupSize), "[quantize] The requested group size \(groupSize) is not supported. The supported group sizes are 32, 64, and 128.")
    precondition([2, 3, 4, 5, 6, 8].contains(bits), "[quantize] The requested number of bits \(bits) is not supported. The supported bits are 2, 3, 4, 5, 6 and 8.")
    let (codes, scales, biases) = affineCodes(w.asType(.float32).floatBuffer, groupSize: groupSize, bits: bits)
    return (
        MLXArray(storage: .int(packCodes(codes, bits: bits)), shape: wqShape, dtype: .uint32),
        MLXArray(floats: scales, shape: sShape, dtype: .float32).asType(w.dtype),
        MLXArray(floats: biases, shape: sShape, dtype: .float32).asType(w.dtype)
    )
}

// MARK: - dequantized

/// MLX's argument checks shared by the quantized ops; returns the affine biases (nil otherwise).
private func checkQuantizedInputs(
    _ op: String, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, groupSize: Int, bits: Int,
    mode: QuantizationMode
) -> MLXArray? {
    precondition(w.dtype == .uint32, "[\(op)] The weight matrix should be uint32 but received \(w.dtype)")
    if mode == .affine {
        guard let biases else { preconditionFailure("[\(op)] Biases must be provided for affine quantization.") }
        precondition(scales.shape == biases.shape, "[\(op)] Scales and biases should have the same shape. Received scales with shape \(scales.shape) and biases with \(biases.shape).")
    } else {
        precondition(scales.dtype == .uint8, "[\(op)] Scale type must be uint8 but received type \(scales.dtype).")
        precondition(biases == nil, "[\(op)] Biases must be null for quantization mode '\(mode.rawValue)'.")
    }
    precondition(w.ndim == scales.ndim, "[\(op)] Weight and scales should have the same number of dimensions.")
    precondition(
        Array(w.shape.dropLast(2)) == Array(scales.shape.dropLast(2)),
        "[\(op)] Weight and scales should have the same batch shape. Received weight with shape \(w.shape), scales with \(scales.shape).")
    precondition(
        w.dim(-1) * 32 / bits == scales.dim(-1) * groupSize,
        "[\(op)] The shapes of the weight and scales are incompatible based on bits and group_size. w.shape() == \(w.shape) and scales.shape() == \(scales.shape) with group_size=\(groupSize) and bits=\(bits)")
    return biases
}

/// Affine rows `scale * q + bias` for code values `q` laid out [rows, columns], rounded as MLX's
/// composed CPU path rounds: the product in the scales' type, the sum in `sumType`.
private func affineDequantize(
    codes: [Float], scales: [Float], biases: [Float], columns: Int, groupSize: Int, scaleType: DType,
    sumType: DType
) -> [Float] {
    let groupsPerRow = columns / groupSize
    var out = codes
    for i in 0 ..< out.count {
        let g = (i / columns) * groupsPerRow + (i % columns) / groupSize
        out[i] = roundFloat(roundFloat(scales[g] * out[i], to: scaleType) + biases[g], to: sumType)
    }
    return out
}

/// Recover floating point weights: affine `scale * q + bias` in the scales' dtype (or `dtype`),
/// microscaled `value * 2^(s - 127)` in `dtype`, bfloat16 by default (MLX's choice).
public func dequantized(
    _ w: MLXArray, scales: MLXArray, biases: MLXArray?, groupSize: Int? = nil, bits: Int? = nil,
    mode: QuantizationMode = .affine, globalScale: MLXArray? = nil, dtype: DType? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (groupSize, bits) = quantizationParameters("dequantize", mode, groupSize, bits)
    precondition(w.ndim >= 2, "[dequantize] The matrix to be dequantized must have at least 2 dimension but it has only \(w.ndim).")
    precondition(globalScale == nil, "[dequantize] Global scale is only supported for nvfp4 quantization.")
    if let dtype {
        precondition(dtype.isFloatingPoint, "[dequantize] Only real floating types are supported but output dtype == \(dtype).")
    }
    let biases = checkQuantizedInputs(
        "dequantize", w, scales: scales, biases: biases, groupSize: groupSize, bits: bits, mode: mode)
    let columns = w.dim(-1) * 32 / bits
    var shape = w.shape
    shape[shape.count - 1] = columns
    let codes = unpackCodes(w, columns: columns, bits: bits, mode: mode)

    if let biases {
        // q * scales in the scales' type, + biases in the promoted type, then cast to `dtype`
        let computeType = DType.promote(scales.dtype, biases.dtype)
        let storeType = computeType == .float64 ? DType.float32 : computeType
        let values = affineDequantize(
            codes: codes, scales: scales.asType(.float32).floatBuffer, biases: biases.asType(.float32).floatBuffer,
            columns: columns, groupSize: groupSize, scaleType: scales.dtype, sumType: storeType)
        return MLXArray(floats: values, shape: shape, dtype: storeType).asType(dtype ?? computeType)
    }
    let outType = dtype ?? .bfloat16
    let computeType = outType == .float64 ? DType.float32 : outType
    let exponents = scales.intBuffer
    var values = codes
    for i in 0 ..< values.count {
        let s = exponents[i / groupSize]
        let power = roundFloat(Float(sign: .plus, exponent: Int(s) - 127, significand: 1), to: computeType)
        values[i] = roundFloat(roundFloat(values[i], to: computeType) * power, to: computeType)
    }
    return MLXArray(floats: values, shape: shape, dtype: computeType).asType(outType)
}

// MARK: - Products

/// out[m, n] = Σ_k x[m, k] · W[n, k] (or W[k, n] when not transposed) over dequantized affine
/// weights, accumulating in the compute type with a rounding after every operation, like MLX's
/// CPU quantized matmul (whose x86 build has no SIMD path).
private func affineProduct(
    x: UnsafePointer<Float>, w: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, m: Int,
    n: Int, k: Int, transpose: Bool, dtype: DType
) {
    let half = dtype == .bfloat16 || dtype == .float16
    for i in 0 ..< m {
        let xRow = x + i * k
        for j in 0 ..< n {
            var sum: Float = 0
            if transpose {
                let wRow = w + j * k
                if half {
                    for p in 0 ..< k { sum = roundFloat(sum + roundFloat(xRow[p] * wRow[p], to: dtype), to: dtype) }
                } else {
                    for p in 0 ..< k { sum += xRow[p] * wRow[p] }
                }
            } else {
                if half {
                    for p in 0 ..< k { sum = roundFloat(sum + roundFloat(xRow[p] * w[p * n + j], to: dtype), to: dtype) }
                } else {
                    for p in 0 ..< k { sum += xRow[p] * w[p * n + j] }
                }
            }
            out[i * n + j] = sum
        }
    }
}

/// The microscaled kernels. Transposed, each group's products are summed first and the group sum
/// is scaled (`sum += scale * Σ x·v`); otherwise each product is scaled (`out += x·scale·v`).
/// Every operation is rounded to `dtype`.
private func microscaledProduct(
    x: UnsafePointer<Float>, values: UnsafePointer<Float>, scales: UnsafePointer<Float>,
    out: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, groupSize: Int, transpose: Bool,
    dtype: DType
) {
    @inline(__always) func r(_ v: Float) -> Float { roundFloat(v, to: dtype) }
    for i in 0 ..< m {
        let xRow = x + i * k
        let outRow = out + i * n
        if transpose {
            let groups = k / groupSize
            for j in 0 ..< n {
                var sum: Float = 0
                for g in 0 ..< groups {
                    var groupSum: Float = 0
                    for p in g * groupSize ..< (g + 1) * groupSize {
                        groupSum = r(groupSum + r(xRow[p] * values[j * k + p]))
                    }
                    sum = r(sum + r(scales[j * groups + g] * groupSum))
                }
                outRow[j] = sum
            }
        } else {
            let groups = n / groupSize
            for j in 0 ..< n { outRow[j] = 0 }
            for p in 0 ..< k {
                let xi = xRow[p]
                for j in 0 ..< n {
                    let scaled = r(r(xi * scales[p * groups + j / groupSize]) * values[p * n + j])
                    outRow[j] = r(outRow[j] + scaled)
                }
            }
        }
    }
}

/// Shared core of quantizedMM and gatherQuantizedMM: output batch `i` multiplies x's matrix
/// `xIndex[i]` by quantized matrix `wIndex[i]`.
private func quantizedBatches(
    _ op: String, x: MLXArray, w: MLXArray, scales: MLXArray, biases: MLXArray?, xIndex: [Int],
    wIndex: [Int], batchShape: [Int], transpose: Bool, groupSize: Int, bits: Int,
    mode: QuantizationMode
) -> MLXArray {
    let biases = checkQuantizedInputs(
        op, w, scales: scales, biases: biases, groupSize: groupSize, bits: bits, mode: mode)
    // affine promotes x with the scales and biases; the microscaled kernels run in x's type
    let dtype = biases.map { DType.promote(x.dtype, DType.promote(scales.dtype, $0.dtype)) } ?? x.dtype
    precondition(dtype.isFloatingPoint, "[\(op)] Only real floating types are supported but x.dtype() == \(x.dtype).")
    if mode != .affine { checkKernelType(op, dtype) }
    let computeType = dtype == .float64 ? DType.float32 : dtype
    let wRows = w.dim(-2)
    let wColumns = w.dim(-1) * 32 / bits
    let k = x.dim(-1)
    let m = x.dim(-2)
    let n = transpose ? wRows : wColumns
    precondition(
        (transpose ? wColumns : wRows) == k,
        "[\(op)] Last dimension of first input with shape (..., \(k)) does not match the expanded quantized matrix (\(transpose ? wColumns : wRows), \(n)) computed from shape \(w.shape) with group_size=\(groupSize), bits=\(bits) and transpose=\(transpose)")
    let matrixSize = wRows * wColumns
    let groupCount = wRows * (wColumns / groupSize)
    let codes = unpackCodes(w, columns: wColumns, bits: bits, mode: mode)
    let xs = x.asType(dtype).asType(computeType).floatBuffer
    var out = [Float](repeating: 0, count: xIndex.count * m * n)
    if let biases {
        let dq = affineDequantize(
            codes: codes, scales: scales.asType(dtype).asType(.float32).floatBuffer,
            biases: biases.asType(dtype).asType(.float32).floatBuffer, columns: wColumns,
            groupSize: groupSize, scaleType: computeType, sumType: computeType)
        xs.withUnsafeBufferPointer { px in
            dq.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0 ..< xIndex.count {
                        affineProduct(
                            x: px.baseAddress! + xIndex[i] * m * k, w: pw.baseAddress! + wIndex[i] * matrixSize,
                            out: po.baseAddress! + i * m * n, m: m, n: n, k: k, transpose: transpose,
                            dtype: computeType)
                    }
                }
            }
        }
    } else {
        let values = codes.map { roundFloat($0, to: computeType) }
        let groupScales = scales.intBuffer.map { roundFloat(e8m0Scale($0), to: computeType) }
        xs.withUnsafeBufferPointer { px in
            values.withUnsafeBufferPointer { pv in
                groupScales.withUnsafeBufferPointer { ps in
                    out.withUnsafeMutableBufferPointer { po in
                        for i in 0 ..< xIndex.count {
                            microscaledProduct(
                                x: px.baseAddress! + xIndex[i] * m * k, values: pv.baseAddress! + wIndex[i] * matrixSize,
                                scales: ps.baseAddress! + wIndex[i] * groupCount, out: po.baseAddress! + i * m * n,
                                m: m, n: n, k: k, groupSize: groupSize, transpose: transpose, dtype: computeType)
                        }
                    }
                }
            }
        }
    }
    return MLXArray(floats: out, shape: batchShape + [m, n], dtype: computeType).asType(dtype)
}

/// `x @ dequantized(w)ᵀ` (or without the transpose) against quantized weights. As in MLX, batch
/// axes broadcast only when both `x` and `w` have them; otherwise the output has `x`'s shape and a
/// batched `w` contributes its first matrix.
public func quantizedMM(
    _ x: MLXArray, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, transpose: Bool = true,
    groupSize: Int? = nil, bits: Int? = nil, mode: QuantizationMode = .affine,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (groupSize, bits) = quantizationParameters("quantized_matmul", mode, groupSize, bits)
    let x2 = x.ndim == 1 ? x.reshaped([1, x.dim(0)]) : x
    let result: MLXArray
    if x2.ndim > 2 && w.ndim > 2 {
        let xBatch = Array(x2.shape.dropLast(2))
        let wBatch = Array(w.shape.dropLast(2))
        let batch = broadcastShapes(xBatch, wBatch, "quantized_matmul")
        let xIndex = stridedOffsets(shape: batch, strides: broadcastStrides(xBatch, to: batch))
        let wIndex = stridedOffsets(shape: batch, strides: broadcastStrides(wBatch, to: batch))
        result = quantizedBatches(
            "quantized_matmul", x: x2, w: w, scales: scales, biases: biases, xIndex: xIndex,
            wIndex: wIndex, batchShape: batch, transpose: transpose, groupSize: groupSize, bits: bits,
            mode: mode)
    } else {
        // every row of x meets the same (first) weight matrix
        let rows = x2.reshaped([1, -1, x2.dim(-1)])
        let r = quantizedBatches(
            "quantized_matmul", x: rows, w: w, scales: scales, biases: biases, xIndex: [0],
            wIndex: [0], batchShape: [], transpose: transpose, groupSize: groupSize, bits: bits,
            mode: mode)
        result = r.reshaped(Array(x2.shape.dropLast()) + [r.dim(-1)])
    }
    return x.ndim == 1 ? result.reshaped(Array(result.shape.dropFirst(result.ndim - 1))) : result
}

@available(*, deprecated, renamed: "quantizedMM(_:_:scales:biases:transpose:groupSize:bits:mode:stream:)")
public func quantizedMatmul(
    _ x: MLXArray, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, transpose: Bool = true,
    groupSize: Int? = nil, bits: Int? = nil, mode: QuantizationMode = .affine,
    stream: StreamOrDevice = .default
) -> MLXArray {
    quantizedMM(x, w, scales: scales, biases: biases, transpose: transpose, groupSize: groupSize, bits: bits, mode: mode)
}

/// Like ``gatherMM(_:_:lhsIndices:rhsIndices:sortedIndices:stream:)`` with a quantized `w`
/// ([experts, out, in·bits/32] when transposed).
public func gatherQuantizedMM(
    _ x: MLXArray, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, lhsIndices: MLXArray? = nil,
    rhsIndices: MLXArray? = nil, transpose: Bool = true, groupSize: Int? = nil, bits: Int? = nil,
    mode: QuantizationMode = .affine, sortedIndices: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    if lhsIndices == nil && rhsIndices == nil {
        return quantizedMM(x, w, scales: scales, biases: biases, transpose: transpose, groupSize: groupSize, bits: bits, mode: mode)
    }
    let (groupSize, bits) = quantizationParameters("gather_qmm", mode, groupSize, bits)
    precondition(x.ndim >= 2 && w.ndim >= 2, "[gather_qmm] inputs must have at least two dimensions, got \(x.shape) and \(w.shape)")
    let lhs = lhsIndices ?? arange(x.size / (x.dim(-2) * x.dim(-1)), dtype: .uint32).reshaped(Array(x.shape.dropLast(2)))
    let rhs = rhsIndices ?? arange(w.size / (w.dim(-2) * w.dim(-1)), dtype: .uint32).reshaped(Array(w.shape.dropLast(2)))
    let batch = broadcastShapes(lhs.shape, rhs.shape, "gather_qmm")
    let xIndex = lhs.broadcasted(to: batch).indexBuffer
    let wIndex = rhs.broadcasted(to: batch).indexBuffer
    let xCount = x.size / (x.dim(-2) * x.dim(-1))
    let wCount = w.size / (w.dim(-2) * w.dim(-1))
    for i in xIndex { precondition(i >= 0 && i < xCount, "[gather_qmm] lhs index \(i) out of range for \(xCount) matrices") }
    for i in wIndex { precondition(i >= 0 && i < wCount, "[gather_qmm] rhs index \(i) out of range for \(wCount) matrices") }
    return quantizedBatches(
        "gather_qmm", x: x, w: w, scales: scales, biases: biases, xIndex: xIndex, wIndex: wIndex,
        batchShape: batch, transpose: transpose, groupSize: groupSize, bits: bits, mode: mode)
}

@available(*, deprecated, renamed: "gatherQuantizedMM(_:_:scales:biases:lhsIndices:rhsIndices:transpose:groupSize:bits:mode:sortedIndices:stream:)")
public func gatherQuantizedMatmul(
    _ x: MLXArray, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, lhsIndices: MLXArray? = nil,
    rhsIndices: MLXArray? = nil, transpose: Bool = true, groupSize: Int? = nil, bits: Int? = nil,
    mode: QuantizationMode = .affine, sortedIndices: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    gatherQuantizedMM(
        x, w, scales: scales, biases: biases, lhsIndices: lhsIndices, rhsIndices: rhsIndices,
        transpose: transpose, groupSize: groupSize, bits: bits, mode: mode, sortedIndices: sortedIndices)
}
