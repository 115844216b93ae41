// Linux reference of mlx-swift-lm's model-type registry and factory errors (MLXLMCommon 3.31.4): a
// `model_type` maps to a function building a model from the bytes of config.json.
import Foundation

/// Builders of models by `model_type`; apps add their own with `registerModelType`.
public actor ModelTypeRegistry<T> {
    private var creators: [String: (Data) throws -> T]

    public init() {
        creators = [:]
    }

    public init(creators: [String: (Data) throws -> T]) {
        self.creators = creators
    }

    /// Adds (or replaces) the builder for `type`.
    public func registerModelType(_ type: String, creator: @escaping (Data) throws -> T) {
        creators[type] = creator
    }

    /// Builds the model `modelType` names from `configuration` (config.json's bytes).
    public func createModel(configuration: Data, modelType: String) throws -> sending T {
        guard let creator = creators[modelType] else {
            throw ModelFactoryError.unsupportedModelType(modelType)
        }
        return try creator(configuration)
    }

    public func contains(_ modelType: String) -> Bool {
        creators[modelType] != nil
    }
}

/// Why a model could not be made.
public enum ModelFactoryError: LocalizedError {
    case unsupportedModelType(String)
    case unsupportedProcessorType(String)
    case configurationFileError(String, String, Error)
    case configurationDecodingError(String, String, DecodingError)
    case invalidConfiguration(String)
    case noModelFactoryAvailable

    public var errorDescription: String? {
        switch self {
        case .unsupportedModelType(let type): "Unsupported model type: \(type)"
        case .unsupportedProcessorType(let type): "Unsupported processor type: \(type)"
        case .configurationFileError(let file, let model, let error):
            "Error reading '\(file)' for model '\(model)': \(error.localizedDescription)"
        case .configurationDecodingError(let file, let model, let error):
            "Failed to parse \(file) for model '\(model)': \(error)"
        case .invalidConfiguration(let message): "Invalid model configuration: \(message)"
        case .noModelFactoryAvailable: "No model factory available via ModelFactoryRegistry"
        }
    }
}
