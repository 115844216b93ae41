// Replays each fixture op through the public mlx-swift API, with the names, labels and overloads
// that generated model code uses. The op vocabulary is the one tools/make_op_fixtures.py writes.

import Foundation
import MLX
import MLXNN

/// The inputs of one case, by role.
struct Inputs {
    let arrays: [String: MLXArray]
    let caseName: String

    subscript(_ role: String) -> MLXArray {
        get throws {
            guard let a = arrays[role] else { throw FixtureError("\(caseName): input '\(role)' missing") }
            return a
        }
    }

    func optional(_ role: String) -> MLXArray? { arrays[role] }

    /// x0, x1, ... in order (concatenate and stack).
    var numbered: [MLXArray] {
        (0 ..< arrays.count).compactMap { arrays["x\($0)"] }
    }
}

typealias Replay = (Params, Inputs) throws -> [MLXArray]

func parityDType(named name: String) throws -> DType {
    switch name {
    case "float32": return .float32
    case "float16": return .float16
    case "bfloat16": return .bfloat16
    case "int32": return .int32
    case "uint32": return .uint32
    case "uint8": return .uint8
    case "bool": return .bool
    default: throw FixtureError("unknown dtype \(name)")
    }
}

private func one(_ f: @escaping (MLXArray) -> MLXArray) -> Replay {
    { _, inputs in [f(try inputs["x"])] }
}

private func two(_ f: @escaping (MLXArray, MLXArray) -> MLXArray) -> Replay {
    { _, inputs in [f(try inputs["a"], try inputs["b"])] }
}

/// An elementwise comparison, against an array `b` or against the Float parameter `scalar`.
private func comparison(
    _ arrays: @escaping (MLXArray, MLXArray) -> MLXArray, _ scalar: @escaping (MLXArray, Float) -> MLXArray
) -> Replay {
    { p, inputs in
        let a = try inputs["a"]
        if p.has("scalar") { return [scalar(a, Float(try p.double("scalar")))] }
        return [arrays(a, try inputs["b"])]
    }
}

private func scalarOp<S: ScalarOrArray>(_ op: String, _ a: MLXArray, _ s: S, left: Bool) throws -> MLXArray {
    switch (op, left) {
    case ("+", false): return a + s
    case ("+", true): return s + a
    case ("-", false): return a - s
    case ("-", true): return s - a
    case ("*", false): return a * s
    case ("*", true): return s * a
    case ("/", false): return a / s
    case ("/", true): return s / a
    case ("**", false): return a ** s
    case ("**", true): return s ** a
    default: throw FixtureError("unknown scalar op \(op)")
    }
}

/// The three shapes of a reduction (one axis, several axes, all axes), as free function and as method.
private struct Reduction {
    let axis: (MLXArray, Int, Bool) -> MLXArray
    let axes: ((MLXArray, [Int], Bool) -> MLXArray)?
    let all: (MLXArray, Bool) -> MLXArray
}

private func reduction(free: Reduction, method: Reduction) -> Replay {
    { p, inputs in
        let x = try inputs["x"]
        let keep = try p.bool("keepdims")
        let r = try p.string("form") == "method" ? method : free
        guard let axes = try p.optionalInts("axes") else { return [r.all(x, keep)] }
        if axes.count == 1 { return [r.axis(x, axes[0], keep)] }
        guard let many = r.axes else { throw FixtureError("\(p.caseName): this reduction takes one axis") }
        return [many(x, axes, keep)]
    }
}

/// One manifest index component as an mlx-swift index: Int, the range forms, `.stride`, `.ellipsis`,
/// `.newAxis` or an index array.
private func indexComponent(_ c: JSONValue, _ inputs: Inputs) throws -> any MLXArrayIndex {
    switch c {
    case .int(let i):
        return i
    case .string("..."):
        return .ellipsis
    case .string("newaxis"):
        return .newAxis
    case .object(let o):
        if case .array(let bounds)? = o["slice"], bounds.count == 3 {
            let n = bounds.map { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
            let (start, stop, step) = (n[0], n[1], n[2])
            if let step, step != 1 { return .stride(from: start, to: stop, by: step) }
            switch (start, stop) {
            case (nil, nil): return 0...
            case (let a?, nil): return a...
            case (nil, let b?): return ..<b
            case (let a?, let b?):
                // Swift ranges need lower <= upper; 2 ..< -1 (Python's 2:-1) goes through stride.
                if a <= b { return a ..< b }
                return .stride(from: a, to: b)
            }
        }
        if case .array(let bounds)? = o["through"], bounds.count == 2, case .int(let hi) = bounds[1] {
            if case .int(let lo) = bounds[0] { return lo ... hi }
            return ...hi
        }
        if case .string(let role)? = o["array"] { return try inputs[role] }
    default:
        break
    }
    throw FixtureError("\(inputs.caseName): unknown index component \(c)")
}

private func indexGet(_ x: MLXArray, _ idx: [any MLXArrayIndex]) -> MLXArray {
    // The variadic subscript is the form generated code writes; the array form covers the rest.
    switch idx.count {
    case 1: return x[idx[0]]
    case 2: return x[idx[0], idx[1]]
    case 3: return x[idx[0], idx[1], idx[2]]
    default: return x[idx]
    }
}

private func indexSet(_ x: MLXArray, _ idx: [any MLXArrayIndex], _ value: MLXArray) {
    switch idx.count {
    case 1: x[idx[0]] = value
    case 2: x[idx[0], idx[1]] = value
    case 3: x[idx[0], idx[1], idx[2]] = value
    default: x[idx] = value
    }
}

enum ParityReplay {
    /// op name -> replay. A function, not a stored static: closures over MLXArray are not Sendable.
    static func table() -> [String: Replay] {
        var t: [String: Replay] = [:]

        // Elementwise binary, with broadcasting and dtype promotion.
        t["add"] = two { $0 + $1 }
        t["subtract"] = two { $0 - $1 }
        t["multiply"] = two { $0 * $1 }
        t["divide"] = two { $0 / $1 }
        t["maximum"] = two { maximum($0, $1) }
        t["minimum"] = two { minimum($0, $1) }
        t["pow"] = two { MLX.pow($0, $1) }
        t["binary_scalar"] = { p, inputs in
            let a = try inputs["a"]
            let op = try p.string("op")
            let left = try p.string("side") == "left"
            let value = try p.double("scalar")
            switch try p.string("scalar_type") {
            case "Float": return [try scalarOp(op, a, Float(value), left: left)]
            case "Int": return [try scalarOp(op, a, Int(value), left: left)]
            case let other: throw FixtureError("\(p.caseName): unknown scalar type \(other)")
            }
        }

        t["equal"] = comparison({ $0 .== $1 }, { $0 .== $1 })
        t["not_equal"] = comparison({ $0 .!= $1 }, { $0 .!= $1 })
        t["less"] = comparison({ $0 .< $1 }, { $0 .< $1 })
        t["less_equal"] = comparison({ $0 .<= $1 }, { $0 .<= $1 })
        t["greater"] = comparison({ $0 .> $1 }, { $0 .> $1 })
        t["greater_equal"] = comparison({ $0 .>= $1 }, { $0 .>= $1 })
        t["logical_and"] = two { $0 .&& $1 }
        t["logical_or"] = two { $0 .|| $1 }
        t["logical_not"] = { _, inputs in
            let a = try inputs["a"]
            return [.!a]
        }
        t["where"] = { p, inputs in
            let cond = try inputs["cond"]
            let a = try inputs["a"]
            if p.has("scalar") { return [`where`(cond, a, Float(try p.double("scalar")))] }
            return [which(cond, a, try inputs["b"])]
        }

        // Elementwise unary; `form: method` uses the MLXArray method.
        func unary(_ free: @escaping (MLXArray) -> MLXArray, method: ((MLXArray) -> MLXArray)? = nil) -> Replay {
            { p, inputs in
                let x = try inputs["x"]
                if try p.optionalString("form") == "method" {
                    guard let method else { throw FixtureError("\(p.caseName): no method form") }
                    return [method(x)]
                }
                return [free(x)]
            }
        }
        t["exp"] = unary({ MLX.exp($0) }, method: { $0.exp() })
        t["log"] = unary({ MLX.log($0) }, method: { $0.log() })
        t["sqrt"] = unary({ MLX.sqrt($0) }, method: { $0.sqrt() })
        t["rsqrt"] = unary({ rsqrt($0) }, method: { $0.rsqrt() })
        t["tanh"] = unary({ MLX.tanh($0) })
        t["sigmoid"] = unary({ MLX.sigmoid($0) })
        t["erf"] = unary({ MLX.erf($0) })
        t["erfinv"] = unary({ erfInverse($0) })
        t["abs"] = unary({ MLX.abs($0) }, method: { $0.abs() })
        t["square"] = unary({ square($0) }, method: { $0.square() })
        t["floor"] = unary({ MLX.floor($0) }, method: { $0.floor() })
        t["negative"] = unary({ -$0 })

        // Reductions.
        t["sum"] = reduction(
            free: Reduction(
                axis: { MLX.sum($0, axis: $1, keepDims: $2) }, axes: { MLX.sum($0, axes: $1, keepDims: $2) },
                all: { MLX.sum($0, keepDims: $1) }),
            method: Reduction(
                axis: { $0.sum(axis: $1, keepDims: $2) }, axes: { $0.sum(axes: $1, keepDims: $2) },
                all: { $0.sum(keepDims: $1) }))
        t["mean"] = reduction(
            free: Reduction(
                axis: { MLX.mean($0, axis: $1, keepDims: $2) }, axes: { MLX.mean($0, axes: $1, keepDims: $2) },
                all: { MLX.mean($0, keepDims: $1) }),
            method: Reduction(
                axis: { $0.mean(axis: $1, keepDims: $2) }, axes: { $0.mean(axes: $1, keepDims: $2) },
                all: { $0.mean(keepDims: $1) }))
        t["max"] = reduction(
            free: Reduction(
                axis: { MLX.max($0, axis: $1, keepDims: $2) }, axes: { MLX.max($0, axes: $1, keepDims: $2) },
                all: { MLX.max($0, keepDims: $1) }),
            method: Reduction(
                axis: { $0.max(axis: $1, keepDims: $2) }, axes: { $0.max(axes: $1, keepDims: $2) },
                all: { $0.max(keepDims: $1) }))
        t["min"] = reduction(
            free: Reduction(
                axis: { MLX.min($0, axis: $1, keepDims: $2) }, axes: { MLX.min($0, axes: $1, keepDims: $2) },
                all: { MLX.min($0, keepDims: $1) }),
            method: Reduction(
                axis: { $0.min(axis: $1, keepDims: $2) }, axes: { $0.min(axes: $1, keepDims: $2) },
                all: { $0.min(keepDims: $1) }))
        t["logsumexp"] = reduction(
            free: Reduction(
                axis: { logSumExp($0, axis: $1, keepDims: $2) }, axes: { logSumExp($0, axes: $1, keepDims: $2) },
                all: { logSumExp($0, keepDims: $1) }),
            method: Reduction(
                axis: { $0.logSumExp(axis: $1, keepDims: $2) }, axes: { $0.logSumExp(axes: $1, keepDims: $2) },
                all: { $0.logSumExp(keepDims: $1) }))
        t["argmax"] = reduction(
            free: Reduction(
                axis: { argMax($0, axis: $1, keepDims: $2) }, axes: nil, all: { argMax($0, keepDims: $1) }),
            method: Reduction(
                axis: { $0.argMax(axis: $1, keepDims: $2) }, axes: nil, all: { $0.argMax(keepDims: $1) }))

        t["softmax"] = { p, inputs in
            let x = try inputs["x"]
            let precise = try p.bool("precise")
            guard let axes = try p.optionalInts("axes") else { return [softmax(x, precise: precise)] }
            if axes.count == 1 { return [softmax(x, axis: axes[0], precise: precise)] }
            return [softmax(x, axes: axes, precise: precise)]
        }
        t["matmul"] = two { matmul($0, $1) }
        t["addmm"] = { p, inputs in
            let (c, a, b) = (try inputs["c"], try inputs["a"], try inputs["b"])
            let alpha = Float(try p.double("alpha"))
            let beta = Float(try p.double("beta"))
            if alpha == 1 && beta == 1 { return [addMM(c, a, b)] }
            return [addMM(c, a, b, alpha: alpha, beta: beta)]
        }

        // Shapes.
        t["reshape"] = { p, inputs in [try inputs["x"].reshaped(try p.ints("shape"))] }
        t["transpose"] = { p, inputs in
            let x = try inputs["x"]
            guard let axes = try p.optionalInts("axes") else { return [x.T] }
            return [x.transposed(axes: axes)]
        }
        t["swapaxes"] = { p, inputs in [try inputs["x"].swappedAxes(try p.int("axis1"), try p.int("axis2"))] }
        t["expand_dims"] = { p, inputs in
            let x = try inputs["x"]
            let axes = try p.ints("axes")
            return [axes.count == 1 ? expandedDimensions(x, axis: axes[0]) : expandedDimensions(x, axes: axes)]
        }
        t["squeeze"] = { p, inputs in
            let x = try inputs["x"]
            guard let axes = try p.optionalInts("axes") else { return [x.squeezed()] }
            return [axes.count == 1 ? x.squeezed(axis: axes[0]) : x.squeezed(axes: axes)]
        }
        t["concatenate"] = { p, inputs in [concatenated(inputs.numbered, axis: try p.int("axis"))] }
        t["stack"] = { p, inputs in [stacked(inputs.numbered, axis: try p.int("axis"))] }
        t["split"] = { p, inputs in
            let x = try inputs["x"]
            let axis = try p.int("axis")
            if p.has("parts") { return split(x, parts: try p.int("parts"), axis: axis) }
            return split(x, indices: try p.ints("indices"), axis: axis)
        }
        t["take"] = { p, inputs in
            let x = try inputs["x"]
            let indices = try inputs["indices"]
            guard let axis = try p.optionalInt("axis") else { return [take(x, indices)] }
            return [take(x, indices, axis: axis)]
        }
        t["take_along"] = { p, inputs in
            [takeAlong(try inputs["x"], try inputs["indices"], axis: try p.int("axis"))]
        }
        t["put_along"] = { p, inputs in
            [putAlong(try inputs["x"], try inputs["indices"], values: try inputs["values"], axis: try p.int("axis"))]
        }
        t["argpartition"] = { p, inputs in
            [argPartition(try inputs["x"], kth: try p.int("kth"), axis: try p.int("axis"))]
        }
        t["argsort"] = { p, inputs in [argSort(try inputs["x"], axis: try p.int("axis"))] }
        t["cumsum"] = { p, inputs in
            [cumsum(try inputs["x"], axis: try p.int("axis"), reverse: try p.bool("reverse"),
                    inclusive: try p.bool("inclusive"))]
        }
        t["tril"] = { p, inputs in [tril(try inputs["x"], k: try p.int("k"))] }
        t["triu"] = { p, inputs in [triu(try inputs["x"], k: try p.int("k"))] }
        t["clip"] = { p, inputs in
            let x = try inputs["x"]
            if let lo = inputs.optional("lo"), let hi = inputs.optional("hi") { return [clip(x, min: lo, max: hi)] }
            switch (try p.optionalDouble("min"), try p.optionalDouble("max")) {
            case (let lo?, let hi?): return [clip(x, min: Float(lo), max: Float(hi))]
            case (let lo?, nil): return [clip(x, min: Float(lo))]
            case (nil, let hi?): return [clip(x, max: Float(hi))]
            case (nil, nil): throw FixtureError("\(p.caseName): clip without bounds")
            }
        }
        t["arange"] = { p, _ in
            let dtype = try p.optionalString("dtype").map { try parityDType(named: $0) }
            if try p.string("kind") == "int" {
                let stop = try p.int("stop")
                guard let start = try p.optionalInt("start") else {
                    return [dtype.map { arange(stop, dtype: $0) } ?? arange(stop)]
                }
                let step = try p.optionalInt("step") ?? 1
                return [dtype.map { arange(start, stop, step: step, dtype: $0) } ?? arange(start, stop, step: step)]
            }
            let stop = try p.double("stop")
            guard let start = try p.optionalDouble("start") else { return [arange(stop, dtype: dtype ?? .float32)] }
            return [arange(start, stop, step: try p.optionalDouble("step") ?? 1, dtype: dtype ?? .float32)]
        }

        // Indexing and slice assignment.
        t["index"] = { p, inputs in
            let idx = try p.list("index").map { try indexComponent($0, inputs) }
            return [indexGet(try inputs["x"], idx)]
        }
        t["index_update"] = { p, inputs in
            let x = try inputs["x"]
            let idx = try p.list("index").map { try indexComponent($0, inputs) }
            indexSet(x, idx, try inputs["value"])
            return [x]
        }
        t["astype"] = { p, inputs in [try inputs["x"].asType(try parityDType(named: try p.string("dtype")))] }

        // Fast kernels.
        t["rms_norm"] = { p, inputs in
            [MLXFast.rmsNorm(try inputs["x"], weight: try inputs["weight"], eps: Float(try p.double("eps")))]
        }
        t["rope"] = { p, inputs in
            let x = try inputs["x"]
            let dims = try p.int("dims")
            let traditional = try p.bool("traditional")
            let base = try p.optionalDouble("base").map { Float($0) }
            let scale = Float(try p.double("scale"))
            let freqs = inputs.optional("freqs")
            if let offset = inputs.optional("offset") {
                return [MLXFast.RoPE(x, dimensions: dims, traditional: traditional, base: base, scale: scale,
                                     offset: offset, freqs: freqs)]
            }
            return [MLXFast.RoPE(x, dimensions: dims, traditional: traditional, base: base, scale: scale,
                                 offset: try p.int("offset"), freqs: freqs)]
        }
        t["nn_rope"] = { p, inputs in
            let rope = MLXNN.RoPE(dimensions: try p.int("dims"), traditional: try p.bool("traditional"),
                                  base: Float(try p.double("base")), scale: Float(try p.double("scale")))
            return [rope(try inputs["x"], offset: try p.int("offset"))]
        }
        t["sdpa"] = { p, inputs in
            let q = try inputs["q"]
            let k = try inputs["k"]
            let v = try inputs["v"]
            let scale = Float(try p.double("scale"))
            let sinks = inputs.optional("sinks")
            let kind = try p.string("mask")
            if try p.string("api") == "optional" {
                let mask: MLXArray? = kind == "none" ? nil : inputs.optional("mask")
                return [MLXFast.scaledDotProductAttention(queries: q, keys: k, values: v, scale: scale, mask: mask,
                                                          sinks: sinks)]
            }
            let mode: MLXFast.ScaledDotProductAttentionMaskMode
            switch kind {
            case "none": mode = .none
            case "causal": mode = .causal
            default: mode = .array(try inputs["mask"])
            }
            return [MLXFast.scaledDotProductAttention(queries: q, keys: k, values: v, scale: scale, mask: mode,
                                                      sinks: sinks)]
        }

        // MLXNN.
        t["silu"] = one { silu($0) }
        t["gelu"] = one { gelu($0) }
        t["gelu_approx"] = one { geluApproximate($0) }
        t["gelu_fast_approx"] = one { geluFastApproximate($0) }
        t["relu"] = one { relu($0) }
        t["softplus"] = one { softplus($0) }
        t["linear"] = { _, inputs in
            let layer = Linear(weight: try inputs["weight"], bias: inputs.optional("bias"))
            return [layer(try inputs["x"])]
        }
        t["embedding"] = { _, inputs in [Embedding(weight: try inputs["weight"])(try inputs["indices"])] }
        t["embedding_as_linear"] = { _, inputs in [Embedding(weight: try inputs["weight"]).asLinear(try inputs["x"])] }
        t["gather_mm"] = { p, inputs in
            [gatherMM(try inputs["a"], try inputs["b"], lhsIndices: inputs.optional("lhs_indices"),
                      rhsIndices: inputs.optional("rhs_indices"), sortedIndices: try p.bool("sorted"))]
        }
        t.merge(quantizedTable()) { _, _ in preconditionFailure("an op has two replays") }
        return t
    }
}
