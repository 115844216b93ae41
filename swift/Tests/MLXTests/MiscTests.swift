// Tests of the less common ops (convolve, meshGrid, einsum, segmentedMM), .npy I/O and the
// remaining normalization / positional layers.
import Foundation
@testable import MLX
@testable import MLXNN
import XCTest

final class MiscTests: XCTestCase {

    func testConvolve() {
        // values from numpy.convolve / mx.convolve
        let a = MLXArray([1, 2, 3] as [Float])
        let b = MLXArray([0, 1, 0.5] as [Float])
        XCTAssertEqual(convolve(a, b).asArray(Float.self), [0, 1, 2.5, 4, 1.5])
        XCTAssertEqual(convolve(a, b, mode: .same).asArray(Float.self), [1, 2.5, 4])
        XCTAssertEqual(convolve(a, b, mode: .valid).asArray(Float.self), [2.5])
        XCTAssertEqual(convolve(MLXArray([1, 2, 3, 4] as [Float]), MLXArray([1, -1] as [Float]), mode: .same).asArray(Float.self), [1, 1, 1, 1])
    }

    func testMeshGrid() {
        let xy = meshGrid([MLXArray([1, 2, 3]), MLXArray([10, 20])])
        XCTAssertEqual(xy[0].shape, [2, 3])
        XCTAssertEqual(xy[0].asArray(Int32.self), [1, 2, 3, 1, 2, 3])
        XCTAssertEqual(xy[1].asArray(Int32.self), [10, 10, 10, 20, 20, 20])
        let ij = meshGrid([MLXArray([1, 2, 3]), MLXArray([10, 20])], indexing: .ij)
        XCTAssertEqual(ij[0].shape, [3, 2])
        XCTAssertEqual(ij[1].asArray(Int32.self), [10, 20, 10, 20, 10, 20])
        XCTAssertEqual(meshGrid([MLXArray([1, 2, 3]), MLXArray([10, 20])], sparse: true)[0].shape, [1, 3])
    }

    func testEinsum() {
        let a = patternArray([3, 4], seed: 1)
        let b = patternArray([4, 5], seed: 2)
        assertClose(einsum("ij,jk->ik", a, b), matmul(a, b).asArray(Float.self), rtol: 1e-6)
        assertClose(einsum("ij,jk", a, b), matmul(a, b).asArray(Float.self), rtol: 1e-6)
        XCTAssertEqual(einsum("ij->ji", a).asArray(Float.self), a.T.asArray(Float.self))
        XCTAssertEqual(einsum("ii", MLXArray(0 ..< 9, [3, 3]).asType(.float32)).item(Float.self), 12)
        XCTAssertEqual(einsum("i,j->ij", operands: [MLXArray([1, 2] as [Float]), MLXArray([3, 4] as [Float])]).asArray(Float.self), [3, 4, 6, 8])
        let batched = einsum("bhqd,bhkd->bhqk", patternArray([1, 2, 3, 4], seed: 3), patternArray([1, 2, 5, 4], seed: 4))
        XCTAssertEqual(batched.shape, [1, 2, 3, 5])
    }

    func testSegmentedMM() {
        let a = patternArray([2, 6], seed: 5)
        let b = patternArray([6, 3], seed: 6)
        let out = segmentedMM(a, b, segments: MLXArray([0, 2, 2, 6], [2, 2]))
        XCTAssertEqual(out.shape, [2, 2, 3])
        assertClose(out[0], matmul(a[0..., ..<2], b[..<2]).asArray(Float.self), rtol: 1e-6)
        assertClose(out[0] + out[1], matmul(a, b).asArray(Float.self), rtol: 1e-5, atol: 1e-6)
    }

    func testNpyRoundTrip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlxtests-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        for array in [patternArray([2, 3], seed: 7), MLXArray([1, -2, 3], [3, 1]), MLXArray([true, false]), patternArray([4], seed: 8, dtype: .bfloat16), MLXArray(Float(5))] {
            try save(array: array, url: url)
            let back = try loadArray(url: url)
            XCTAssertEqual(back.dtype, array.dtype)
            XCTAssertEqual(back.shape, array.shape)
            XCTAssertEqual(back.asType(.float64).asArray(Double.self), array.asType(.float64).asArray(Double.self))
        }
        let raw = try Data(contentsOf: url)
        XCTAssertEqual(Array(raw.prefix(6)), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])
        XCTAssertThrowsError(try loadArray(url: url.deletingPathExtension().appendingPathExtension("npz")))
    }

    func testNormalizationAndPositionalLayers() {
        let x = patternArray([2, 3, 4, 6], seed: 9)
        let instance = InstanceNorm(dimensions: 6)(x)
        for m in instance.mean(axes: [1, 2]).asArray(Float.self) { XCTAssertEqual(m, 0, accuracy: 1e-5) }
        let group = GroupNorm(groupCount: 3, dimensions: 6)(x)
        XCTAssertEqual(group.shape, x.shape)
        let grouped = group.reshaped(2, -1, 3)
        for m in grouped.mean(axis: 1).asArray(Float.self) { XCTAssertEqual(m, 0, accuracy: 1e-5) }
        let torchStyle = GroupNorm(groupCount: 3, dimensions: 6, pytorchCompatible: true)(x)
        let contiguous = torchStyle.reshaped(2, -1, 3, 2).transposed(0, 2, 1, 3).reshaped(2, 3, -1)
        for m in contiguous.mean(axis: -1).asArray(Float.self) { XCTAssertEqual(m, 0, accuracy: 1e-5) }

        let batchNorm = BatchNorm(featureCount: 6)
        XCTAssertEqual(batchNorm.trainableParameters().flattened().map { $0.0 }, ["bias", "weight"])
        XCTAssertEqual(Set(batchNorm.parameters().flattened().map { $0.0 }), ["bias", "running_mean", "running_var", "weight"])
        let trained = batchNorm(x)
        for m in trained.mean(axes: [0, 1, 2]).asArray(Float.self) { XCTAssertEqual(m, 0, accuracy: 1e-5) }
        let expectedMean = (x.mean(axes: [0, 1, 2]) * 0.1).asArray(Float.self)
        batchNorm.train(false)
        let runningMean = batchNorm.parameters()[unwrapping: "running_mean"]!
        assertClose(runningMean, expectedMean, rtol: 1e-5, atol: 1e-6)
        XCTAssertEqual(batchNorm(x).shape, x.shape)

        let positions = SinusoidalPositionalEncoding(dimensions: 8)(MLXArray([0, 1, 2] as [Float]))
        XCTAssertEqual(positions.shape, [3, 8])
        // position 0: sin terms 0, cos terms 1, times the default scale sqrt(2/8)
        XCTAssertEqual(positions[0].asArray(Float.self), [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5])
        let scores = MLXArray.zeros([1, 2, 2, 3])
        let biased = ALiBi()(attentionScores: scores, offset: 1)
        // heads 2: slopes 2^-4 and 2^-8; query positions 1, 2 against keys 0, 1, 2
        XCTAssertEqual(biased[0, 0].asArray(Float.self), [-0.0625, 0, -0.0625, -0.125, -0.0625, 0])
        XCTAssertEqual(biased[0, 1, 0].asArray(Float.self), [-0.00390625, 0, -0.00390625])
    }
}
