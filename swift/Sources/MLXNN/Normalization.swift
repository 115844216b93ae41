// Normalization layers backed by the fused RMS and layer norm ops.
import Foundation
import MLX

/// Layer normalization over the last axis, with optional learned scale and offset.
open class LayerNorm: Module, UnaryLayer {
    public let dimensions: Int
    public let eps: Float
    public let weight: MLXArray?
    public let bias: MLXArray?

    public init(dimensions: Int, eps: Float = 1e-5, affine: Bool = true, bias: Bool = true) {
        self.dimensions = dimensions
        self.eps = eps
        if affine {
            self.weight = MLXArray.ones([dimensions])
            self.bias = bias ? MLXArray.zeros([dimensions]) : nil
        } else {
            self.weight = nil
            self.bias = nil
        }
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        MLXFast.layerNorm(x, weight: weight, bias: bias, eps: eps)
    }
}

/// Root-mean-square normalization over the last axis with a learned scale (initialised to 1).
open class RMSNorm: Module, UnaryLayer {
    public let weight: MLXArray
    public let eps: Float

    public init(dimensions: Int, eps: Float = 1e-5) {
        self.weight = MLXArray.ones([dimensions])
        self.eps = eps
        super.init()
    }

    public override func describeExtra(_ indent: Int) -> String {
        "(dimensions=\(weight.dim(0)), eps=\(eps))"
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        MLXFast.rmsNorm(x, weight: weight, eps: eps)
    }
}

/// Normalization over all axes but the first (batch) and last (features), per sample.
///
/// The API spec names this class without members, so only the type is public; its initializer and
/// `callAsFunction` are internal, and it does not conform to `UnaryLayer` (which would need a public
/// `callAsFunction`). mlx-swift has the full layer.
open class InstanceNorm: Module {
    let dimensions: Int
    let eps: Float
    let weight: MLXArray?
    let bias: MLXArray?

    init(dimensions: Int, eps: Float = 1e-5, affine: Bool = false) {
        self.dimensions = dimensions
        self.eps = eps
        self.weight = affine ? MLXArray.ones([dimensions]) : nil
        self.bias = affine ? MLXArray.zeros([dimensions]) : nil
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        let axes = Array(1 ..< x.ndim - 1)
        let mean = MLX.mean(x, axes: axes, keepDims: true)
        let variance = MLX.variance(x, axes: axes, keepDims: true)
        let normalized = (x - mean) * rsqrt(variance + eps)
        if let weight, let bias {
            return weight * normalized + bias
        }
        return normalized
    }
}

/// Normalization over groups of features (the features of a group are contiguous with
/// `pytorchCompatible`, interleaved otherwise, as in MLX).
///
/// The API spec names this class without members, so only the type is public; its initializer and
/// `callAsFunction` are internal, and it does not conform to `UnaryLayer` (which would need a public
/// `callAsFunction`). mlx-swift has the full layer.
open class GroupNorm: Module {
    let groupCount: Int
    let dimensions: Int
    let eps: Float
    let pytorchCompatible: Bool
    let weight: MLXArray?
    let bias: MLXArray?

    init(
        groupCount: Int, dimensions: Int, eps: Float = 1e-5, affine: Bool = true,
        pytorchCompatible: Bool = false
    ) {
        self.groupCount = groupCount
        self.dimensions = dimensions
        self.eps = eps
        self.pytorchCompatible = pytorchCompatible
        self.weight = affine ? MLXArray.ones([dimensions]) : nil
        self.bias = affine ? MLXArray.zeros([dimensions]) : nil
    }

    private func normalize(_ x: MLXArray) -> MLXArray {
        let batch = x.dim(0)
        let dims = x.dim(-1)
        let rest = Array(x.shape.dropFirst().dropLast())
        if pytorchCompatible {
            let groupSize = dims / groupCount
            var y = x.reshaped(batch, -1, groupCount, groupSize).transposed(0, 2, 1, 3)
                .reshaped(batch, groupCount, -1)
            y = MLXFast.layerNorm(y, eps: eps)
            return y.reshaped(batch, groupCount, -1, groupSize).transposed(0, 2, 1, 3)
                .reshaped([batch] + rest + [dims])
        }
        let y = x.reshaped(batch, -1, groupCount)
        let mean = MLX.mean(y, axis: 1, keepDims: true)
        let variance = MLX.variance(y, axis: 1, keepDims: true)
        return ((y - mean) * rsqrt(variance + eps)).reshaped([batch] + rest + [dims])
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        let y = normalize(x)
        if let weight, let bias {
            return weight * y + bias
        }
        return y
    }
}

/// Batch normalization over all axes but the last, with running statistics (frozen buffers
/// `running_mean` / `running_var`) used outside training.
///
/// The API spec names this class without members, so only the type is public; its initializer and
/// `callAsFunction` are internal, and it does not conform to `UnaryLayer` (which would need a public
/// `callAsFunction`). mlx-swift has the full layer.
open class BatchNorm: Module {
    let featureCount: Int
    let eps: Float
    let momentum: Float
    let weight: MLXArray?
    let bias: MLXArray?
    @ParameterInfo(key: "running_mean") var runningMean: MLXArray?
    @ParameterInfo(key: "running_var") var runningVar: MLXArray?

    init(
        featureCount: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true,
        trackRunningStats: Bool = true
    ) {
        self.featureCount = featureCount
        self.eps = eps
        self.momentum = momentum
        self.weight = affine ? MLXArray.ones([featureCount]) : nil
        self.bias = affine ? MLXArray.zeros([featureCount]) : nil
        if trackRunningStats {
            self._runningMean.wrappedValue = MLXArray.zeros([featureCount])
            self._runningVar.wrappedValue = MLXArray.ones([featureCount])
        }
        super.init()
        if trackRunningStats {
            self.freeze(recursive: false, keys: ["running_mean", "running_var"])
        }
    }

    /// The running statistics stay frozen.
    public override func unfreeze(recursive: Bool = true, keys: [String]? = nil, strict: Bool = false)
        throws
    {
        try super.unfreeze(recursive: recursive, keys: keys, strict: strict)
        if runningMean != nil {
            self.freeze(recursive: false, keys: ["running_mean", "running_var"])
        }
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        precondition((2 ... 4).contains(x.ndim), "BatchNorm expects 2 to 4 dimensions, got \(x.shape)")
        let axes = Array(0 ..< x.ndim - 1)
        var mean = MLX.mean(x, axes: axes)
        var variance = MLX.variance(x, axes: axes)
        if training, let runningMean, let runningVar {
            runningMean._updateInternal((1 - momentum) * runningMean + momentum * mean)
            runningVar._updateInternal((1 - momentum) * runningVar + momentum * variance)
        } else if let runningMean, let runningVar {
            mean = runningMean
            variance = runningVar
        }
        let normalized = (x - mean) * rsqrt(variance + eps)
        if let weight, let bias {
            return weight * normalized + bias
        }
        return normalized
    }
}
