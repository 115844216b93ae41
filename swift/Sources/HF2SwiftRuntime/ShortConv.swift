// The short convolution mixer's runtime: its depthwise causal filter, the conv state its cache
// carries between calls, and the filter layout PyTorch checkpoints store (the selective state-space
// mixer's convolution shares all three).
import Foundation
import MLX
import MLXLMCommon
import MLXNN

/// A depthwise filter over positions: `weight` `[channels, kernel, 1]` (MLX's convolution layout, one
/// input channel per group), an optional `bias` `[channels]`.
open class DepthwiseConv1d: Module {
    public let weight: MLXArray
    public let bias: MLXArray?

    public init(channels: Int, kernel: Int, bias: Bool) {
        precondition(kernel > 0, "a convolution needs at least one tap")
        weight = MLXArray.zeros([channels, kernel, 1])
        self.bias = bias ? MLXArray.zeros([channels]) : nil
        super.init()
    }

    public var kernel: Int { weight.dim(1) }

    /// `x` `[B, L + kernel - 1, channels]`, its first kernel - 1 positions the ones before the step;
    /// returns `[B, L, channels]`. Each output sums its taps in float32, as a convolution accumulates,
    /// and is rounded to the input's dtype once.
    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        let length = x.dim(1) - (kernel - 1)
        let taps = weight.asType(.float32)
        var sum = x[0..., 0 ..< length, 0...].asType(.float32) * taps[0..., 0, 0]
        for tap in 1 ..< kernel {
            sum = sum + x[0..., tap ..< (tap + length), 0...].asType(.float32) * taps[0..., tap, 0]
        }
        if let bias { sum = sum + bias.asType(.float32) }
        return sum.asType(x.dtype)
    }
}

/// The causal convolution of `x` `[B, L, channels]`: each position sees itself and the kernel - 1
/// before it. The cache's slot 0 holds the last kernel - 1 inputs of the previous call (zeros
/// before the first), and is left holding this call's, so a later call continues the sequence.
public func causalConvolution(_ x: MLXArray, filter: DepthwiseConv1d, cache: ArraysCache?) -> MLXArray {
    let held = filter.kernel - 1
    let before = cache?[0] ?? MLXArray.zeros([x.dim(0), held, x.dim(2)], dtype: x.dtype)
    let extended = concatenated([before, x], axis: 1)
    if let cache {
        cache[0] = extended[0..., (extended.dim(1) - held)..., 0...]
        cache.advance(x.dim(1))
    }
    return filter(extended)
}

/// `weights` with each convolution filter (`convolution`) of the blocks under `block` in MLX's
/// layout: PyTorch stores them `[channels, 1, kernel]`, MLX `[channels, kernel, 1]`. A filter already
/// in MLX's layout (its last axis no longer than its middle one) is left alone, so loading twice
/// changes nothing.
public func channelsLastConvolutions(
    _ weights: [String: MLXArray], block: String, convolution: String = "conv"
) -> [String: MLXArray] {
    var out = weights
    for (key, value) in weights
    where key.hasSuffix(".\(block).\(convolution).weight") && value.ndim == 3 && value.dim(2) > value.dim(1) {
        out[key] = value.transposed(0, 2, 1)
    }
    return out
}
