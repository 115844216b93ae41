// Linux reference of mlx-swift-lm's model protocols (MLXLMCommon 3.31.4): what a language model offers
// the loader (`sanitize`) and the generation loop (`prepare`, `callAsFunction`, `newCache`), with the
// input and output types they exchange.
import Foundation
import MLX
import MLXNN

/// A model the loader can fill from a checkpoint.
public protocol BaseLanguageModel: Module {
    /// Maps checkpoint weights onto the model's parameter names.
    func sanitize(weights: [String: MLXArray]) -> [String: MLXArray]
    /// The same, given the checkpoint's safetensors metadata.
    func sanitize(weights: [String: MLXArray], metadata: [String: String]) -> [String: MLXArray]
}

extension BaseLanguageModel {
    public func sanitize(weights: [String: MLXArray]) -> [String: MLXArray] { weights }

    public func sanitize(weights: [String: MLXArray], metadata: [String: String]) -> [String: MLXArray] {
        sanitize(weights: weights)
    }
}

/// The model's input: text tokens (media inputs of the full library are not part of this reference).
public struct LMInput {
    public let text: Text

    /// Token ids, `[length]` or `[batch, length]`, with an optional padding mask.
    public struct Text {
        public let tokens: MLXArray
        public let mask: MLXArray?

        public init(tokens: MLXArray, mask: MLXArray? = nil) {
            self.tokens = tokens
            self.mask = mask
        }

        public subscript(indices: MLXArrayIndex..., stream stream: StreamOrDevice = .default) -> Text {
            Text(tokens: tokens[indices], mask: mask?[indices])
        }

        public subscript(text indices: MLXArrayIndex..., stream stream: StreamOrDevice = .default) -> Text {
            Text(tokens: tokens[indices], mask: mask)
        }

        /// Each row's length: from the mask when there is one, else the width of a 2-D batch.
        public var sequenceLengths: [Int]? {
            if let mask { return mask.asType(.int32).sum(axis: -1).asArray(Int.self) }
            guard tokens.ndim == 2 else { return nil }
            return Array(repeating: tokens.dim(1), count: tokens.dim(0))
        }
    }

    public init(tokens: MLXArray, mask: MLXArray? = nil) {
        self.init(text: Text(tokens: tokens, mask: mask))
    }

    public init(text: LMInput.Text) {
        self.text = text
    }
}

/// The model's output: logits, and state a model carries from one step to the next.
public struct LMOutput {
    public let logits: MLXArray
    public let state: State?

    /// A typed key into `State`.
    public struct Key<T>: Identifiable, Sendable {
        public let id: String
        public init(_ id: String) { self.id = id }
    }

    /// Values a model keeps between steps, by key.
    public struct State {
        private var values: [String: Any] = [:]

        public init() {}

        public subscript<T>(_ key: Key<T>) -> T? {
            get { values[key.id] as? T }
            set { values[key.id] = newValue }
        }
    }

    public init(logits: MLXArray, state: LMOutput.State? = nil) {
        self.logits = logits
        self.state = state
    }
}

/// What `prepare` leaves for the generation loop: tokens still to run, or the logits of the last one.
public enum PrepareResult {
    case tokens(LMInput.Text)
    case logits(LMOutput)
}

/// A language model the generation loop drives.
public protocol LanguageModel: BaseLanguageModel {
    /// Runs the prompt into `cache` (all but what is returned), in steps of at most `windowSize` tokens.
    func prepare(_ input: LMInput, cache: [KVCache], windowSize: Int?) throws -> PrepareResult

    func callAsFunction(_ input: LMInput.Text, cache: [KVCache]?, state: LMOutput.State?) -> LMOutput

    /// Logits `[batch, length, vocabulary]` for token ids `[batch, length]`, extending `cache`.
    func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray

    /// One fresh cache per layer, honouring `parameters?.maxKVSize`.
    func newCache(parameters: GenerateParameters?) -> [KVCache]
}

extension LanguageModel {
    public func callAsFunction(_ input: LMInput.Text, cache: [KVCache]?, state: LMOutput.State?) -> LMOutput {
        LMOutput(logits: callAsFunction(input.tokens, cache: cache))
    }

    public func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray {
        fatalError("\(Self.self) does not implement callAsFunction(_:cache:)")
    }
}

/// A model whose layers all take plain attention caches: `kvHeads` has one entry per layer.
public protocol KVCacheDimensionProvider {
    var kvHeads: [Int] { get }
}

extension LanguageModel where Self: KVCacheDimensionProvider {
    /// A growing cache per layer, or a rotating one keeping 4 positions when `maxKVSize` bounds it.
    public func newCache(parameters: GenerateParameters?) -> [KVCache] {
        kvHeads.map { _ in
            if let maxKVSize = parameters?.maxKVSize {
                return RotatingKVCache(maxSize: maxKVSize, keep: 4)
            }
            return KVCacheSimple()
        }
    }
}
