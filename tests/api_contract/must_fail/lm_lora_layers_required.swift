// must-fail: an LLMModel names its LoRA layers; LoRAModel has no default for `loraLayers`.
// expect: does not conform to protocol 'LoRAModel'
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN

final class Model: Module, LLMModel, KVCacheDimensionProvider {
    var kvHeads: [Int] { [2, 2] }

    func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray { inputs }
}
