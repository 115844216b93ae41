// must-fail: `newCache(parameters: GenerateParameters)` (a non-optional parameter) does not meet
// LanguageModel's `newCache(parameters: GenerateParameters?)`: the generation loop would never call it.
// expect: does not conform to protocol 'LanguageModel'
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN

final class Model: Module, LLMModel {
    var loraLayers: [Module] { [] }

    func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray { inputs }

    func newCache(parameters: GenerateParameters) -> [KVCache] { [KVCacheSimple()] }
}
