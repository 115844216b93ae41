// Linux reference of mlx-swift-lm's LLM protocol (MLXLLM 3.31.4): a language model with LoRA layers, whose
// prompt is prefilled in steps and whose chat messages are plain role/content pairs by default.
import Foundation
import MLX
import MLXLMCommon

public protocol LLMModel: LanguageModel, LoRAModel {
    func messageGenerator(tokenizer: Tokenizer) -> MessageGenerator
}

extension LLMModel {
    /// Runs all but the last `windowSize` (default 512) or fewer prompt tokens into `cache`, a step
    /// of `windowSize` tokens at a time, and leaves the rest for the generation loop.
    public func prepare(_ input: LMInput, cache: [KVCache], windowSize: Int?) throws -> PrepareResult {
        let step = windowSize ?? 512
        var rest = input.text
        withPreparedCache(cache, lengths: rest.sequenceLengths) {
            var state: LMOutput.State?
            while rest.tokens.size > step {
                let output = self(rest[.newAxis, ..<step], cache: cache.isEmpty ? nil : cache, state: state)
                state = output.state
                asyncEval(cache)
                rest = rest[step...]
            }
            eval(cache)
        }
        return .tokens(rest)
    }

    public func messageGenerator(tokenizer: Tokenizer) -> MessageGenerator { DefaultMessageGenerator() }
}
