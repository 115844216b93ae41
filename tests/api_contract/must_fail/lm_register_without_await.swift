// must-fail: the type registry is an actor: registering a model type is awaited.
// expect: actor-isolated instance method 'registerModelType(_:creator:)'
import Foundation
import MLXLLM
import MLXLMCommon

func register(_ make: @escaping @Sendable (Data) throws -> any LanguageModel) {
    LLMTypeRegistry.shared.registerModelType("tiny", creator: make)
}
