// Loading a checkpoint directory: config.json, one or more safetensors files, strict parameter update.
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN

public enum ModelLoadingError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case invalidConfiguration(String)
    case noWeights(String)
    case invalidIndex(String)
    /// A safetensors file that cannot be read as one: its name, and what is wrong.
    case invalidWeights(String, String)
    /// A weight the checkpoint lacks, has too many of, or holds in another shape.
    case weights(String)

    public var description: String {
        switch self {
        case .weights(let message): "checkpoint: \(message)"
        case .missingFile(let path): "\(path): no such file"
        case .invalidConfiguration(let message): "config.json: \(message)"
        case .noWeights(let directory): "\(directory): no model*.safetensors files"
        case .invalidIndex(let message): "model.safetensors.index.json: \(message)"
        case .invalidWeights(let file, let message): "\(file): \(message)"
        }
    }
}

/// `weights` without the keys matching any of `patterns`, where `*` matches any run of
/// characters (`"*.rotary_emb.inv_freq"`, `"lm_head.*"`).
public func removingWeights(_ weights: [String: MLXArray], matching patterns: [String]) -> [String: MLXArray] {
    if patterns.isEmpty { return weights }
    return weights.filter { key, _ in !patterns.contains { globMatches($0, key) } }
}

/// `weights` without the layers numbered `from` and up (`model.layers.<n>.*`, n >= from).
public func removingLayers(_ weights: [String: MLXArray], from first: Int) -> [String: MLXArray] {
    let prefix = "model.layers."
    return weights.filter { key, _ in
        guard key.hasPrefix(prefix) else { return true }
        let index = key.dropFirst(prefix.count).prefix { $0.isNumber }
        guard let n = Int(index) else { return true }
        return n < first
    }
}

/// `weights` with one row of the embedding under `key` set to zero: its `.weight`, or for a quantized
/// embedding its `.scales` and `.biases`, which dequantize the row to zero. A negative `row` counts
/// from the end, as torch's `padding_idx` does; `nil` leaves the embedding as loaded.
public func zeroingEmbeddingRow(_ weights: [String: MLXArray], key: String, row: Int?) -> [String: MLXArray] {
    guard let row else { return weights }
    var out = weights
    let parts = weights[key + ".scales"] != nil ? [".scales", ".biases"] : [".weight"]
    for part in parts {
        guard let table = weights[key + part], table.ndim == 2 else { continue }
        let rows = table.dim(0)
        let index = row < 0 ? rows + row : row
        guard index >= 0, index < rows else { continue }
        let isRow = (arange(rows) .== index).expandedDimensions(axis: 1)
        out[key + part] = which(isRow, zeros(like: table), table)
    }
    return out
}

/// `weights` with the head (`lm_head.weight`) divided by its column norms, when `enabled`: each
/// hidden dimension's 2-norm over the vocabulary, in float32, plus 1e-7. A quantized head (packed,
/// beside `lm_head.scales`) passes unchanged: mlx_lm.convert divided it before quantizing it.
public func normalizingHeadColumns(_ weights: [String: MLXArray], enabled: Bool) -> [String: MLXArray] {
    guard enabled, let head = weights["lm_head.weight"], weights["lm_head.scales"] == nil else { return weights }
    let columns = head.asType(.float32)
    let norms = sqrt((columns * columns).sum(axis: 0, keepDims: true)) + 1e-7
    var out = weights
    out["lm_head.weight"] = (head / norms).asType(head.dtype)
    return out
}

/// `weights` with the 2-D tensors whose keys match any of `patterns` (`*` matches any run of
/// characters) transposed: layouts that store a linear layer's matrix [in, out] (transformers'
/// `Conv1D`) become the [out, in] the linear layers take.
public func transposingMatrices(_ weights: [String: MLXArray], matching patterns: [String]) -> [String: MLXArray] {
    var out = weights
    for (key, value) in weights where value.ndim == 2 && patterns.contains(where: { globMatches($0, key) }) {
        out[key] = value.transposed(1, 0)
    }
    return out
}

/// `weights` with each key's longest matching prefix in `prefixes` replaced by its value.
public func renamingPrefixes(_ weights: [String: MLXArray], _ prefixes: [String: String]) -> [String: MLXArray] {
    let ordered = prefixes.sorted { $0.key.count > $1.key.count }
    var renamed: [String: MLXArray] = [:]
    for (key, value) in weights {
        if let (from, to) = ordered.first(where: { key.hasPrefix($0.key) }) {
            renamed[to + key.dropFirst(from.count)] = value
        } else {
            renamed[key] = value
        }
    }
    return renamed
}

/// Matches `text` against `pattern` whose only wildcard is `*` (any run, possibly empty).
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.utf8)
    let t = Array(text.utf8)
    var (pi, ti) = (0, 0)
    var star = -1
    var resume = 0
    while ti < t.count {
        if pi < p.count && p[pi] == UInt8(ascii: "*") {
            star = pi
            resume = ti
            pi += 1
        } else if pi < p.count && p[pi] == t[ti] {
            pi += 1
            ti += 1
        } else if star >= 0 {
            // Let the last star absorb one more character and retry.
            pi = star + 1
            resume += 1
            ti = resume
        } else {
            return false
        }
    }
    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
    return pi == p.count
}

/// The `model_type` of a config.json (the top level names the model a checkpoint is served by).
public func modelType(ofConfiguration data: Data) throws -> String {
    let parsed: Any
    do {
        parsed = try JSONSerialization.jsonObject(with: data)
    } catch {
        throw ModelLoadingError.invalidConfiguration("not valid JSON (\(jsonProblem(error)))")
    }
    guard let object = parsed as? [String: Any] else {
        throw ModelLoadingError.invalidConfiguration("not a JSON object")
    }
    guard let type = object["model_type"] as? String else {
        throw ModelLoadingError.invalidConfiguration("no model_type")
    }
    return type
}

/// Every tensor of a checkpoint directory: the shards a `model.safetensors.index.json` names, or
/// else every `model*.safetensors` file (as mlx-lm globs them), merged into one dictionary.
public func loadWeights(directory: URL) throws -> [String: MLXArray] {
    let index = directory.appendingPathComponent("model.safetensors.index.json")
    var files: [URL]
    if FileManager.default.fileExists(atPath: index.path) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: index))
        } catch {
            throw ModelLoadingError.invalidIndex("not valid JSON (\(jsonProblem(error)))")
        }
        guard let object = parsed as? [String: Any], let map = object["weight_map"] as? [String: String] else {
            throw ModelLoadingError.invalidIndex("no weight_map object of file names")
        }
        // A shard named outside the checkpoint directory is not part of it.
        if let outside = map.values.sorted().first(where: { $0.contains("/") || $0.hasPrefix(".") }) {
            throw ModelLoadingError.invalidIndex("weight_map names \"\(outside)\", not a file of the directory")
        }
        files = Set(map.values).sorted().map { directory.appendingPathComponent($0) }
        for file in files where !FileManager.default.fileExists(atPath: file.path) {
            throw ModelLoadingError.missingFile(file.path)
        }
    } else {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        files = names.filter { $0.hasPrefix("model") && $0.hasSuffix(".safetensors") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }
    if files.isEmpty {
        throw ModelLoadingError.noWeights(directory.path)
    }
    var weights: [String: MLXArray] = [:]
    for file in files {
        let arrays: [String: MLXArray]
        do {
            arrays = try loadArrays(url: file)
        } catch {
            throw ModelLoadingError.invalidWeights(
                file.lastPathComponent, (error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        weights.merge(arrays) { first, _ in first }
    }
    return weights
}

/// Builds the model a checkpoint directory describes and loads its weights. The model comes from
/// `registry` (mlx-swift-lm's `LLMTypeRegistry` unless given), as `LLMModelFactory` builds it, after
/// `factory.registerModelTypes(in:)`; `factory` supplies the checkpoint layouts of its model types. The
/// update is strict (`.all`): a missing, unused or mis-shaped weight throws instead of leaving a layer
/// at random.
public func loadModel(
    directory: URL, factory: any GeneratedModelFactory.Type,
    registry: ModelTypeRegistry<LanguageModel> = LLMTypeRegistry.shared
) async throws -> any LanguageModel {
    let checkpoint = try Checkpoint(directory: directory, factory: factory)
    let model: any LanguageModel
    do {
        guard await registry.contains(checkpoint.modelType) else {
            // Refused and unknown model types are not registered: the factory says why.
            try factory.checkConfiguration(modelType: checkpoint.modelType, configuration: checkpoint.configuration)
            throw ModelRegistryError.unsupportedModelType(checkpoint.modelType, supported: factory.supportedModelTypes)
        }
        model = try await registry.createModel(configuration: checkpoint.configuration, modelType: checkpoint.modelType)
    } catch {
        throw checkpoint.configurationProblem(error, factory: factory)
    }
    try checkpoint.load(into: model)
    return model
}

/// `loadModel(directory:factory:registry:)` for callers that cannot wait (the fuzzing harness): the
/// model comes from `factory` directly.
public func loadModelSynchronously(directory: URL, factory: any GeneratedModelFactory.Type) throws -> any LanguageModel {
    let checkpoint = try Checkpoint(directory: directory, factory: factory)
    let model: any LanguageModel
    do {
        model = try factory.makeModel(modelType: checkpoint.modelType, configuration: checkpoint.configuration)
    } catch {
        throw checkpoint.configurationProblem(error, factory: factory)
    }
    try checkpoint.load(into: model)
    return model
}

/// A checkpoint directory read and checked before any model is built: its config.json, its
/// `model_type`, and its weights as stored (the model's `sanitize` reads a wrapper's layout, as it
/// must under mlx-swift-lm's loader).
struct Checkpoint {
    let configuration: Data
    let modelType: String
    let prefixes: [String: String]
    let weights: [String: MLXArray]

    init(directory: URL, factory: any GeneratedModelFactory.Type) throws {
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModelLoadingError.missingFile(configURL.path)
        }
        configuration = spellingNonFiniteNumbers(try Data(contentsOf: configURL))
        modelType = try HF2SwiftRuntime.modelType(ofConfiguration: configuration)
        prefixes = factory.checkpointPrefixes(modelType: modelType)
        weights = try loadWeights(directory: directory)
        // Before anything is built: a config describing far more than the checkpoint holds would
        // otherwise allocate it all first.
        try checkSizes(
            configuration: configuration,
            against: try factory.checkpointLayout(modelType: modelType).textModelWeights(weights))
    }

    /// What building the model threw, said of the configuration where it is the configuration's fault.
    func configurationProblem(_ error: Error, factory: any GeneratedModelFactory.Type) -> Error {
        switch error {
        case let error as DecodingError:
            if let located = nonIntegerKey(configuration: configuration, modelType: modelType, factory: factory) {
                return ModelLoadingError.invalidConfiguration(located)
            }
            return ModelLoadingError.invalidConfiguration(decodingProblem(error))
        case let error as ConfigurationError:
            return ModelLoadingError.invalidConfiguration(error.description)
        default:
            return error
        }
    }

    /// Sanitizes the weights for `model`, quantizes the layers the checkpoint quantizes, and updates
    /// the model strictly.
    func load(into model: any LanguageModel) throws {
        let weights = model.sanitize(weights: weights)
        let plan = try QuantizationPlan(configuration: configuration, prefixes: prefixes)
        // The model's sanitize cast the weights to the config's dtype (CheckpointLayout), as it must
        // under mlx-swift-lm's loader, which casts nothing.
        if let plan {
            // Layers become quantized before the update, so their packed weights and scales fit.
            plan.apply(to: model, weights: weights)
        } else if let quantized = weights.keys.sorted().first(where: { $0.hasSuffix(".scales") }) {
            throw ModelLoadingError.invalidConfiguration(
                "the weights are quantized (\(quantized)) but there is no quantization object")
        }
        try verifyWeights(weights, against: model)
        do {
            try model.update(parameters: ModuleParameters.unflattened(weights), verify: [.all])
        } catch let error as UpdateError {
            throw ModelLoadingError.weights(weightProblem(error))
        }
        eval(model)
    }
}

/// Whether config.json describes quantized weights (a `quantization` or `quantization_config` object).
public func isQuantized(configuration: Data) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: configuration) as? [String: Any] else { return false }
    return quantizationEntry(object) != nil
}

/// The quantization object of a parsed config.json and the key it stands under: mlx_lm.convert's
/// `quantization`, else `quantization_config`.
func quantizationEntry(_ object: [String: Any]) -> (key: String, value: Any)? {
    for key in ["quantization", "quantization_config"] {
        if let value = object[key] { return (key, value) }
    }
    return nil
}

/// The dtype config.json asks the model to compute in (`dtype`, or the older `torch_dtype`), nil
/// when it names none (or `auto`): the weights then keep the dtype they are stored in.
public func computeDType(configuration: Data) throws -> DType? {
    guard let object = try JSONSerialization.jsonObject(with: configuration) as? [String: Any] else { return nil }
    let key = object["dtype"] is String ? "dtype" : "torch_dtype"
    guard let name = object[key] as? String, name != "auto" else { return nil }
    switch name {
    case "float32": return .float32
    case "bfloat16": return .bfloat16
    case "float16": return .float16
    default:
        throw ModelLoadingError.invalidConfiguration(
            "\(key): \"\(name)\" is not supported (supported: float32, bfloat16, float16)")
    }
}

/// How a checkpoint's layers are quantized, from config.json's `quantization` (or
/// `quantization_config`) object as mlx_lm.convert writes it: a default group size, bits and mode,
/// and per-layer entries (keyed by module path) that override them or (`false`) keep a layer dense.
public struct QuantizationPlan {
    public typealias Parameters = (groupSize: Int, bits: Int, mode: QuantizationMode)
    let defaults: Parameters
    let layers: [String: Parameters?]

    /// nil when the configuration quantizes nothing. Per-layer paths get the same prefix renames
    /// as the checkpoint's weights, so they name the generated module tree.
    public init?(configuration: Data, prefixes: [String: String]) throws {
        guard let object = try JSONSerialization.jsonObject(with: configuration) as? [String: Any],
            let entry = quantizationEntry(object), let spec = entry.value as? [String: Any]
        else { return nil }
        let key = entry.key
        if let method = spec["quant_method"] as? String, spec["bits"] == nil {
            throw ModelLoadingError.invalidConfiguration(
                "\(key).quant_method: \"\(method)\" (a Hugging Face quantized layout) is not supported; "
                    + "convert the checkpoint with mlx_lm.convert")
        }
        defaults = try Self.parameters(spec, key: key)
        var layers: [String: Parameters?] = [:]
        let ordered = prefixes.sorted { $0.key.count > $1.key.count }
        for (path, value) in spec {
            let renamed = ordered.first { path.hasPrefix($0.key) }.map { $1 + path.dropFirst($0.count) } ?? path
            if let dense = value as? Bool, !dense {
                layers[renamed] = .some(nil)
            } else if let layer = value as? [String: Any] {
                layers[renamed] = try Self.parameters(layer, key: "\(key).\(path)", inheriting: defaults)
            }
        }
        self.layers = layers
    }

    static func parameters(_ spec: [String: Any], key: String, inheriting: Parameters? = nil) throws -> Parameters {
        // A value of the wrong type is refused, never replaced by a default.
        func integer(_ name: String) throws -> Int? {
            guard let value = spec[name], !(value is NSNull) else { return nil }
            guard !(value is String), let exact = value as? Int ?? (value as? Double).flatMap({ Int(exactly: $0) })
            else {
                throw ModelLoadingError.invalidConfiguration("\(key).\(name): \(jsonText(value)) is not an integer")
            }
            return exact
        }
        if let mode = spec["mode"], !(mode is String) {
            throw ModelLoadingError.invalidConfiguration("\(key).mode: \(jsonText(mode)) is not a string")
        }
        let modeName = spec["mode"] as? String ?? inheriting?.mode.rawValue ?? "affine"
        guard let mode = QuantizationMode(rawValue: modeName), mode != .nvfp4 else {
            throw ModelLoadingError.invalidConfiguration(
                "\(key).mode: \"\(modeName)\" is not supported (supported: affine, mxfp4, mxfp8)")
        }
        let defaults: (Int, Int) = mode == .affine ? (64, 4) : mode == .mxfp8 ? (32, 8) : (32, 4)
        let groupSize = try integer("group_size") ?? inheriting?.groupSize ?? defaults.0
        let bits = try integer("bits") ?? inheriting?.bits ?? defaults.1
        guard [2, 3, 4, 5, 6, 8].contains(bits), [32, 64, 128].contains(groupSize) else {
            throw ModelLoadingError.invalidConfiguration(
                "\(key): \(bits) bits in groups of \(groupSize) is not a supported quantization")
        }
        return (groupSize, bits, mode)
    }

    /// A layer's parameters: its own entry if it has one, else the defaults when the checkpoint
    /// holds `scales` for it (as mlx-lm decides), else nil (dense).
    public func parameters(forLayer path: String, weights: [String: MLXArray]) -> Parameters? {
        if let entry = layers[path] { return entry }
        return weights["\(path).scales"] != nil ? defaults : nil
    }

    /// Replaces every quantizable layer the plan covers with its quantized form.
    public func apply(to model: Module, weights: [String: MLXArray]) {
        quantize(
            model: model,
            filter: { path, module in
                guard module is Quantizable else { return nil }
                return parameters(forLayer: path, weights: weights)
            })
    }
}

/// The decoder layer indices (`layers.N.`, not `mtp_layers.N.`) the keys mention.
func layerIndices(_ keys: some Sequence<String>) -> Set<Int> {
    var indices = Set<Int>()
    for key in keys {
        var rest = Substring(key)
        while let range = rest.range(of: "layers.") {
            let before = range.lowerBound == key.startIndex ? nil : key[key.index(before: range.lowerBound)]
            let digits = rest[range.upperBound...].prefix { $0.isNumber }
            if before == nil || before == ".", let index = Int(digits),
                rest[range.upperBound...].dropFirst(digits.count).first == "."
            {
                indices.insert(index)
                break
            }
            rest = rest[range.upperBound...]
        }
    }
    return indices
}

/// Refuses a config whose standard sizes (`num_hidden_layers`, `hidden_size` with `vocab_size` and
/// `intermediate_size`, in `text_config` when nested) describe more than `checkpoint` holds: a
/// layer count other than the decoder layers stored (besides `num_nextn_predict_layers`
/// multi-token prediction layers), or a matrix larger than 16 times the largest
/// stored tensor (the densest packing of quantized weights).
func checkSizes(configuration: Data, against checkpoint: [String: MLXArray]) throws {
    guard let top = try JSONSerialization.jsonObject(with: configuration) as? [String: Any] else { return }
    let text = top["text_config"] as? [String: Any] ?? top
    let decoder = checkpoint.keys.filter { $0.hasPrefix("model.layers.") }
    if let layers = text["num_hidden_layers"] as? Int, !decoder.isEmpty {
        let stored = layerIndices(decoder).count
        // Multi-token prediction layers are stored after the decoder's own, which sanitize removes.
        let prediction = text["num_nextn_predict_layers"] as? Int ?? 0
        if layers != stored && (prediction <= 0 || layers + prediction != stored) {
            throw ModelLoadingError.invalidConfiguration(
                "num_hidden_layers: \(layers), but the checkpoint holds \(stored) decoder layer\(stored == 1 ? "" : "s")")
        }
    }
    guard let hidden = text["hidden_size"] as? Int, hidden > 0,
        let largest = checkpoint.values.map(\.size).max(), largest > 0
    else { return }
    let widths = [("vocab_size", text["vocab_size"] as? Int)]
        + [("intermediate_size", (text["intermediate_size"] as? Int) ?? (text["intermediate_size"] as? [Int])?.max())]
    for case (let key, let width?) in widths where width > 0 {
        let (elements, overflow) = hidden.multipliedReportingOverflow(by: width)
        if overflow || elements / 16 > largest {
            throw ModelLoadingError.invalidConfiguration(
                "hidden_size \(hidden) and \(key) \(width) describe a matrix far larger than any tensor of the checkpoint")
        }
    }
}

/// Throws, naming the first offending key in sorted order (the same on every run), unless
/// `weights` holds exactly the model's parameters in their shapes and kinds of dtype.
func verifyWeights(_ weights: [String: MLXArray], against model: Module) throws {
    let parameters = Dictionary(model.parameters().flattened(), uniquingKeysWith: { first, _ in first })
    func more(_ count: Int) -> String { count > 1 ? " (and \(count - 1) more)" : "" }
    // A layer count the checkpoint does not have is the likeliest cause of missing or extra keys.
    let (built, stored) = (layerIndices(parameters.keys), layerIndices(weights.keys))
    if !stored.isEmpty, built.count != stored.count {
        throw ModelLoadingError.weights(
            "holds \(stored.count) layer\(stored.count == 1 ? "" : "s"); the configuration builds \(built.count)")
    }
    let missing = parameters.keys.filter { weights[$0] == nil }.sorted()
    if let first = missing.first {
        throw ModelLoadingError.weights("\(first) is missing" + more(missing.count))
    }
    let extra = weights.keys.filter { parameters[$0] == nil }.sorted()
    if let first = extra.first {
        throw ModelLoadingError.weights("\(first) is not a parameter of the model" + more(extra.count))
    }
    for key in parameters.keys.sorted() {
        let (weight, parameter) = (weights[key]!, parameters[key]!)
        if weight.shape != parameter.shape {
            throw ModelLoadingError.weights("\(key) has shape \(weight.shape); the model expects \(parameter.shape)")
        }
        // Integer or boolean data read as a float weight (or the reverse) would compute garbage.
        if weight.dtype.isFloatingPoint != parameter.dtype.isFloatingPoint || (weight.dtype == .bool) != (parameter.dtype == .bool) {
            throw ModelLoadingError.weights("\(key) has dtype \(weight.dtype); the model expects \(parameter.dtype)")
        }
    }
}

/// One line naming the weight an update refused.
func weightProblem(_ error: UpdateError) -> String {
    switch error {
    case .keyNotFound(let path, _):
        return "\(path.joined(separator: ".")) is missing"
    case .unhandledKeys(let path, _, let keys):
        let names = keys.sorted().map { (path + [$0]).joined(separator: ".") }
        return "\(names.joined(separator: ", ")) \(names.count == 1 ? "is not a parameter" : "are not parameters") of the model"
    case .mismatchedSize(let path, _, let expected, let actual):
        return "\(path.joined(separator: ".")) has shape \(actual); the model expects \(expected)"
    default:
        return error.localizedDescription
    }
}

/// A JSON value as a config states it, for refusals: strings quoted, the rest as JSON writes it.
func jsonText(_ value: Any) -> String {
    if let string = value as? String { return "\"\(string)\"" }
    if let data = try? JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed]),
        let text = String(data: data, encoding: .utf8)
    {
        return String(text.dropFirst().dropLast())
    }
    return "\(value)"
}

/// Which number of `configuration` the model needs to be an integer, when its decoder did not say
/// (Foundation on Linux reports a fractional number read as an integer without its key): each
/// fractional number of the top level and of `text_config` is tried rounded, and the one whose
/// rounding lets the configuration decode past it is named.
func nonIntegerKey(configuration: Data, modelType: String, factory: any GeneratedModelFactory.Type) -> String? {
    guard let top = try? JSONSerialization.jsonObject(with: configuration) as? [String: Any] else { return nil }
    func stillFailsTheSameWay(_ candidate: [String: Any]) -> Bool {
        guard let data = try? JSONSerialization.data(withJSONObject: candidate) else { return true }
        do {
            try factory.checkConfiguration(modelType: modelType, configuration: data)
            return false
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty { return true }
            return false
        } catch {
            return false
        }
    }
    let nested = top["text_config"] as? [String: Any]
    for (path, object) in [("", top), ("text_config.", nested ?? [:])] {
        for key in object.keys.sorted() {
            guard let number = object[key] as? Double, number.rounded() != number, number.isFinite else { continue }
            var changed = object
            changed[key] = Int(number.rounded())
            var candidate = top
            if path.isEmpty { candidate = changed } else { candidate["text_config"] = changed }
            if !stillFailsTheSameWay(candidate) {
                return "\(path)\(key): \(jsonText(number)) is not an integer"
            }
        }
    }
    return nil
}

/// A JSON parser's complaint in one line (Foundation's errors carry it in their user info).
func jsonProblem(_ error: Error) -> String {
    let info = (error as NSError).userInfo
    return (info[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription
}

/// A configuration decoding error as one line: the key path, and what is wrong with its value.
public func decodingProblem(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
        let keys = context.codingPath.map(\.stringValue) + (key.map { [$0.stringValue] } ?? [])
        return keys.isEmpty ? "config.json" : keys.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "\(path(context, key)): is required"
    case .valueNotFound(let type, let context):
        return "\(path(context)): is null where a \(type) is required"
    case .typeMismatch(let type, let context):
        return "\(path(context)): is not a \(type) (\(context.debugDescription))"
    case .dataCorrupted(let context):
        if context.codingPath.isEmpty, let underlying = context.underlyingError {
            return "not valid JSON (\(jsonProblem(underlying)))"
        }
        return "\(path(context)): \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}

/// `weights` with every occurrence of each key part in `parts` replaced by its value, longest
/// first: modules a checkpoint nests under other names (`.mlp.gate.wg.` for `.mlp.gate.`).
/// `weights` with one subtracted (in each weight's dtype) from every weight whose key ends in one of
/// `norms`, when some key contains `marker`: a checkpoint mlx-lm converted holds those norms with the
/// one of a (1 + weight) norm already added. Without the marker, `weights` as they are. The marker is
/// sought in `checkpoint`'s keys where given (the keys as stored, before a wrapper's prefixes go).
public func removingConvertedNormOffset(
    _ weights: [String: MLXArray], marker: String, norms: [String], checkpoint: [String: MLXArray]? = nil
) -> [String: MLXArray] {
    guard (checkpoint ?? weights).keys.contains(where: { $0.contains(marker) }) else { return weights }
    var out = weights
    for (key, value) in weights where norms.contains(where: { key.hasSuffix($0) }) {
        out[key] = value - 1
    }
    return out
}

public func renamingKeyParts(_ weights: [String: MLXArray], _ parts: [String: String]) -> [String: MLXArray] {
    let ordered = parts.sorted { $0.key.count > $1.key.count }
    var renamed: [String: MLXArray] = [:]
    for (key, value) in weights {
        var name = key
        for (from, to) in ordered {
            // A leading `^` anchors the part at the start of the key.
            if from.hasPrefix("^") {
                let prefix = String(from.dropFirst())
                if name.hasPrefix(prefix) { name = to + name.dropFirst(prefix.count) }
                continue
            }
            name = name.replacingOccurrences(of: from, with: to)
        }
        renamed[name] = value
    }
    return renamed
}

/// `data` with the bare `Infinity`, `-Infinity` and `NaN` that Python's json module writes (JSON has
/// no literal for them, and configs saved before transformers 5 carry them, e.g. a Mamba-2
/// `time_step_limit`) spelled as transformers 5 writes them, `{"__float__": "Infinity"}`, so such a
/// config parses; a field that takes a plain number still refuses them. Text inside strings is left
/// alone.
public func spellingNonFiniteNumbers(_ data: Data) -> Data {
    let words = ["-Infinity", "Infinity", "NaN"].map { Array($0.utf8) }
    guard words.contains(where: { data.range(of: Data($0)) != nil }) else { return data }
    let bytes = [UInt8](data)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 64)
    var inString = false
    var escaped = false
    var i = 0
    scanning: while i < bytes.count {
        let byte = bytes[i]
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
        } else if byte == UInt8(ascii: "\"") {
            inString = true
        } else {
            for word in words where bytes[i...].starts(with: word) {
                out += Array("{\"__float__\": \"".utf8) + word + Array("\"}".utf8)
                i += word.count
                continue scanning
            }
        }
        out.append(byte)
        i += 1
    }
    return Data(out)
}
