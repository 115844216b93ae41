// must-fail: SwitchGLU's activation takes the gate projection alone and multiplies up itself; an
// activation of both projections (a clamped SwiGLU) cannot be passed.
// expect: contextual closure type '(MLXArray) -> MLXArray' expects 1 argument, but 2 were used in closure body
import MLX
import MLXLMCommon

let experts = SwitchGLU(
    inputDims: 8, hiddenDims: 16, numExperts: 4, activation: { gate, up in gate * up }, bias: true)
