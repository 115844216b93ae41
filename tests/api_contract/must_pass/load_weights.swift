// must-pass: the weight-loading sequence generated code and the runtime use.
import Foundation
import MLX
import MLXNN

func load(_ model: Module, from url: URL) throws {
    let weights = try loadArrays(url: url)
    let parameters = ModuleParameters.unflattened(weights)
    try model.update(parameters: parameters, verify: [.all])
    eval(model)
}

func tied(_ embedding: Embedding, _ h: MLXArray, _ ids: MLXArray) -> MLXArray {
    embedding.asLinear(h) + embedding(ids).sum()
}
