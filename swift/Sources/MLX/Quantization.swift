// Affine quantization: packing weights into uint32 words, dequantizing, and (gathered) matrix
// products against packed weights, with MLX's CPU rounding behaviour.
import Foundation

public enum QuantizationMode: String, Codable, Sendable {
    case affine
    case mxfp4
    case mxfp8
    case nvfp4
}

/// Default (groupSize, bits) per mode, as MLX defines them.
private func quantizationParameters(_ mode: QuantizationMode, _ groupSize: Int?, _ bits: Int?) -> (Int, Int) {
    precondition(
        mode == .affine,
        "[quantize] only the affine quantization mode is implemented by this backend, got \(mode)")
    return (groupSize ?? 64, bits ?? 4)
}

/// Unpack the `count` values of one row of little-endian `bits`-wide codes.
@inline(__always)
private func unpackRow(_ words: UnsafePointer<Int64>, count: Int, bits: Int, into out: UnsafeMutablePointer<Float>) {
    let mask = (UInt64(1) << UInt64(bits)) - 1
    for i in 0 ..< count {
        let bit = i * bits
        let word = bit >> 5
        let shift = UInt64(bit & 31)
        var v = UInt64(UInt32(truncatingIfNeeded: words[word])) >> shift
        if Int(shift) + bits > 32 {
            v |= UInt64(UInt32(truncatingIfNeeded: words[word + 1])) << (32 - shift)
        }
        out[i] = Float(v & mask)
    }
}

/// Quantize `w` along its last axis in groups: each group gets a scale and bias so that
/// `w ≈ scale * q + bias` with `q` in `0 ..< 2^bits`, packed little-endian into uint32 words.
public func quantized(
    _ w: MLXArray, groupSize: Int? = nil, bits: Int? = nil, mode: QuantizationMode = .affine,
    globalScale: MLXArray? = nil, stream: StreamOrDevice = .default
) -> (wq: MLXArray, scales: MLXArray, biases: MLXArray?) {
    let (groupSize, bits) = quantizationParameters(mode, groupSize, bits)
    precondition(globalScale == nil, "[quantize] globalScale is only used by the nvfp4 mode")
    precondition([32, 64, 128].contains(groupSize), "[quantize] The requested group size \(groupSize) is not supported. The supported group sizes are 32, 64, and 128.")
    precondition([2, 3, 4, 5, 6, 8].contains(bits), "[quantize] The requested number of bits \(bits) is not supported. The supported bits are 2, 3, 4, 5, 6 and 8.")
    precondition(w.dtype.isFloatingPoint, "[quantize] Only real floating types can be quantized but w has type \(w.dtype).")
    precondition(w.ndim >= 2, "[quantize] The matrix to be quantized must have at least 2 dimension but it has only \(w.ndim).")
    precondition(w.dim(-1) % groupSize == 0, "[quantize] The last dimension of the matrix needs to be divisible by the quantization group size \(groupSize). However the provided matrix has shape \(w.shape)")
    let values = w.asType(.float32).floatBuffer
    let groups = values.count / groupSize
    let nBins = Float((1 << bits) - 1)
    var scales = [Float](repeating: 0, count: groups)
    var biases = [Float](repeating: 0, count: groups)
    var packed = [UInt8](repeating: 0, count: values.count * bits / 8)
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
            let bit = (base + j) * bits
            let code = UInt32(q) << UInt32(bit & 7)
            packed[bit >> 3] |= UInt8(truncatingIfNeeded: code)
            if (bit & 7) + bits > 8 { packed[(bit >> 3) + 1] |= UInt8(truncatingIfNeeded: code >> 8) }
        }
        scales[g] = scale
        biases[g] = bias
    }
    var words = [Int64](repeating: 0, count: packed.count / 4)
    for i in 0 ..< words.count {
        words[i] = Int64(packed[4 * i]) | Int64(packed[4 * i + 1]) << 8 | Int64(packed[4 * i + 2]) << 16
            | Int64(packed[4 * i + 3]) << 24
    }
    var wqShape = w.shape
    wqShape[wqShape.count - 1] = w.dim(-1) * bits / 32
    var sShape = w.shape
    sShape[sShape.count - 1] = w.dim(-1) / groupSize
    return (
        MLXArray(storage: .int(words), shape: wqShape, dtype: .uint32),
        MLXArray(floats: scales, shape: sShape, dtype: .float32).asType(w.dtype),
        MLXArray(floats: biases, shape: sShape, dtype: .float32).asType(w.dtype)
    )
}

private func checkQuantizedInputs(
    _ op: String, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, groupSize: Int, bits: Int
) -> MLXArray {
    precondition(w.dtype == .uint32, "[\(op)] The weight matrix should be uint32 but received \(w.dtype)")
    guard let biases else {
        preconditionFailure("[\(op)] affine quantization requires biases")
    }
    precondition(scales.shape == biases.shape, "[\(op)] Scales and biases should have the same shape. Received scales with shape \(scales.shape) and biases with \(biases.shape).")
    precondition(w.ndim == scales.ndim, "[\(op)] Weight and scales should have the same number of dimensions.")
    precondition(
        w.dim(-1) * 32 / bits == scales.dim(-1) * groupSize,
        "[\(op)] The shapes of the weight and scales are incompatible based on bits and group_size. w.shape() == \(w.shape) and scales.shape() == \(scales.shape) with group_size=\(groupSize) and bits=\(bits)")
    return biases
}

/// Dequantized rows `scale * q + bias` (rounded in `dtype` after each op, as MLX does), shape
/// [rows, columns] for a packed [rows, columns * bits / 32] matrix.
private func dequantizeRows(
    words: [Int64], scales: [Float], biases: [Float], rows: Int, columns: Int, groupSize: Int,
    bits: Int, dtype: DType
) -> [Float] {
    var out = [Float](repeating: 0, count: rows * columns)
    let wordsPerRow = columns * bits / 32
    let groupsPerRow = columns / groupSize
    words.withUnsafeBufferPointer { pw in
        out.withUnsafeMutableBufferPointer { po in
            for r in 0 ..< rows {
                let row = po.baseAddress! + r * columns
                unpackRow(pw.baseAddress! + r * wordsPerRow, count: columns, bits: bits, into: row)
                for c in 0 ..< columns {
                    let g = r * groupsPerRow + c / groupSize
                    let scaled = roundFloat(scales[g] * row[c], to: dtype)
                    row[c] = roundFloat(scaled + biases[g], to: dtype)
                }
            }
        }
    }
    return out
}

public func dequantized(
    _ w: MLXArray, scales: MLXArray, biases: MLXArray?, groupSize: Int? = nil, bits: Int? = nil,
    mode: QuantizationMode = .affine, globalScale: MLXArray? = nil, dtype: DType? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (groupSize, bits) = quantizationParameters(mode, groupSize, bits)
    precondition(w.ndim >= 2, "[dequantize] The matrix to be dequantized must have at least 2 dimension but it has only \(w.ndim).")
    let biases = checkQuantizedInputs("dequantize", w, scales: scales, biases: biases, groupSize: groupSize, bits: bits)
    let computeType = scales.dtype
    let columns = w.dim(-1) * 32 / bits
    let rows = w.size / w.dim(-1)
    let values = dequantizeRows(
        words: w.intBuffer, scales: scales.asType(.float32).floatBuffer,
        biases: biases.asType(computeType).asType(.float32).floatBuffer, rows: rows, columns: columns,
        groupSize: groupSize, bits: bits, dtype: computeType)
    var shape = w.shape
    shape[shape.count - 1] = columns
    let result = MLXArray(floats: values, shape: shape, dtype: computeType == .float64 ? .float32 : computeType)
    return result.asType(dtype ?? computeType)
}

/// out[m, n] = Σ_k x[m, k] · W[n, k] (or W[k, n] when not transposed), accumulating in the
/// compute type with a rounding after every operation, like MLX's CPU quantized matmul.
private func quantizedProduct(
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

/// Shared core of quantizedMM and gatherQuantizedMM: output batch `i` multiplies x's matrix
/// `xIndex[i]` by quantized matrix `wIndex[i]`.
private func quantizedBatches(
    _ op: String, x: MLXArray, w: MLXArray, scales: MLXArray, biases: MLXArray?, xIndex: [Int],
    wIndex: [Int], batchShape: [Int], transpose: Bool, groupSize: Int, bits: Int
) -> MLXArray {
    let biases = checkQuantizedInputs(op, w, scales: scales, biases: biases, groupSize: groupSize, bits: bits)
    let dtype = DType.promote(x.dtype, scales.dtype)
    precondition(dtype.isFloatingPoint, "[\(op)] Only real floating types are supported but x.dtype() == \(x.dtype).")
    let computeType = dtype == .float64 ? DType.float32 : dtype
    let wRows = w.dim(-2)
    let wColumns = w.dim(-1) * 32 / bits
    let k = x.dim(-1)
    let m = x.dim(-2)
    let n = transpose ? wRows : wColumns
    precondition(
        (transpose ? wColumns : wRows) == k,
        "[\(op)] The shapes of the weight and input are incompatible: x.shape() == \(x.shape), w.shape() == \(w.shape), transpose=\(transpose)")
    let matrices = w.size / Swift.max(w.dim(-2) * w.dim(-1), 1)
    let dq = dequantizeRows(
        words: w.intBuffer, scales: scales.asType(dtype).asType(.float32).floatBuffer,
        biases: biases.asType(dtype).asType(.float32).floatBuffer, rows: matrices * wRows,
        columns: wColumns, groupSize: groupSize, bits: bits, dtype: computeType)
    let xs = x.asType(dtype).asType(computeType).floatBuffer
    var out = [Float](repeating: 0, count: xIndex.count * m * n)
    xs.withUnsafeBufferPointer { px in
        dq.withUnsafeBufferPointer { pw in
            out.withUnsafeMutableBufferPointer { po in
                for i in 0 ..< xIndex.count {
                    quantizedProduct(
                        x: px.baseAddress! + xIndex[i] * m * k, w: pw.baseAddress! + wIndex[i] * wRows * wColumns,
                        out: po.baseAddress! + i * m * n, m: m, n: n, k: k, transpose: transpose,
                        dtype: computeType)
                }
            }
        }
    }
    return MLXArray(floats: out, shape: batchShape + [m, n], dtype: computeType).asType(dtype)
}

/// `x @ dequantized(w)ᵀ` (or without the transpose) against affine-quantized weights.
public func quantizedMM(
    _ x: MLXArray, _ w: MLXArray, scales: MLXArray, biases: MLXArray?, transpose: Bool = true,
    groupSize: Int? = nil, bits: Int? = nil, mode: QuantizationMode = .affine,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (groupSize, bits) = quantizationParameters(mode, groupSize, bits)
    let x2 = x.ndim == 1 ? x.reshaped([1, x.dim(0)]) : x
    let xBatch = Array(x2.shape.dropLast(2))
    let wBatch = Array(w.shape.dropLast(2))
    let result: MLXArray
    if w.ndim <= 2 {
        // every row of x shares the single weight matrix
        let rows = x2.reshaped([1, -1, x2.dim(-1)])
        let r = quantizedBatches(
            "quantized_matmul", x: rows, w: w, scales: scales, biases: biases, xIndex: [0],
            wIndex: [0], batchShape: [], transpose: transpose, groupSize: groupSize, bits: bits)
        result = r.reshaped(Array(x2.shape.dropLast()) + [r.dim(-1)])
    } else {
        let batch = broadcastShapes(xBatch, wBatch, "quantized_matmul")
        let xIndex = stridedOffsets(shape: batch, strides: broadcastStrides(xBatch, to: batch))
        let wIndex = stridedOffsets(shape: batch, strides: broadcastStrides(wBatch, to: batch))
        result = quantizedBatches(
            "quantized_matmul", x: x2, w: w, scales: scales, biases: biases, xIndex: xIndex,
            wIndex: wIndex, batchShape: batch, transpose: transpose, groupSize: groupSize, bits: bits)
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
    let (groupSize, bits) = quantizationParameters(mode, groupSize, bits)
    if lhsIndices == nil && rhsIndices == nil {
        return quantizedMM(x, w, scales: scales, biases: biases, transpose: transpose, groupSize: groupSize, bits: bits, mode: mode)
    }
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
        batchShape: batch, transpose: transpose, groupSize: groupSize, bits: bits)
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
