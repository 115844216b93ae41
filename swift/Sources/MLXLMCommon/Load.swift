// Linux reference of mlx-swift-lm's checkpoint loading (MLXLMCommon 3.31.4): the base configuration it
// reads from config.json (model type, quantization) and `loadWeights`, which reads every safetensors
// file, lets the model sanitize the weights, quantizes the layers the checkpoint stores quantized and
// updates the model strictly.
import Foundation
import MLX
import MLXNN

/// What every config.json holds that the loader needs: the model type and the quantization.
public struct BaseConfiguration: Codable, Sendable {
    public let modelType: String

    /// A group size, bits and mode (affine unless the checkpoint names another).
    public struct Quantization: Codable, Sendable, Equatable {
        public let groupSize: Int
        public let bits: Int
        private var _mode: QuantizationMode? = nil

        public init(groupSize: Int, bits: Int) {
            self.groupSize = groupSize
            self.bits = bits
        }

        public var mode: QuantizationMode { _mode ?? .affine }
        public var asTuple: (Int, Int, QuantizationMode) { (groupSize, bits, mode) }

        enum CodingKeys: String, CodingKey {
            case groupSize = "group_size"
            case bits
            case _mode = "mode"
        }
    }

    /// A layer's entry in the quantization object: kept dense, or quantized its own way.
    public enum QuantizationOption: Sendable {
        case skip
        case quantize(Quantization)
    }

    /// The default quantization and the per-layer entries, by module path.
    public struct PerLayerQuantization: Sendable {
        public var quantization: Quantization? = nil
        public var perLayerQuantization: [String: QuantizationOption]

        public init(quantization: BaseConfiguration.Quantization? = nil,
                    perLayerQuantization: [String: BaseConfiguration.QuantizationOption]) {
            self.quantization = quantization
            self.perLayerQuantization = perLayerQuantization
        }

        public func quantization(layer: String) -> Quantization? {
            switch perLayerQuantization[layer] {
            case .skip: nil
            case .quantize(let own): own
            case nil: quantization
            }
        }
    }

    /// The quantization object: its own group size, bits and mode, and every other key a layer's entry.
    struct QuantizationContainer: Codable, Sendable {
        var quantization: Quantization
        var perLayerQuantization: PerLayerQuantization

        private struct Key: CodingKey {
            let stringValue: String
            let intValue: Int?
            init(stringValue: String) {
                self.stringValue = stringValue
                intValue = Int(stringValue)
            }
            init(intValue: Int) {
                stringValue = String(intValue)
                self.intValue = intValue
            }
        }

        /// Keys of the object that are not layers (mlx-community checkpoints add some).
        private static let notLayers: Set<String> = [
            "group_size", "bits", "mode", "quant_method", "linear_class", "quantization_mode",
        ]

        init(from decoder: any Decoder) throws {
            quantization = try Quantization(from: decoder)
            let container = try decoder.container(keyedBy: Key.self)
            var layers: [String: QuantizationOption] = [:]
            for key in container.allKeys where !Self.notLayers.contains(key.stringValue) {
                if let flag = try? container.decode(Bool.self, forKey: key) {
                    if !flag { layers[key.stringValue] = .skip }
                } else {
                    layers[key.stringValue] = .quantize(try container.decode(Quantization.self, forKey: key))
                }
            }
            perLayerQuantization = PerLayerQuantization(quantization: quantization, perLayerQuantization: layers)
        }

        func encode(to encoder: any Encoder) throws {
            try quantization.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            for (layer, option) in perLayerQuantization.perLayerQuantization {
                switch option {
                case .skip: try container.encode(false, forKey: Key(stringValue: layer))
                case .quantize(let own): try container.encode(own, forKey: Key(stringValue: layer))
                }
            }
        }
    }

    var quantizationContainer: QuantizationContainer?

    @available(*, deprecated, message: "Please use perLayerQuantization instead")
    public var quantization: Quantization? { quantizationContainer?.quantization }

    public var perLayerQuantization: PerLayerQuantization? { quantizationContainer?.perLayerQuantization }

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case quantizationContainer = "quantization"
    }
}

/// Loads every `*.safetensors` file under `modelDirectory` into `model`: the model's
/// `sanitize(weights:metadata:)` (with the first file's metadata), then `quantize` for each module
/// whose `.scales` the weights hold, then a strict update (`.all`).
public func loadWeights(
    modelDirectory: URL, model: BaseLanguageModel, quantization: BaseConfiguration.Quantization? = nil,
    perLayerQuantization: BaseConfiguration.PerLayerQuantization? = nil
) throws {
    var weights: [String: MLXArray] = [:]
    var metadata: [String: String] = [:]
    let files = FileManager.default.enumerator(at: modelDirectory, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
        guard url.pathExtension == "safetensors" else { continue }
        let (arrays, fileMetadata) = try loadArraysAndMetadata(url: url)
        weights.merge(arrays) { _, new in new }
        if metadata.isEmpty { metadata = fileMetadata }
    }
    weights = model.sanitize(weights: weights, metadata: metadata)
    if quantization != nil || perLayerQuantization != nil {
        quantize(model: model) { path, _ -> (groupSize: Int, bits: Int, mode: QuantizationMode)? in
            guard weights["\(path).scales"] != nil else { return nil }
            let chosen = perLayerQuantization.map { $0.quantization(layer: path) } ?? quantization
            return chosen.map { ($0.groupSize, $0.bits, $0.mode) }
        }
    }
    try model.update(parameters: ModuleParameters.unflattened(weights), verify: [.all])
    eval(model)
}
