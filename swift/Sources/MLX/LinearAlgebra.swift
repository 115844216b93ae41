// Matrix products: matmul (batched, broadcasting), addMM, gatherMM, inner and outer.
import Foundation

/// C[M,N] (+)= A[M,K] · B[K,N] for row-major blocks. Each output accumulates over k in order,
/// in float32, like MLX's CPU gemm for half types (and like a plain BLAS dot for float32).
private func gemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int
) {
    for i in 0 ..< m {
        let row = c + i * n
        for j in 0 ..< n { row[j] = 0 }
        let aRow = a + i * k
        for p in 0 ..< k {
            let aip = aRow[p]
            let bRow = b + p * n
            for j in 0 ..< n {
                row[j] += aip * bRow[j]
            }
        }
    }
}

private func gemm(
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
    m: Int, n: Int, k: Int
) {
    for i in 0 ..< m {
        let row = c + i * n
        for j in 0 ..< n { row[j] = 0 }
        for p in 0 ..< k {
            let aip = a[i * k + p]
            let bRow = b + p * n
            for j in 0 ..< n {
                row[j] += aip * bRow[j]
            }
        }
    }
}

/// Batched products of `a` [batchA..., M, K] and `b` [batchB..., K, N]: output batch `i` multiplies
/// a's flattened batch `aIndex[i]` with b's flattened batch `bIndex[i]`. `addend` (already
/// broadcast to the output shape, in the output dtype) enables `alpha * AB + beta * C`.
private func batchedProduct(
    _ a: MLXArray, _ b: MLXArray, aIndex: [Int], bIndex: [Int], outShape: [Int], dtype: DType,
    addend: MLXArray? = nil, alpha: Float = 1, beta: Float = 1
) -> MLXArray {
    let m = a.dim(-2), k = a.dim(-1), n = b.dim(-1)
    let batches = aIndex.count
    let ac = a.asType(dtype)
    let bc = b.asType(dtype)
    if dtype == .float64 {
        let x = ac.doubleBuffer, y = bc.doubleBuffer
        var out = [Double](repeating: 0, count: batches * m * n)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0 ..< batches {
                        gemm(
                            px.baseAddress! + aIndex[i] * m * k, py.baseAddress! + bIndex[i] * k * n,
                            po.baseAddress! + i * m * n, m: m, n: n, k: k)
                    }
                }
            }
        }
        if let addend {
            let c = addend.doubleBuffer
            for i in 0 ..< out.count { out[i] = Double(alpha) * out[i] + Double(beta) * c[i] }
        }
        return MLXArray(storage: .double(out), shape: outShape, dtype: dtype)
    }
    let x = ac.floatBuffer, y = bc.floatBuffer
    var out = [Float](repeating: 0, count: batches * m * n)
    if m > 0 && n > 0 && k > 0 {
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0 ..< batches {
                        gemm(
                            px.baseAddress! + aIndex[i] * m * k, py.baseAddress! + bIndex[i] * k * n,
                            po.baseAddress! + i * m * n, m: m, n: n, k: k)
                    }
                }
            }
        }
    }
    if let addend {
        let c = addend.floatBuffer
        out.withUnsafeMutableBufferPointer { po in
            for i in 0 ..< po.count { po[i] = alpha * po[i] + beta * c[i] }
        }
    } else if alpha != 1 {
        out.withUnsafeMutableBufferPointer { po in
            for i in 0 ..< po.count { po[i] = alpha * po[i] }
        }
    }
    roundInPlace(&out, to: dtype)
    return MLXArray(storage: .float(out), shape: outShape, dtype: dtype)
}

/// Index of each broadcast batch element within an operand's own (flattened) batch.
private func batchIndices(_ batchShape: [Int], to outBatch: [Int]) -> [Int] {
    stridedOffsets(shape: outBatch, strides: broadcastStrides(batchShape, to: outBatch, "matmul"))
}

private func checkedProductType(_ op: String, _ types: DType...) -> DType {
    let dtype = types.dropFirst().reduce(types[0]) { DType.promote($0, $1) }
    precondition(
        dtype.isFloatingPoint && dtype != .complex64,
        "[\(op)] Only real floating point types are supported but \(types) were provided which results in \(dtype).")
    return dtype
}

/// Matrix product with numpy semantics: batch dims broadcast; a 1-D operand is treated as a row
/// (left) or column (right) vector and that axis is removed from the result.
public func matmul(_ a: MLXArray, _ b: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    precondition(a.ndim > 0 && b.ndim > 0, "[matmul] Got 0 dimension input. Inputs must have at least one dimension.")
    let dtype = checkedProductType("matmul", a.dtype, b.dtype)
    let a2 = a.ndim == 1 ? a.reshaped([1, a.dim(0)]) : a
    let b2 = b.ndim == 1 ? b.reshaped([b.dim(0), 1]) : b
    precondition(
        a2.dim(-1) == b2.dim(-2),
        "[matmul] Last dimension of first input with shape \(a.shape) must match second to last dimension of second input with shape \(b.shape).")
    let aBatch = Array(a2.shape.dropLast(2))
    let bBatch = Array(b2.shape.dropLast(2))
    let outBatch = broadcastShapes(aBatch, bBatch, "matmul")
    var outShape = outBatch + [a2.dim(-2), b2.dim(-1)]
    let result = batchedProduct(
        a2, b2, aIndex: batchIndices(aBatch, to: outBatch), bIndex: batchIndices(bBatch, to: outBatch),
        outShape: outShape, dtype: dtype)
    if a.ndim == 1 || b.ndim == 1 {
        if b.ndim == 1 { outShape.removeLast() }
        if a.ndim == 1 { outShape.remove(at: outShape.count - (b.ndim == 1 ? 1 : 2)) }
        return result.reshaped(outShape)
    }
    return result
}

extension MLXArray {
    public func matmul(_ other: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
        MLX.matmul(self, other, stream: stream)
    }
}

/// `alpha * (a @ b) + beta * c` with a single rounding at the end (MLX's fused kernel).
public func addMM(
    _ c: some ScalarOrArray, _ a: some ScalarOrArray, _ b: some ScalarOrArray, alpha: Float = 1.0,
    beta: Float = 1.0, stream: StreamOrDevice = .default
) -> MLXArray {
    let a = a.asMLXArray(dtype: nil)
    let b = b.asMLXArray(dtype: nil)
    let c = c.asMLXArray(dtype: nil)
    precondition(a.ndim > 0 && b.ndim > 0, "[addmm] Got 0 dimension input. Inputs must have at least one dimension.")
    let dtype = checkedProductType("addmm", a.dtype, b.dtype, c.dtype)
    let a2 = a.ndim == 1 ? a.reshaped([1, a.dim(0)]) : a
    let b2 = b.ndim == 1 ? b.reshaped([b.dim(0), 1]) : b
    precondition(
        a2.dim(-1) == b2.dim(-2),
        "[addmm] Last dimension of first input with shape \(a.shape) must match second to last dimension of second input with shape \(b.shape).")
    let aBatch = Array(a2.shape.dropLast(2))
    let bBatch = Array(b2.shape.dropLast(2))
    let outBatch = broadcastShapes(aBatch, bBatch, "addmm")
    var outShape = outBatch + [a2.dim(-2), b2.dim(-1)]
    let addend = c.asType(dtype).broadcasted(to: outShape, "addmm")
    let result = batchedProduct(
        a2, b2, aIndex: batchIndices(aBatch, to: outBatch), bIndex: batchIndices(bBatch, to: outBatch),
        outShape: outShape, dtype: dtype, addend: addend, alpha: alpha, beta: beta)
    if a.ndim == 1 || b.ndim == 1 {
        if b.ndim == 1 { outShape.removeLast() }
        if a.ndim == 1 { outShape.remove(at: outShape.count - (b.ndim == 1 ? 1 : 2)) }
        return result.reshaped(outShape)
    }
    return result
}

@available(*, deprecated, renamed: "addMM(_:_:_:alpha:beta:stream:)")
public func addmm<A: ScalarOrArray, B: ScalarOrArray, C: ScalarOrArray>(
    _ c: C, _ a: A, _ b: B, alpha: Float = 1.0, beta: Float = 1.0, stream: StreamOrDevice = .default
) -> MLXArray {
    addMM(c, a, b, alpha: alpha, beta: beta, stream: stream)
}

/// Validated default for a gatherMM index array: every batch element of `x` in order.
private func gatherIndices(_ indices: MLXArray?, for x: MLXArray) -> MLXArray {
    precondition(x.ndim >= 2, "[gather_mm] Input must have at least two dimensions but got input with shape \(x.shape).")
    if let indices {
        precondition(indices.dtype.isInteger, "[gather_mm] Got indices with invalid dtype. Indices must be integral.")
        return indices
    }
    let batch = Array(x.shape.dropLast(2))
    return arange(batch.reduce(1, *), dtype: .uint32).reshaped(batch)
}

/// Batched matmul where output batch `i` multiplies `a`'s (flattened) batch `lhsIndices[i]` by
/// `b`'s batch `rhsIndices[i]`; the index arrays broadcast together and give the batch shape.
/// Without indices this is `matmul`.
public func gatherMM(
    _ a: MLXArray, _ b: MLXArray, lhsIndices: MLXArray? = nil, rhsIndices: MLXArray? = nil,
    sortedIndices: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    if lhsIndices == nil && rhsIndices == nil {
        return matmul(a, b)
    }
    precondition(a.ndim > 0 && b.ndim > 0, "[gather_mm] Got 0 dimension input. Inputs must have at least one dimension.")
    let dtype = checkedProductType("gather_mm", a.dtype, b.dtype)
    let a2 = a.ndim == 1 ? a.reshaped([1, a.dim(0)]) : a
    let b2 = b.ndim == 1 ? b.reshaped([b.dim(0), 1]) : b
    precondition(
        a2.dim(-1) == b2.dim(-2),
        "[gather_mm] Last dimension of first input with shape \(a.shape) must match second to last dimension of second input with shape \(b.shape).")
    let lhs = gatherIndices(lhsIndices, for: a2)
    let rhs = gatherIndices(rhsIndices, for: b2)
    let batch = broadcastShapes(lhs.shape, rhs.shape, "gather_mm")
    let aCount = a2.size / Swift.max(a2.dim(-2) * a2.dim(-1), 1)
    let bCount = b2.size / Swift.max(b2.dim(-2) * b2.dim(-1), 1)
    let aIndex = lhs.broadcasted(to: batch).indexBuffer
    let bIndex = rhs.broadcasted(to: batch).indexBuffer
    for i in aIndex { precondition(i >= 0 && i < aCount, "[gather_mm] lhs index \(i) out of range for \(aCount) matrices") }
    for i in bIndex { precondition(i >= 0 && i < bCount, "[gather_mm] rhs index \(i) out of range for \(bCount) matrices") }
    var outShape = batch + [a2.dim(-2), b2.dim(-1)]
    let result = batchedProduct(a2, b2, aIndex: aIndex, bIndex: bIndex, outShape: outShape, dtype: dtype)
    if a.ndim == 1 || b.ndim == 1 {
        if b.ndim == 1 { outShape.removeLast() }
        if a.ndim == 1 { outShape.remove(at: outShape.count - (b.ndim == 1 ? 1 : 2)) }
        return result.reshaped(outShape)
    }
    return result
}

@available(*, deprecated, renamed: "gatherMM(_:_:lhsIndices:rhsIndices:sortedIndices:stream:)")
public func gatherMatmul(
    _ a: MLXArray, _ b: MLXArray, lhsIndices: MLXArray? = nil, rhsIndices: MLXArray? = nil,
    sortedIndices: Bool = false, stream: StreamOrDevice = .default
) -> MLXArray {
    gatherMM(a, b, lhsIndices: lhsIndices, rhsIndices: rhsIndices, sortedIndices: sortedIndices)
}

/// Sum-product over the last axes of `a` and `b` (a plain product for scalars).
func inner(_ a: MLXArray, _ b: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    if a.ndim == 0 || b.ndim == 0 {
        return binaryOp(a, b, .multiply)
    }
    precondition(
        a.dim(-1) == b.dim(-1),
        "[inner] Last dimension of a (\(a.dim(-1))) and b (\(b.dim(-1))) must match.")
    let k = a.dim(-1)
    let lhs = a.reshaped([-1, k])
    let rhs = b.reshaped([-1, k]).T
    return matmul(lhs, rhs).reshaped(Array(a.shape.dropLast()) + Array(b.shape.dropLast()))
}

/// Outer product of the flattened inputs.
func outer(_ a: MLXArray, _ b: MLXArray, stream: StreamOrDevice = .default) -> MLXArray {
    binaryOp(a.reshaped([-1, 1]), b.reshaped([1, -1]), .multiply)
}
