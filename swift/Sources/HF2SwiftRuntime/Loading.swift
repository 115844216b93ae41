// Loading a checkpoint directory: config.json, one or more safetensors files, strict parameter update.
import Foundation
import MLX
import MLXNN

public enum ModelLoadingError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case invalidConfiguration(String)
    case noWeights(String)
    case invalidIndex(String)

    public var description: String {
        switch self {
        case .missingFile(let path): "\(path): no such file"
        case .invalidConfiguration(let message): "config.json: \(message)"
        case .noWeights(let directory): "\(directory): no model*.safetensors files"
        case .invalidIndex(let message): "model.safetensors.index.json: \(message)"
        }
    }
}

/// `weights` without the keys matching any of `patterns`, where `*` matches any run of
/// characters (`"*.rotary_emb.inv_freq"`, `"lm_head.*"`).
public func removingWeights(_ weights: [String: MLXArray], matching patterns: [String]) -> [String: MLXArray] {
    if patterns.isEmpty { return weights }
    return weights.filter { key, _ in !patterns.contains { globMatches($0, key) } }
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

/// `weights` with a head copied from the embedding under `embedding` when the checkpoint has no
/// `lm_head.weight`: a tied checkpoint, read by a model that always holds a head.
public func tyingHead(_ weights: [String: MLXArray], to embedding: String) -> [String: MLXArray] {
    guard weights["lm_head.weight"] == nil else { return weights }
    var tied = weights
    for (key, value) in weights where key.hasPrefix(embedding + ".") {
        tied["lm_head." + key.dropFirst(embedding.count + 1)] = value
    }
    return tied
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
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
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
        guard
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any],
            let map = object["weight_map"] as? [String: String]
        else {
            throw ModelLoadingError.invalidIndex("no weight_map object")
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
        weights.merge(try loadArrays(url: file)) { first, _ in first }
    }
    return weights
}

/// Builds the model a checkpoint directory describes and loads its weights. The update is strict
/// (`.all`): a missing, unused or mis-shaped weight throws instead of leaving a layer at random.
public func loadModel(directory: URL, factory: any ModelFactory.Type) throws -> any LLMModel {
    let configURL = directory.appendingPathComponent("config.json")
    guard FileManager.default.fileExists(atPath: configURL.path) else {
        throw ModelLoadingError.missingFile(configURL.path)
    }
    let configuration = try Data(contentsOf: configURL)
    let type = try modelType(ofConfiguration: configuration)
    let model = try factory.makeModel(modelType: type, configuration: configuration)
    let checkpoint = renamingPrefixes(try loadWeights(directory: directory), factory.checkpointPrefixes(modelType: type))
    let weights = model.sanitize(weights: checkpoint)
    try model.update(parameters: ModuleParameters.unflattened(weights), verify: [.all])
    eval(model)
    return model
}
