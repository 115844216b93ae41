// The factory protocol the generated registry adopts, and how it registers with mlx-swift-lm's
// LLMTypeRegistry; the models themselves are mlx-swift-lm `LLMModel`s.
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN

/// Where a checkpoint keeps the text model's weights: key prefixes a wrapper puts around them (each
/// mapped to what it becomes, the longest first), keys of other towers to drop (`*` matches any run),
/// and the dtype its floating-point weights compute in.
public struct CheckpointLayout: Sendable, Equatable {
    public var prefixes: [String: String]
    public var dropped: [String]
    /// The dtype config.json names for an unquantized checkpoint: transformers loads every
    /// floating-point weight in it, whatever the files hold. nil keeps the stored dtypes.
    public var dtype: DType?

    public init(prefixes: [String: String] = [:], dropped: [String] = [], dtype: DType? = nil) {
        self.prefixes = prefixes
        self.dropped = dropped
        self.dtype = dtype
    }

    /// The text model's weights of `checkpoint`, under the text model's own names and in its dtype.
    public func textModelWeights(_ checkpoint: [String: MLXArray]) -> [String: MLXArray] {
        var weights = checkpoint
        if !prefixes.isEmpty || !dropped.isEmpty {
            weights = renamingPrefixes(removingWeights(weights, matching: dropped), prefixes)
        }
        if let dtype {
            weights = weights.mapValues { $0.dtype.isFloatingPoint && $0.dtype != dtype ? $0.asType(dtype) : $0 }
        }
        return weights
    }
}

/// A model whose `sanitize(weights:)` reads its checkpoint through a layout the registry sets.
public protocol CheckpointLayoutHolder: AnyObject {
    var checkpointLayout: CheckpointLayout { get set }
}

/// A model that knows its vocabulary, so a runner can refuse a token id before the embedding reads it.
public protocol VocabularySized {
    /// Rows of the embedding and width of the logits.
    var vocabularySize: Int { get }
}

/// Builds models from a checkpoint's `model_type` and `config.json`; the generated
/// `ModelRegistry` is one.
public protocol GeneratedModelFactory: Sendable {
    /// Every `model_type` the factory serves.
    static var supportedModelTypes: [String] { get }

    /// Decodes `configuration` (the bytes of `config.json`) and builds the model serving
    /// `modelType`, with freshly initialised weights.
    static func makeModel(modelType: String, configuration: Data) throws -> any LLMModel

    /// Decodes `configuration` for `modelType` as `makeModel` does, throwing what it would throw,
    /// without building the model.
    static func checkConfiguration(modelType: String, configuration: Data) throws

    /// Key prefixes a `modelType`'s checkpoints put around the text model's weights, each mapped
    /// to what it becomes; the loader rewrites them before `sanitize(weights:)`.
    static func checkpointPrefixes(modelType: String) -> [String: String]

    /// Checkpoint keys a `modelType`'s checkpoints hold beside the text model (other towers),
    /// which the loader drops before `sanitize(weights:)`; `*` matches any run of characters.
    static func checkpointDroppedWeights(modelType: String) -> [String]
}

extension GeneratedModelFactory {
    public static func checkpointPrefixes(modelType: String) -> [String: String] { [:] }
    public static func checkpointDroppedWeights(modelType: String) -> [String] { [] }

    /// How a `modelType`'s checkpoints hold the text model, and (from `configuration`, config.json's
    /// bytes) the dtype it computes in; the model's `sanitize(weights:)` applies it.
    public static func checkpointLayout(modelType: String, configuration: Data? = nil) throws -> CheckpointLayout {
        var layout = CheckpointLayout(
            prefixes: checkpointPrefixes(modelType: modelType), dropped: checkpointDroppedWeights(modelType: modelType))
        if let configuration, !isQuantized(configuration: configuration) {
            layout.dtype = try computeDType(configuration: configuration)
        }
        return layout
    }

    /// `model`, told how `modelType`'s checkpoints hold it: mlx-swift-lm's loader hands `sanitize`
    /// the checkpoint's keys and dtypes as they are stored, wrapper prefixes and other towers included.
    public static func reading(_ model: any LLMModel, as modelType: String, configuration: Data) throws -> any LLMModel {
        (model as? CheckpointLayoutHolder)?.checkpointLayout =
            try checkpointLayout(modelType: modelType, configuration: configuration)
        return model
    }

    /// Registers every supported `model_type` with `registry` (mlx-swift-lm's `LLMTypeRegistry` by
    /// default), replacing what it held for that type: `LLMModelFactory` then builds these models.
    public static func registerModelTypes(
        in registry: ModelTypeRegistry<LanguageModel> = LLMTypeRegistry.shared
    ) async {
        for modelType in supportedModelTypes {
            await registry.registerModelType(modelType) { configuration in
                try makeModel(modelType: modelType, configuration: configuration)
            }
        }
    }
}

public enum ModelRegistryError: Error, CustomStringConvertible, Equatable {
    case unsupportedModelType(String, supported: [String])
    /// A wrapper checkpoint (`wrapper`) holding a text model this factory does not serve.
    case unsupportedTextModelType(String, wrapper: String)
    /// A model type a family names in order to refuse it: it computes something no family does.
    case refusedModelType(String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedModelType(let type, let supported):
            "model_type \"\(type)\" is not supported; supported: \(supported.joined(separator: ", "))"
        case .unsupportedTextModelType(let type, let wrapper):
            "text_config.model_type \"\(type)\" inside a \"\(wrapper)\" checkpoint is not supported"
        case .refusedModelType(let type, let reason):
            "model_type \"\(type)\" is refused: \(reason)"
        }
    }
}

/// A prompt the model cannot take: a token id outside its vocabulary.
public enum InputError: Error, CustomStringConvertible, Equatable {
    case tokenOutOfVocabulary(position: Int, token: Int, vocabularySize: Int)
    /// A position past a model's table of learned positions.
    case positionPastTable(positions: Int, tableSize: Int)

    public var description: String {
        switch self {
        case .tokenOutOfVocabulary(let position, let token, let vocabularySize):
            "token \(token) at position \(position) is outside the vocabulary (0..<\(vocabularySize))"
        case .positionPastTable(let positions, let tableSize):
            "\(positions) positions do not fit the model's \(tableSize) learned positions (n_positions)"
        }
    }
}

/// A model whose positions are rows of a learned table: it cannot run past the table's end.
public protocol PositionTableSized {
    /// Rows of the position embedding: the most positions one sequence can take.
    var positionTableSize: Int { get }
}

/// Throws unless `positions` positions (prompt and decoded tokens together) fit the table.
public func validatePositions(_ positions: Int, tableSize: Int) throws {
    if positions > tableSize {
        throw InputError.positionPastTable(positions: positions, tableSize: tableSize)
    }
}

/// Throws unless every token id is a row of the embedding: 0 up to, not including, `vocabularySize`.
/// The embedding would otherwise read past its table, or (negative ids) from its end.
public func validateTokens(_ tokens: [Int], vocabularySize: Int) throws {
    if let position = tokens.firstIndex(where: { $0 < 0 || $0 >= vocabularySize }) {
        throw InputError.tokenOutOfVocabulary(
            position: position, token: tokens[position], vocabularySize: vocabularySize)
    }
}
