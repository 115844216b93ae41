// must-fail: MLXLMCommon's Llama3RoPE has no public initializer; a model gets it from initializeRope with
// the config's rope_scaling values.
// expect: 'Llama3RoPE' initializer is inaccessible due to 'internal' protection level
import MLXLMCommon

let rope = Llama3RoPE(dims: 64, base: 500_000, scalingConfig: ["factor": .float(8)])
