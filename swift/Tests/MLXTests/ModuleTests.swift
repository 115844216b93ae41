// Tests of MLXNN: Module reflection (keys, nil optionals, wrappers), update(parameters:verify:)
// and update(modules:) rules, quantize(model:), freezing, training mode, and the basic layers.
import Foundation
@testable import MLX
@testable import MLXNN
import XCTest

private final class Attention: Module {
    @ModuleInfo(key: "q_proj") var wq: Linear
    @ModuleInfo(key: "o_proj") var wo: Linear
    let rope: RoPE
    let scale: Float

    init(_ dims: Int) {
        self._wq.wrappedValue = Linear(dims, dims, bias: false)
        self._wo.wrappedValue = Linear(dims, dims, bias: true)
        self.rope = RoPE(dimensions: dims)
        self.scale = 0.5
    }
}

private final class Block: Module {
    @ModuleInfo(key: "self_attn") var attention: Attention
    let norm: RMSNorm
    @ParameterInfo(key: "A_log") var aLog: MLXArray
    @ParameterInfo var optionalBias: MLXArray?
    let _cache: MLXArray

    init(_ dims: Int) {
        self._attention.wrappedValue = Attention(dims)
        self.norm = RMSNorm(dimensions: dims)
        self._aLog.wrappedValue = MLXArray.zeros([2])
        self._cache = MLXArray.zeros([3])
    }
}

private final class TinyModel: Module {
    let embed: Embedding
    let layers: [Block]
    let norm: RMSNorm
    @ModuleInfo(key: "lm_head") var lmHead: Linear?

    init(dims: Int = 4, vocab: Int = 6, layers: Int = 2) {
        self.embed = Embedding(embeddingCount: vocab, dimensions: dims)
        self.layers = (0 ..< layers).map { _ in Block(dims) }
        self.norm = RMSNorm(dimensions: dims)
    }
}

private final class Counting: Module {
    nonisolated(unsafe) static var calls = 0
    override func didSetTrain(_ mode: Bool) { Counting.calls += 1 }
}

private final class WithTuple: Module {
    @ModuleInfo var mlp: (Linear, GELU, Linear)
    let blocks: [String: Linear]

    override init() {
        self._mlp.wrappedValue = (Linear(2, 3), GELU(), Linear(3, 2))
        self.blocks = ["b": Linear(2, 2, bias: false), "a": Linear(2, 2, bias: false)]
    }
}

final class ModuleTests: XCTestCase {

    private let expectedKeys = [
        "embed.weight",
        "layers.0.A_log", "layers.0.norm.weight", "layers.0.self_attn.o_proj.bias",
        "layers.0.self_attn.o_proj.weight", "layers.0.self_attn.q_proj.weight",
        "layers.1.A_log", "layers.1.norm.weight", "layers.1.self_attn.o_proj.bias",
        "layers.1.self_attn.o_proj.weight", "layers.1.self_attn.q_proj.weight",
        "norm.weight",
    ]

    func testReflectionKeys() {
        let model = TinyModel()
        XCTAssertEqual(model.parameters().flattened().map { $0.0 }, expectedKeys)
        XCTAssertNil(model.lmHead)
        guard case .some(.none) = model.items()["lm_head"] else {
            return XCTFail("an unassigned optional @ModuleInfo must reflect as .none")
        }
        XCTAssertNil(model.items()["_cache"])
        XCTAssertNotNil(model.layers[0].items()["_cache"], "underscore keys are items but not parameters")
        XCTAssertEqual(model.children().keys.sorted(), ["embed", "layers", "norm"])
        XCTAssertEqual(
            model.leafModules().flattened().map { $0.0 },
            ["embed", "layers.0.norm", "layers.0.self_attn.o_proj", "layers.0.self_attn.q_proj",
             "layers.0.self_attn.rope", "layers.1.norm", "layers.1.self_attn.o_proj",
             "layers.1.self_attn.q_proj", "layers.1.self_attn.rope", "norm"])
        XCTAssertEqual(model.modules().count, 1 + 1 + 2 * 6 + 1)
        XCTAssertTrue(model.namedModules().contains { $0.0 == "layers.1.self_attn" && $0.1 is Attention })
        // non-array stored values are `.other`, not parameters
        guard case .some(.value(.other(let scale))) = model.layers[0].attention.items()["scale"] else {
            return XCTFail("scale should be .other")
        }
        XCTAssertEqual(scale as? Float, 0.5)
        // tuples and dictionaries of modules are containers; dictionary keys flatten sorted
        let t = WithTuple()
        XCTAssertEqual(
            t.parameters().flattened().map { $0.0 },
            ["blocks.a.weight", "blocks.b.weight", "mlp.0.bias", "mlp.0.weight", "mlp.2.bias", "mlp.2.weight"])
    }

    private func replacement(for model: Module, value: Float) -> ModuleParameters {
        model.parameters().mapValues { MLXArray.full($0.shape, values: MLXArray(value)) }
    }

    func testUpdateParametersInPlace() throws {
        let model = TinyModel()
        let weight = model.layers[1].attention.wq.weight
        try model.update(parameters: replacement(for: model, value: 2), verify: .all)
        XCTAssertTrue(model.layers[1].attention.wq.weight === weight, "identity is kept")
        XCTAssertEqual(weight.asArray(Float.self), [Float](repeating: 2, count: 16))
        XCTAssertEqual(model.layers[0].aLog.asArray(Float.self), [2, 2])
        // dtypes are not checked
        let bf = ModuleParameters.unflattened(["norm.weight": MLXArray.ones([4], dtype: .bfloat16)])
        try model.update(parameters: bf, verify: [.noUnusedKeys, .shapeMismatch])
        XCTAssertEqual(model.norm.weight.dtype, .bfloat16)
        // without .allModelKeysSet, missing keys are fine
        try model.update(parameters: ModuleParameters.unflattened(["layers.1.norm.weight": MLXArray.zeros([4])]), verify: .all.subtracting(.allModelKeysSet))
        XCTAssertEqual(model.layers[1].norm.weight.sum().item(Float.self), 0)
        XCTAssertEqual(model.layers[0].norm.weight.sum().item(Float.self), 8)
    }

    func testUpdateParametersVerification() {
        let model = TinyModel()
        var flat = Dictionary(uniqueKeysWithValues: model.parameters().flattened())

        // missing key
        var missing = flat
        missing["layers.1.self_attn.o_proj.bias"] = nil
        XCTAssertThrowsError(try model.update(parameters: .unflattened(missing), verify: .all)) { error in
            guard case UpdateError.keyNotFound(let path, let modules) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, ["layers", "1", "self_attn", "o_proj", "bias"])
            XCTAssertEqual(modules.last, "Linear")
        }
        XCTAssertNoThrow(try model.update(parameters: .unflattened(missing), verify: .noUnusedKeys))

        // unused key
        var extra = flat
        extra["layers.0.self_attn.k_proj.weight"] = MLXArray.zeros([4, 4])
        XCTAssertThrowsError(try model.update(parameters: .unflattened(extra), verify: .all)) { error in
            guard case UpdateError.unhandledKeys(_, _, let keys) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(keys, ["k_proj"])
        }
        XCTAssertNoThrow(try model.update(parameters: .unflattened(extra), verify: .allModelKeysSet))

        // wrong shape
        var misShaped = flat
        misShaped["embed.weight"] = MLXArray.zeros([7, 4])
        XCTAssertThrowsError(try model.update(parameters: .unflattened(misShaped), verify: .all)) { error in
            guard case UpdateError.mismatchedSize(let path, _, let expected, let actual) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, ["embed", "weight"])
            XCTAssertEqual(expected, [6, 4])
            XCTAssertEqual(actual, [7, 4])
        }

        // an array for a nil property is incompatible whatever `verify` says
        flat["lm_head.weight"] = MLXArray.zeros([6, 4])
        XCTAssertThrowsError(try model.update(parameters: .unflattened(flat), verify: .none)) { error in
            guard case UpdateError.incompatibleItems = error else { return XCTFail("\(error)") }
        }
        let noBias = Linear(2, 2, bias: false)
        XCTAssertThrowsError(
            try noBias.update(parameters: .unflattened(["weight": MLXArray.zeros([2, 2]), "bias": MLXArray.zeros([2])]), verify: .none))
        // a nil optional parameter is never required
        XCTAssertNoThrow(try noBias.update(parameters: .unflattened(["weight": MLXArray.zeros([2, 2])]), verify: .all))
    }

    func testUpdateModules() throws {
        let model = TinyModel()
        let head = Linear(4, 6, bias: false)
        try model.update(modules: ModuleChildren.unflattened(["lm_head": head]), verify: .all)
        XCTAssertTrue(model.lmHead === head)
        XCTAssertTrue(model.parameters().flattened().contains { $0.0 == "lm_head.weight" })
        // a plain `let` property cannot be replaced
        XCTAssertThrowsError(try model.update(modules: ModuleChildren.unflattened(["norm": RMSNorm(dimensions: 4)]), verify: .none)) { error in
            guard case UpdateError.needModuleInfo = error else { return XCTFail("\(error)") }
        }
        // nested replacement through an array of blocks
        let wq = Linear(4, 4, bias: false)
        model.update(modules: ModuleChildren.unflattened(["layers.0.self_attn.q_proj": wq]))
        XCTAssertTrue(model.layers[0].attention.wq === wq)
        XCTAssertFalse(model.layers[1].attention.wq === wq)
        // as in mlx-swift, an array update whose first element is a gap is rejected
        XCTAssertThrowsError(
            try model.update(modules: ModuleChildren.unflattened(["layers.1.self_attn.q_proj": wq]), verify: .none)
        ) { error in
            guard case UpdateError.unexpectedStructure = error else { return XCTFail("\(error)") }
        }
        // tuple members arrive as an array of modules; gaps keep the current module
        let t = WithTuple()
        let gelu = t.mlp.1
        let newFirst = Linear(2, 3)
        let newLast = Linear(3, 2)
        t.update(modules: ModuleChildren.unflattened(["mlp.0": newFirst, "mlp.2": newLast]))
        XCTAssertTrue(t.mlp.0 === newFirst)
        XCTAssertTrue(t.mlp.1 === gelu)
        XCTAssertTrue(t.mlp.2 === newLast)
    }

    func testQuantizeModel() {
        MLXRandom.seed(11)
        let model = TinyModel(dims: 64, vocab: 8, layers: 1)
        let before = model.layers[0].attention.wq(MLXArray.ones([1, 64]))
        quantize(model: model, groupSize: 32, bits: 8) { path, module in path.contains("q_proj") }
        XCTAssertTrue(model.layers[0].attention.wq is QuantizedLinear)
        XCTAssertFalse(model.layers[0].attention.wo is QuantizedLinear, "the filter left o_proj alone")
        let q = model.layers[0].attention.wq as! QuantizedLinear
        XCTAssertEqual(q.weight.dtype, .uint32)
        XCTAssertEqual(q.shape.1, 64)
        XCTAssertTrue(model.parameters().flattened().contains { $0.0 == "layers.0.self_attn.q_proj.scales" })
        let after = model.layers[0].attention.wq(MLXArray.ones([1, 64]))
        XCTAssertLessThan(abs(after - before).max().item(Float.self), 0.05)
        XCTAssertTrue(q.trainableParameters().isEmpty, "quantized layers are frozen")
    }

    func testFreezeTrainAndDescription() {
        let linear = Linear(3, 2)
        XCTAssertEqual(linear.trainableParameters().flattened().count, 2)
        linear.freeze(keys: ["bias"])
        XCTAssertEqual(linear.trainableParameters().flattened().map { $0.0 }, ["weight"])
        linear.freeze()
        XCTAssertTrue(linear.trainableParameters().isEmpty)
        linear.unfreeze()
        XCTAssertEqual(linear.noGrad(), [])
        let model = TinyModel()
        model.train(false)
        XCTAssertFalse(model.layers[1].attention.training)
        let counting = Counting()
        counting.train(true)
        XCTAssertEqual(Counting.calls, 1)
        let dropout = Dropout(p: 0.5)
        dropout.train(false)
        let x = MLXArray.ones([10])
        XCTAssertEqual(dropout(x).asArray(Float.self), x.asArray(Float.self))
        XCTAssertTrue(linear.description.hasPrefix("Linear(inputDimensions=3, outputDimensions=2, bias=true)"))
        XCTAssertEqual(model.innerState().count, expectedKeys.count + 2, "innerState includes _ keys too")
    }

    func testApplyAndUpdateMissing() {
        let model = TinyModel()
        model.apply { $0.asType(.bfloat16) }
        XCTAssertTrue(model.parameters().flattenedValues().allSatisfy { $0.dtype == .bfloat16 })
        // a subclass can declare parameters optional by overriding updateMissing
        final class Lenient: Module {
            let weight = MLXArray.zeros([2])
            let scale = MLXArray.ones([1])
            override func updateMissing(parameter: String, verify: VerifyUpdate, path: [String], modulePath: [String]) throws {
                if parameter != "scale" {
                    try super.updateMissing(parameter: parameter, verify: verify, path: path, modulePath: modulePath)
                }
            }
        }
        let lenient = Lenient()
        XCTAssertNoThrow(try lenient.update(parameters: .unflattened(["weight": MLXArray.ones([2])]), verify: .all))
        XCTAssertThrowsError(try lenient.update(parameters: .unflattened(["scale": MLXArray.ones([1])]), verify: .all))
    }

    func testNestedFlattenUnflatten() {
        let flat: [String: Int] = ["a.0.x": 1, "a.2.x": 3, "b": 4]
        let nested = NestedDictionary<String, Int>.unflattened(flat)
        guard case .some(.array(let items)) = nested["a"] else { return XCTFail("a should be an array") }
        XCTAssertEqual(items.count, 3)
        if case .none = items[1] {} else { XCTFail("gaps are .none") }
        XCTAssertEqual(nested.flattened().map { $0.0 }, ["a.0.x", "a.2.x", "b"])
        XCTAssertEqual(nested[unwrapping: "b"], 4)
        XCTAssertEqual(nested.flattenedValues(), [1, 3, 4])
        let pairs: [(String, Int)] = [("z", 1), ("y.k", 2)]
        XCTAssertEqual(NestedDictionary<String, Int>.unflattened(pairs).flattened().map { $0.0 }, ["y.k", "z"])
        XCTAssertEqual(nested.mapValues { $0 * 10 }.flattenedValues(), [10, 30, 40])
    }

    func testLayers() {
        let linear = Linear(weight: MLXArray([1, 2, 3, 4] as [Float], [2, 2]), bias: MLXArray([10, 20] as [Float]))
        XCTAssertEqual(linear(MLXArray([1, 1] as [Float], [1, 2])).asArray(Float.self), [13, 27])
        XCTAssertEqual(Linear(weight: MLXArray.ones([3, 2]))(MLXArray.ones([4, 2])).shape, [4, 3])
        let uniform = Linear(16, 8)
        XCTAssertLessThanOrEqual(abs(uniform.weight).max().item(Float.self), 0.25)
        XCTAssertEqual(uniform.shape.0, 8)
        let embedding = Embedding(weight: MLXArray(0 ..< 6, [3, 2]).asType(.float32))
        XCTAssertEqual(embedding(MLXArray([2, 0])).asArray(Float.self), [4, 5, 0, 1])
        XCTAssertEqual(embedding.asLinear(MLXArray([1, 1] as [Float], [1, 2])).asArray(Float.self), [1, 5, 9])
        let norm = RMSNorm(dimensions: 4)
        XCTAssertEqual(norm.eps, 1e-5)
        XCTAssertEqual(norm.weight.asArray(Float.self), [1, 1, 1, 1])
        let x = patternArray([2, 3, 8], seed: 1)
        assertClose(RMSNorm(dimensions: 8)(x), MLXFast.rmsNorm(x, weight: MLXArray.ones([8]), eps: 1e-5).asArray(Float.self))
        XCTAssertNil(LayerNorm(dimensions: 8, affine: false).weight)
        let rope = RoPE(dimensions: 8)
        XCTAssertEqual(rope(x.reshaped(1, 2, 3, 8), offset: 2).asArray(Float.self),
                       MLXFast.RoPE(x.reshaped(1, 2, 3, 8), dimensions: 8, traditional: false, base: 10000, scale: 1, offset: 2).asArray(Float.self))
        XCTAssertEqual(rope(x.reshaped(1, 2, 3, 8)).asArray(Float.self), rope(x.reshaped(1, 2, 3, 8), offset: MLXArray(0)).asArray(Float.self))
        let seq = Sequential(layers: Linear(2, 4), ReLU(), Linear(4, 1))
        XCTAssertEqual(seq(MLXArray.ones([5, 2])).shape, [5, 1])
        XCTAssertEqual(seq.parameters().flattened().map { $0.0 }, ["layers.0.bias", "layers.0.weight", "layers.2.bias", "layers.2.weight"])
        // activations
        let a = MLXArray([-2, 0, 3] as [Float])
        XCTAssertEqual(relu(a).asArray(Float.self), [0, 0, 3])
        XCTAssertEqual(reluSquared(a).asArray(Float.self), [0, 0, 9])
        XCTAssertEqual(sigmoid(MLXArray([0] as [Float])).item(Float.self), 0.5)
        XCTAssertEqual(leakyRelu(a).asArray(Float.self), [-0.02, 0, 3])
        assertClose(silu(x), MLXReference.silu)
        assertClose(gelu(x), MLXReference.gelu)
        assertClose(geluApproximate(x), MLXReference.geluApproximate)
        // mlx-swift's .precise/.tanh: the spec'd Approximation has only .none, so the formula is internal
        assertClose(GELU(formula: .tanh)(x), MLXReference.geluApproximate)
        assertClose(GELU(approximation: .none)(x), MLXReference.gelu)
        assertClose(softplus(x), MLXReference.softplus)
        assertClose(geluFastApproximate(x), (x * sigmoid(1.702 * x)).asArray(Float.self))
        XCTAssertEqual(glu(MLXArray([1, 2, 0, 0] as [Float])).asArray(Float.self), [0.5, 1])
        let ls = logSoftmax(x)
        assertClose(exp(ls), MLXReference.softmaxLast, rtol: 1e-5)
        XCTAssertEqual(elu(MLXArray([1] as [Float])).item(Float.self), 1)
        XCTAssertEqual(MultiHeadAttention.createAdditiveCausalMask(2).asArray(Float.self), [0, -1e9, 0, 0])
    }
}
