// must-fail: ModuleParameters (NestedDictionary<String, MLXArray>) is Sendable only when its element is,
// and MLXArray is not.
// expect: 'Sendable'-conforming struct 'Checkpoint'
// expect: non-Sendable type
import MLX
import MLXNN

struct Checkpoint: Sendable {
    let parameters: ModuleParameters
}
