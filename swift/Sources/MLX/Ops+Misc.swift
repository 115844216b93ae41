// Less common ops: 1-D convolution, mesh grids, einsum and segmented matmul.
import Foundation

/// Internal: the API spec names this type (as Sendable) but none of its cases, and a public enum
/// cannot hide its cases; mlx-swift has it public.
enum ConvolveMode: Sendable {
    case full
    case valid
    case same
}

/// Discrete 1-D convolution of two vectors (numpy.convolve modes; for `.same` with an even
/// kernel the input is padded the way mlx-swift pads it).
func convolve(
    _ a: some ScalarOrArray, _ b: some ScalarOrArray, mode: ConvolveMode = .full,
    stream: StreamOrDevice = .default
) -> MLXArray {
    let (a, b) = toArrays(a, b)
    precondition(a.ndim == 1, "inputs must be 1d (a)")
    precondition(b.ndim == 1, "inputs must be 1d (b)")
    let dtype = DType.promote(a.dtype, b.dtype).atLeastFloat
    let (longer, shorter) = a.size < b.size ? (b, a) : (a, b)
    // convolution = correlation with the reversed kernel
    let kernel = Array(shorter.asType(dtype).asType(.float32).floatBuffer.reversed())
    var input = longer.asType(dtype).asType(.float32).floatBuffer
    let m = kernel.count
    var padding = 0
    switch mode {
    case .full:
        padding = m - 1
    case .valid:
        padding = 0
    case .same:
        if m % 2 == 1 {
            padding = m / 2
        } else {
            let left = m / 2
            let right = Swift.max(0, left / 2 - 1)
            input = [Float](repeating: 0, count: left) + input + [Float](repeating: 0, count: right)
        }
    }
    let n = input.count
    let outCount = Swift.max(n + 2 * padding - m + 1, 0)
    var out = [Float](repeating: 0, count: outCount)
    for i in 0 ..< outCount {
        var s: Float = 0
        for j in 0 ..< m {
            let k = i + j - padding
            if k >= 0 && k < n { s += input[k] * kernel[j] }
        }
        out[i] = s
    }
    return MLXArray(floats: out, shape: [outCount], dtype: dtype == .float64 ? .float32 : dtype)
        .asType(dtype)
}

/// Internal: the API spec names this type (as Sendable) but none of its cases, and a public enum
/// cannot hide its cases; mlx-swift has it public.
enum MeshGridIndexing: String, Sendable {
    /// Cartesian indexing: the first two output axes are swapped
    case xy
    /// matrix indexing
    case ij
}

/// Coordinate arrays from 1-D coordinate vectors (numpy.meshgrid).
func meshGrid(
    _ arrays: some Collection<MLXArray>, sparse: Bool = false, indexing: MeshGridIndexing = .xy,
    stream: StreamOrDevice = .default
) -> [MLXArray] {
    let inputs = arrays.map { $0.reshaped([-1]) }
    let n = inputs.count
    var lengths = inputs.map { $0.size }
    // with xy indexing the first vector varies along axis 1 and the second along axis 0
    var axisOf = Array(0 ..< n)
    if indexing == .xy && n >= 2 {
        lengths.swapAt(0, 1)
        axisOf[0] = 1
        axisOf[1] = 0
    }
    return inputs.enumerated().map { i, v in
        var shape = [Int](repeating: 1, count: n)
        shape[axisOf[i]] = v.size
        let shaped = v.reshaped(shape)
        return sparse ? shaped : shaped.broadcasted(to: lengths, "meshgrid")
    }
}

/// Einstein summation, e.g. `einsum("ij,jk->ik", a, b)`; without `->` the output takes the
/// letters used exactly once, in alphabetical order. Broadcasting `...` is not supported.
public func einsum(_ subscripts: String, _ operands: MLXArray..., stream: StreamOrDevice = .default)
    -> MLXArray
{
    einsum(subscripts, operands: operands, stream: stream)
}

public func einsum(
    _ subscripts: String, operands: some Collection<MLXArray>, stream: StreamOrDevice = .default
) -> MLXArray {
    let operands = Array(operands)
    let spec = subscripts.filter { !$0.isWhitespace }
    precondition(!spec.contains("."), "[einsum] broadcasting with ... is not supported by this backend")
    let parts = spec.components(separatedBy: "->")
    precondition(parts.count <= 2, "[einsum] invalid subscripts \(subscripts)")
    let inputs = parts[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
    precondition(inputs.count == operands.count, "[einsum] \(inputs.count) subscripts for \(operands.count) operands")
    var counts = [Character: Int]()
    for term in inputs { for c in term { counts[c, default: 0] += 1 } }
    let output: [Character] = parts.count == 2
        ? Array(parts[1]) : counts.filter { $0.value == 1 }.map { $0.key }.sorted()

    var sizes = [Character: Int]()
    for (term, operand) in zip(inputs, operands) {
        precondition(term.count == operand.ndim, "[einsum] subscript \(String(term)) does not match an operand of shape \(operand.shape)")
        for (c, size) in zip(term, operand.shape) {
            if let known = sizes[c] {
                precondition(known == size, "[einsum] size mismatch for index \(c): \(known) vs \(size)")
            } else {
                sizes[c] = size
            }
        }
    }
    for c in output { precondition(sizes[c] != nil, "[einsum] output index \(c) does not appear in the inputs") }
    let summed = sizes.keys.filter { !output.contains($0) }.sorted()
    let letters = output + summed
    let position = Dictionary(uniqueKeysWithValues: letters.enumerated().map { ($1, $0) })
    let dims = letters.map { sizes[$0]! }
    let dtype = operands.dropFirst().reduce(operands[0].dtype) { DType.promote($0, $1.dtype) }
    let computeType: DType = dtype.storageKind == .float ? dtype : .float32
    let values = operands.map { $0.asType(computeType).floatBuffer }
    // each operand's stride for every letter (0 where the letter is absent)
    let strides: [[Int]] = zip(inputs, operands).map { term, operand in
        let own = rowMajorStrides(operand.shape)
        var s = [Int](repeating: 0, count: letters.count)
        for (axis, c) in term.enumerated() { s[position[c]!] += own[axis] }
        return s
    }
    let outShape = output.map { sizes[$0]! }
    let outCount = outShape.reduce(1, *)
    let innerCount = summed.reduce(1) { $0 * sizes[$1]! }
    var out = [Float](repeating: 0, count: outCount)
    var index = [Int](repeating: 0, count: letters.count)
    for o in 0 ..< outCount {
        var rest = o
        for d in stride(from: output.count - 1, through: 0, by: -1) {
            index[d] = rest % dims[d]
            rest /= dims[d]
        }
        var total: Float = 0
        for s in 0 ..< innerCount {
            var r = s
            for d in stride(from: letters.count - 1, through: output.count, by: -1) {
                index[d] = r % dims[d]
                r /= dims[d]
            }
            var product: Float = 1
            for (k, v) in values.enumerated() {
                var offset = 0
                for d in 0 ..< letters.count { offset += index[d] * strides[k][d] }
                product *= v[offset]
            }
            total += product
        }
        out[o] = total
    }
    return MLXArray(floats: out, shape: outShape, dtype: computeType).asType(dtype)
}

/// For each `[start, end)` pair in `segments`, `a[:, start..<end] @ b[start..<end, :]`.
public func segmentedMM(
    _ a: MLXArray, _ b: MLXArray, segments: MLXArray, stream: StreamOrDevice = .default
) -> MLXArray {
    precondition(a.ndim == 2 && b.ndim == 2, "[segmented_mm] Batched matmul not supported")
    precondition(segments.ndim >= 1 && segments.dim(-1) == 2, "[segmented_mm] The segments should have shape (..., 2) but \(segments.shape) was provided.")
    precondition(a.dim(1) == b.dim(0), "[segmented_mm] inner dimensions differ: \(a.shape) and \(b.shape)")
    let bounds = segments.indexBuffer
    var results = [MLXArray]()
    for s in 0 ..< bounds.count / 2 {
        let start = bounds[2 * s], end = bounds[2 * s + 1]
        if end <= start {
            results.append(MLXArray.zeros([a.dim(0), b.dim(1)], dtype: DType.promote(a.dtype, b.dtype)))
        } else {
            results.append(matmul(a.slice(axis: 1, start: start, end: end), b.slice(axis: 0, start: start, end: end)))
        }
    }
    let shape = Array(segments.shape.dropLast()) + [a.dim(0), b.dim(1)]
    return stacked(results).reshaped(shape)
}
