// must-pass: the value types mlx-swift makes Sendable can live in Sendable configuration structs and in
// global lets; a non-Sendable array can be global when the author opts out with nonisolated(unsafe).
import MLX
import MLXNN

struct LayerConfig: Sendable {
    let dtype: DType
    let device: StreamOrDevice
    let mode: QuantizationMode
    let slice: MLXSlice
    let verify: Module.VerifyUpdate
    let approximation: GELU.Approximation
}

let defaultConfig = LayerConfig(
    dtype: .bfloat16, device: .cpu, mode: .affine, slice: MLXSlice(start: 0, end: 4, stride: 1),
    verify: .all, approximation: .none)

nonisolated(unsafe) let sharedTable = MLXArray([1, 2, 3] as [Int32])

func scalars() -> MLXArray {
    MLXArray(Float(1.5)) + MLXArray(Int32(2)) + MLXArray(bfloat16: 0.25) + MLXArray(converting: [0.5, 1.0])
}
