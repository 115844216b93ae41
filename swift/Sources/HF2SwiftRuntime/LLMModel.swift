// The contract every generated model fulfils, and the factory protocol the generated registry adopts.
import Foundation
import MLX
import MLXNN

/// A causal language model: token ids in, logits over the vocabulary out.
public protocol LLMModel: Module {
    /// Rows of the embedding and width of the logits.
    var vocabularySize: Int { get }

    /// Runs `inputs` (`[batch, length]` token ids) through the model. With `cache` (one entry per
    /// layer, from `newCache()`), attention also sees the tokens of earlier calls and the caches
    /// are extended with this call's keys and values.
    func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray

    /// Fresh caches, one per layer, each of the kind that layer needs.
    func newCache() -> [KVCache]

    /// Maps checkpoint weights onto this model's parameters: drops what the model does not hold
    /// (precomputed tables, a tied head) and renames what a checkpoint layout names differently.
    func sanitize(weights: [String: MLXArray]) -> [String: MLXArray]
}

/// Builds models from a checkpoint's `model_type` and `config.json`; the generated
/// `ModelRegistry` is one.
public protocol ModelFactory {
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

extension ModelFactory {
    public static func checkpointPrefixes(modelType: String) -> [String: String] { [:] }
    public static func checkpointDroppedWeights(modelType: String) -> [String] { [] }
}

public enum ModelFactoryError: Error, CustomStringConvertible, Equatable {
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

    public var description: String {
        switch self {
        case .tokenOutOfVocabulary(let position, let token, let vocabularySize):
            "token \(token) at position \(position) is outside the vocabulary (0..<\(vocabularySize))"
        }
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
