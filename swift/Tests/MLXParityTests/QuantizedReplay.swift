// Replays the quantization cases (quantize, dequantize, quantizedMM, gatherQuantizedMM, the
// quantized layers, and loading a checkpoint that nn.quantize wrote) through mlx-swift's API.

import Foundation
import MLX
import MLXNN

/// The module of the `quantized_module` cases: the same tree as TinyQuantModel in
/// tools/make_op_fixtures.py, built in float and quantized the way a loader does.
private final class TinyQuantModel: Module {
    @ModuleInfo(key: "embed") var embed: Embedding
    @ModuleInfo(key: "proj") var proj: Linear
    @ModuleInfo(key: "head") var head: Linear

    override init() {
        self._embed.wrappedValue = Embedding(embeddingCount: 12, dimensions: 64)
        self._proj.wrappedValue = Linear(64, 64, bias: true)
        self._head.wrappedValue = Linear(64, 6, bias: false)
    }

    func callAsFunction(_ tokens: MLXArray) -> [MLXArray] {
        let h = proj(embed(tokens))
        return [head(h), embed.asLinear(h)]
    }
}

extension Params {
    /// group_size / bits, where null means "use the default" (the argument is left out).
    var groupSize: Int? { get throws { try optionalInt("group_size") } }
    var bits: Int? { get throws { try optionalInt("bits") } }

    /// The quantization mode; nil when the case leaves it to the default (affine).
    var mode: QuantizationMode? {
        get throws {
            guard let name = try optionalString("mode") else { return nil }
            guard let mode = QuantizationMode(rawValue: name) else { throw FixtureError("\(caseName): unknown mode \(name)") }
            return mode
        }
    }
}

extension ParityReplay {
    static func quantizedTable() -> [String: Replay] {
        var t: [String: Replay] = [:]

        t["quantize"] = { p, inputs in
            let w = try inputs["w"]
            let (wq, scales, biases): (MLXArray, MLXArray, MLXArray?)
            switch (try p.groupSize, try p.bits, try p.mode) {
            case (let g?, let b?, nil): (wq, scales, biases) = quantized(w, groupSize: g, bits: b)
            case (nil, nil, nil): (wq, scales, biases) = quantized(w)
            case (let g, let b, let mode?): (wq, scales, biases) = quantized(w, groupSize: g, bits: b, mode: mode)
            default: throw FixtureError("\(p.caseName): give both group_size and bits or neither")
            }
            if try p.mode ?? .affine != .affine {
                guard biases == nil else { throw FixtureError("\(p.caseName): a microscaled mode returned biases") }
                return [wq, scales]
            }
            guard let biases else { throw FixtureError("\(p.caseName): affine quantization returned no biases") }
            return [wq, scales, biases]
        }

        t["dequantize"] = { p, inputs in
            let wq = try inputs["wq"]
            let scales = try inputs["scales"]
            let dtype = try p.optionalString("dtype").map { try parityDType(named: $0) }
            if let mode = try p.mode {
                return [dequantized(
                    wq, scales: scales, biases: inputs.optional("biases"), groupSize: try p.groupSize,
                    bits: try p.bits, mode: mode, dtype: dtype)]
            }
            let biases = try inputs["biases"]
            switch (try p.groupSize, try p.bits) {
            case (let g?, let b?):
                if let dtype {
                    return [dequantized(wq, scales: scales, biases: biases, groupSize: g, bits: b, dtype: dtype)]
                }
                return [dequantized(wq, scales: scales, biases: biases, groupSize: g, bits: b)]
            case (nil, nil):
                return [dequantized(wq, scales: scales, biases: biases)]
            default:
                throw FixtureError("\(p.caseName): give both group_size and bits or neither")
            }
        }

        t["quantized_matmul"] = { p, inputs in
            let x = try inputs["x"]
            let wq = try inputs["wq"]
            let scales = try inputs["scales"]
            if let mode = try p.mode {
                return [quantizedMM(
                    x, wq, scales: scales, biases: inputs.optional("biases"), transpose: try p.bool("transpose"),
                    groupSize: try p.groupSize, bits: try p.bits, mode: mode)]
            }
            let biases = try inputs["biases"]
            guard let g = try p.groupSize, let b = try p.bits else {
                // every default: transpose true, group size 64, 4 bits
                return [quantizedMM(x, wq, scales: scales, biases: biases)]
            }
            return [quantizedMM(x, wq, scales: scales, biases: biases, transpose: try p.bool("transpose"),
                                groupSize: g, bits: b)]
        }

        t["gather_qmm"] = { p, inputs in
            [gatherQuantizedMM(
                try inputs["x"], try inputs["wq"], scales: try inputs["scales"], biases: inputs.optional("biases"),
                lhsIndices: inputs.optional("lhs_indices"), rhsIndices: inputs.optional("rhs_indices"),
                transpose: try p.bool("transpose"), groupSize: try p.groupSize, bits: try p.bits,
                mode: try p.mode ?? .affine, sortedIndices: try p.bool("sorted"))]
        }

        t["view"] = { p, inputs in [try inputs["x"].view(dtype: try parityDType(named: try p.string("dtype")))] }

        t["quantized_linear"] = { p, inputs in
            guard let g = try p.groupSize, let b = try p.bits else { throw FixtureError("\(p.caseName): bits missing") }
            let layer = QuantizedLinear(
                weight: try inputs["wq"], bias: inputs.optional("bias"), scales: try inputs["scales"],
                biases: inputs.optional("biases"), groupSize: g, bits: b, mode: try p.mode ?? .affine)
            return [layer(try inputs["x"])]
        }

        t["quantized_linear_from"] = { p, inputs in
            guard let g = try p.groupSize, let b = try p.bits else { throw FixtureError("\(p.caseName): bits missing") }
            let linear = Linear(weight: try inputs["weight"], bias: inputs.optional("bias"))
            let layer = QuantizedLinear(linear, groupSize: g, bits: b)
            guard let biases = layer.biases else { throw FixtureError("\(p.caseName): no biases") }
            return [layer(try inputs["x"]), layer.weight, layer.scales, biases]
        }

        func embedding(_ p: Params, _ inputs: Inputs) throws -> QuantizedEmbedding {
            guard let g = try p.groupSize, let b = try p.bits else { throw FixtureError("\(p.caseName): bits missing") }
            return QuantizedEmbedding(
                weight: try inputs["wq"], scales: try inputs["scales"], biases: try inputs["biases"],
                groupSize: g, bits: b)
        }
        t["quantized_embedding"] = { p, inputs in [try embedding(p, inputs)(try inputs["indices"])] }
        t["quantized_embedding_as_linear"] = { p, inputs in [try embedding(p, inputs).asLinear(try inputs["x"])] }

        // A checkpoint as mlx_lm.convert writes it: quantize exactly the layers whose `.scales`
        // exist (with the per-layer group size and bits of config.json's quantization block),
        // then load every parameter with full verification.
        t["quantized_module"] = { p, inputs in
            guard let g = try p.groupSize, let b = try p.bits else { throw FixtureError("\(p.caseName): bits missing") }
            var overrides: [String: (Int, Int)] = [:]
            if case .object(let layers) = try p.value("layers") {
                for (path, spec) in layers {
                    guard case .object(let o) = spec, case .int(let lg)? = o["group_size"], case .int(let lb)? = o["bits"]
                    else { throw FixtureError("\(p.caseName): bad override for \(path)") }
                    overrides[path] = (lg, lb)
                }
            }
            let weights = inputs.arrays.filter { $0.key != "tokens" }
            let model = TinyQuantModel()
            quantize(model: model) { path, _ in
                guard weights["\(path).scales"] != nil else { return nil }
                let (lg, lb) = overrides[path] ?? (g, b)
                return (lg, lb, .affine)
            }
            try model.update(parameters: ModuleParameters.unflattened(weights), verify: [.all])
            return model(try inputs["tokens"])
        }
        return t
    }
}
