// Linux reference of mlx-swift-lm's generation parameters (MLXLMCommon 3.31.4): the fields and
// initializer defaults; sampling itself is not part of this reference.
import Foundation

/// How a generation runs: its length, its caches, and its sampling.
public struct GenerateParameters: Sendable {
    /// Prompt tokens run per step while prefilling.
    public var prefillStepSize: Int
    public var maxTokens: Int?
    /// Bounds every cache to this many positions (rotating caches) when set.
    public var maxKVSize: Int?
    /// Quantizes the caches to this many bits when set.
    public var kvBits: Int?
    public var kvGroupSize: Int
    public var quantizedKVStart: Int
    public var kvScheme: String?
    public var temperature: Float
    public var topP: Float
    public var topK: Int
    public var minP: Float
    public var seed: UInt64?
    public var repetitionPenalty: Float?
    public var repetitionContextSize: Int
    public var presencePenalty: Float?
    public var presenceContextSize: Int
    public var frequencyPenalty: Float?
    public var frequencyContextSize: Int

    public init(
        maxTokens: Int? = nil, maxKVSize: Int? = nil, kvBits: Int? = nil, kvGroupSize: Int = 64,
        quantizedKVStart: Int = 0, kvScheme: String? = nil, temperature: Float = 0.6, topP: Float = 1.0,
        topK: Int = 0, minP: Float = 0.0, repetitionPenalty: Float? = nil, repetitionContextSize: Int = 20,
        presencePenalty: Float? = nil, presenceContextSize: Int = 20, frequencyPenalty: Float? = nil,
        frequencyContextSize: Int = 20, prefillStepSize: Int = 512, seed: UInt64? = nil
    ) {
        self.maxTokens = maxTokens
        self.maxKVSize = maxKVSize
        self.kvBits = kvBits
        self.kvGroupSize = kvGroupSize
        self.quantizedKVStart = quantizedKVStart
        self.kvScheme = kvScheme
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionContextSize = repetitionContextSize
        self.presencePenalty = presencePenalty
        self.presenceContextSize = presenceContextSize
        self.frequencyPenalty = frequencyPenalty
        self.frequencyContextSize = frequencyContextSize
        self.prefillStepSize = prefillStepSize
        self.seed = seed
    }
}
