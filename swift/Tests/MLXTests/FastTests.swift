// Tests of softmax, RMS/layer norm, RoPE and scaled dot product attention: against MLX's outputs
// and against the defining formulas (GQA, causal alignment, masks, sinks).
import Foundation
@testable import MLX
import XCTest

final class FastTests: XCTestCase {
    private let x = patternArray([2, 3, 8], seed: 1)

    func testSoftmax() {
        assertClose(softmax(x, axis: -1), MLXReference.softmaxLast)
        assertClose(softmax(x, axis: 1), MLXReference.softmaxAxis1)
        // bf16 without `precise` accumulates in bf16; with it, in float32 and rounds once
        let bf = x.asType(.bfloat16)
        let fast = softmax(bf, axis: -1)
        XCTAssertEqual(fast.dtype, .bfloat16)
        assertClose(fast, MLXReference.softmaxBF16, rtol: 0, atol: 0)
        assertClose(softmax(bf, axis: -1, precise: true), MLXReference.softmaxBF16Precise, rtol: 0, atol: 0)
        // rows sum to one; the whole-array form normalises everything together
        let rows = softmax(x, axis: -1).sum(axis: -1).asArray(Float.self)
        for r in rows { XCTAssertEqual(r, 1, accuracy: 1e-6) }
        XCTAssertEqual(softmax(x).sum().item(Float.self), 1, accuracy: 1e-5)
        XCTAssertEqual(softmax(MLXArray([1, 2, 3])).dtype, .float32)
    }

    func testRMSNormAndLayerNorm() {
        let y = patternArray([8], seed: 2)
        assertClose(MLXFast.rmsNorm(x, weight: y, eps: 1e-5), MLXReference.rmsNorm)
        let bf = MLXFast.rmsNorm(x.asType(.bfloat16), weight: y.asType(.bfloat16), eps: 1e-5)
        XCTAssertEqual(bf.dtype, .bfloat16)
        assertClose(bf, MLXReference.rmsNormBF16, rtol: 0, atol: 0)
        // by the definition: x / sqrt(mean(x^2) + eps) * w
        let manual = x * rsqrt((x * x).mean(axis: -1, keepDims: true) + 1e-5) * y
        assertClose(rmsNorm(x, weight: y, eps: 1e-5), manual.asArray(Float.self), rtol: 1e-6)
        assertClose(
            MLXFast.layerNorm(x, weight: y, bias: patternArray([8], seed: 5), eps: 1e-5),
            MLXReference.layerNorm)
        let plain = layerNorm(x, eps: 1e-5)
        for m in plain.mean(axis: -1).asArray(Float.self) { XCTAssertEqual(m, 0, accuracy: 1e-6) }
    }

    func testRoPEReferences() {
        let q = patternArray([1, 4, 3, 8], seed: 6)
        assertClose(MLXFast.RoPE(q, dimensions: 8, traditional: false, base: 10000, scale: 1, offset: 2), MLXReference.ropeHalves)
        assertClose(MLXFast.RoPE(q, dimensions: 8, traditional: true, base: 10000, scale: 1, offset: 2), MLXReference.ropeTraditional)
        assertClose(MLXFast.RoPE(q, dimensions: 4, traditional: false, base: 10000, scale: 0.5, offset: 5), MLXReference.ropePartial)
        let freqs = MLXArray([1, 10, 100, 1000] as [Float])
        assertClose(MLXFast.RoPE(q, dimensions: 8, traditional: false, base: nil, scale: 1, offset: 1, freqs: freqs), MLXReference.ropeFreqs)
        let bf = MLXFast.RoPE(q.asType(.bfloat16), dimensions: 8, traditional: false, base: 10000, scale: 1, offset: 7)
        XCTAssertEqual(bf.dtype, .bfloat16)
        assertClose(bf, MLXReference.ropeBF16, rtol: 0, atol: 0)
        let batched = patternArray([2, 2, 3, 8], seed: 16)
        assertClose(RoPE(batched, dimensions: 8, traditional: false, base: 10000, scale: 1, offset: MLXArray([3, 9])), MLXReference.ropeBatchOffsets)
    }

    func testRoPEStructure() {
        let q = patternArray([1, 2, 4, 8], seed: 3)
        // partial rotation leaves the trailing features untouched
        let partial = MLXFast.RoPE(q, dimensions: 4, traditional: false, base: 10000, scale: 1, offset: 3)
        XCTAssertEqual(partial[.ellipsis, 4...].asArray(Float.self), q[.ellipsis, 4...].asArray(Float.self))
        // position 0 is not rotated
        let first = MLXFast.RoPE(q, dimensions: 8, traditional: true, base: 10000, scale: 1, offset: 0)
        XCTAssertEqual(first[0, 0, 0].asArray(Float.self), q[0, 0, 0].asArray(Float.self))
        // a scalar array offset equals the Int offset; an offset shifts positions along axis -2
        let a = MLXFast.RoPE(q, dimensions: 8, traditional: false, base: 10000, scale: 1, offset: 2)
        let b = MLXFast.RoPE(q, dimensions: 8, traditional: false, base: 10000, scale: 1, offset: MLXArray(2))
        XCTAssertEqual(a.asArray(Float.self), b.asArray(Float.self))
        let late = MLXFast.RoPE(q[.ellipsis, 2..., 0...], dimensions: 8, traditional: false, base: 10000, scale: 1, offset: 4)
        XCTAssertEqual(late.asArray(Float.self), a[.ellipsis, 2..., 0...].asArray(Float.self))
        // halves vs interleaved: the traditional form on a de-interleaved input matches
        let t = MLXFast.RoPE(q, dimensions: 8, traditional: true, base: 10000, scale: 1, offset: 1)
        let order = MLXArray([0, 2, 4, 6, 1, 3, 5, 7])
        let h = MLXFast.RoPE(q[.ellipsis, order], dimensions: 8, traditional: false, base: 10000, scale: 1, offset: 1)
        assertClose(h, t[.ellipsis, order].asArray(Float.self))
        // rotations preserve the norm of each rotated pair
        let norms = (a * a).sum(axis: -1).asArray(Float.self)
        let original = (q * q).sum(axis: -1).asArray(Float.self)
        for (u, v) in zip(norms, original) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }

    private let qq = patternArray([1, 4, 3, 8], seed: 7)
    private let kk = patternArray([1, 2, 5, 8], seed: 8)
    private let vv = patternArray([1, 2, 5, 8], seed: 9)

    func testAttentionReferences() {
        let causal = MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: .causal)
        XCTAssertEqual(causal.shape, [1, 4, 3, 8])
        assertClose(causal, MLXReference.sdpaCausalGQA)
        assertClose(MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: nil), MLXReference.sdpaNoMask)
        let boolMask = MLXArray(
            [true, false, true, true, false, true, true, true, true, false, false, true, true, true, true], [3, 5])
        assertClose(MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: .array(boolMask)), MLXReference.sdpaBoolMask)
        assertClose(MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: patternArray([3, 5], seed: 10)), MLXReference.sdpaAdditiveMask)
        assertClose(MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: .causal, sinks: patternArray([4], seed: 11)), MLXReference.sdpaSinks)
        let bf = MLXFast.scaledDotProductAttention(
            queries: qq.asType(.bfloat16), keys: kk.asType(.bfloat16), values: vv.asType(.bfloat16), scale: 0.35, mask: .causal)
        XCTAssertEqual(bf.dtype, .bfloat16)
        assertClose(bf, MLXReference.sdpaBF16, rtol: 0, atol: 0)
    }

    /// softmax(scale q kᵀ + mask) v with kv heads explicitly repeated, for comparison.
    private func naiveAttention(_ q: MLXArray, _ k: MLXArray, _ v: MLXArray, scale: Float, mask: MLXArray?) -> MLXArray {
        let repeats = q.dim(1) / k.dim(1)
        let kr = repeated(k, count: repeats, axis: 1)
        let vr = repeated(v, count: repeats, axis: 1)
        var scores = matmul(q * scale, kr.swappedAxes(-1, -2))
        if let mask { scores = scores + mask }
        return matmul(softmax(scores, axis: -1, precise: true), vr)
    }

    func testAttentionSemantics() {
        // GQA without pre-tiling equals attention over repeated kv heads
        let plain = MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: nil)
        assertClose(plain, naiveAttention(qq, kk, vv, scale: 0.35, mask: nil).asArray(Float.self), rtol: 1e-5, atol: 1e-6)
        // causal is aligned to the latest keys: query i (of 3) sees keys j <= i + 2 (of 5)
        var additive = [Float]()
        for i in 0 ..< 3 {
            for j in 0 ..< 5 { additive.append(j <= i + 2 ? 0 : -Float.infinity) }
        }
        let causalMask = MLXArray(additive, [3, 5])
        let causal = MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: .causal)
        assertClose(causal, naiveAttention(qq, kk, vv, scale: 0.35, mask: causalMask).asArray(Float.self), rtol: 1e-5, atol: 1e-6)
        // a single new query with causal masking sees every cached key
        let one = qq[.ellipsis, 2..., 0...]
        assertClose(
            MLXFast.scaledDotProductAttention(queries: one, keys: kk, values: vv, scale: 0.35, mask: .causal),
            MLXFast.scaledDotProductAttention(queries: one, keys: kk, values: vv, scale: 0.35, mask: nil).asArray(Float.self))
        // a bool mask (true = visible) equals the 0/-inf additive mask
        assertClose(
            MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: causalMask .== 0),
            causal.asArray(Float.self))
        // sinks only add to the denominator: outputs shrink by sum(e^s)/(sum(e^s) + e^sink)
        let sinkLogit: Float = 0.7
        let sinks = MLXArray([Float](repeating: sinkLogit, count: 4))
        let withSinks = MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: nil, sinks: sinks)
        let scores = matmul(qq * 0.35, repeated(kk, count: 2, axis: 1).swappedAxes(-1, -2))
        let total = exp(scores).sum(axis: -1, keepDims: true)
        let factor = total / (total + exp(MLXArray(sinkLogit)))
        assertClose(withSinks, (plain * factor).asArray(Float.self), rtol: 1e-5, atol: 1e-6)
        // the mask-mode overload with .array and the MLXArray? overload agree
        assertClose(
            MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: .array(causalMask)),
            MLXFast.scaledDotProductAttention(queries: qq, keys: kk, values: vv, scale: 0.35, mask: causalMask).asArray(Float.self))
        XCTAssertEqual(MLXFast.ScaledDotProductAttentionMaskMode.causal.mode, "causal")
        XCTAssertNil(MLXFast.ScaledDotProductAttentionMaskMode.none.mask)
    }
}
