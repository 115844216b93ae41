// Linux reference of mlx-swift-lm's LLM type registry (MLXLLM 3.31.4). The library's own architectures
// are not part of this reference, so the registry starts empty: everything in it was registered.
import Foundation
import MLXLMCommon

public enum LLMTypeRegistry {
    /// The builders `LLMModelFactory` uses, by `model_type`.
    public static let shared: ModelTypeRegistry<LanguageModel> = .init(creators: [:])
}
