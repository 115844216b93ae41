// Activation functions and their layer classes, with MLX's formulas.
import Foundation
import MLX

/// `1 / (1 + e^-x)` (the same as MLX's `sigmoid`).
public func sigmoid(_ x: MLXArray) -> MLXArray {
    MLX.sigmoid(x)
}

/// `max(x, 0)`
public func relu(_ x: MLXArray) -> MLXArray {
    maximum(x, 0)
}

/// `max(negativeSlope * x, x)`
public func leakyRelu(_ x: MLXArray, negativeSlope: Float = 0.01) -> MLXArray {
    maximum(negativeSlope.asMLXArray(dtype: x.dtype) * x, x)
}

/// `x - logsumexp(x)` along `axis`.
public func logSoftmax(_ x: MLXArray, axis: Int = -1) -> MLXArray {
    x - logSumExp(x, axis: axis, keepDims: true)
}

/// `x` for positive inputs, `alpha * (e^x - 1)` otherwise.
public func elu(_ x: MLXArray, alpha: Float = 1.0) -> MLXArray {
    which(x .> 0, x, alpha.asMLXArray(dtype: x.dtype) * (MLX.exp(x) - 1))
}

/// `min(max(x, 0), 6)`
public func relu6(_ x: MLXArray) -> MLXArray {
    minimum(maximum(x, 0), 6)
}

/// `relu(x)²`
public func reluSquared(_ x: MLXArray) -> MLXArray {
    relu(x).square()
}

/// `log(1 + e^x)`, computed as logaddexp(x, 0) = max(x, 0) + log1p(exp(min(x, 0) - max(x, 0))),
/// step by step as MLX's logaddexp kernel does (each intermediate in the operand's float type).
public func softplus(_ x: MLXArray) -> MLXArray {
    let x = x.dtype.isFloatingPoint ? x : x.asType(.float32)
    let hi = maximum(x, 0)
    let lo = minimum(x, 0)
    return hi + MLX.log1p(MLX.exp(lo - hi))
}

/// `x / (1 + |x|)`
public func softsign(_ x: MLXArray) -> MLXArray {
    x / (1 + abs(x))
}

/// `x - sign(x) * lambda` where `|x| > lambda`, else 0.
func softshrink(_ x: MLXArray, lambda: Float = 0.5) -> MLXArray {
    let lambda = lambda.asMLXArray(dtype: x.dtype)
    return which(x .> lambda, x - lambda, which(x .< -lambda, x + lambda, 0))
}

/// `max(x, 0) + alpha * (e^(min(x, 0) / alpha) - 1)`
public func celu(_ x: MLXArray, alpha: Float = 1.0) -> MLXArray {
    let alpha = alpha.asMLXArray(dtype: x.dtype)
    return maximum(x, 0.0) + alpha * (MLX.exp(minimum(x, 0.0) / alpha) - 1)
}

/// `x * sigmoid(x)`
public func silu(_ x: MLXArray) -> MLXArray {
    x * MLX.sigmoid(x)
}

/// `-softplus(-x)`
func logSigmoid(_ x: MLXArray) -> MLXArray {
    -softplus(-x)
}

/// `x * (1 + erf(x / √2)) / 2`
public func gelu(_ x: MLXArray) -> MLXArray {
    x * (1 + erf(x / 2.0.squareRoot())) / 2
}

/// `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`
public func geluApproximate(_ x: MLXArray) -> MLXArray {
    0.5 * x * (1 + tanh((2 / Float.pi).squareRoot() * (x + 0.044715 * x ** 3)))
}

/// `x * sigmoid(1.702 x)`
public func geluFastApproximate(_ x: MLXArray) -> MLXArray {
    x * MLX.sigmoid(1.702 * x)
}

/// Split `x` in two halves `a`, `b` along `axis` and return `a * sigmoid(b)`.
public func glu(_ x: MLXArray, axis: Int = -1) -> MLXArray {
    let (a, b) = x.split(axis: axis)
    return a * MLX.sigmoid(b)
}

/// 1 where `x > threshold`, else 0.
public func step(_ x: MLXArray, threshold: Float = 0.0) -> MLXArray {
    MLX.where(x .> threshold, 1, 0)
}

/// `elu(x, 1.67326) * 1.0507`
public func selu(_ x: MLXArray) -> MLXArray {
    elu(x, alpha: 1.67326) * 1.0507
}

/// `max(0, x) + alpha * min(0, x)`
func prelu(_ x: MLXArray, alpha: MLXArray) -> MLXArray {
    maximum(0, x) + alpha * minimum(0, x)
}

/// `x * tanh(softplus(x))`
public func mish(_ x: MLXArray) -> MLXArray {
    x * tanh(softplus(x))
}

/// `x * min(max(x + 3, 0), 6) / 6`
public func hardSwish(_ x: MLXArray) -> MLXArray {
    let maxXPlus3 = maximum(x + 3, 0)
    return x * minimum(maxXPlus3, 6) / 6
}

/// `min(max(x, min), max)`
func hardTanH(_ x: MLXArray, min: Float = -1, max: Float = 1) -> MLXArray {
    minimum(maximum(x, min.asMLXArray(dtype: x.dtype)), max.asMLXArray(dtype: x.dtype))
}

/// `x` where `|x| > lambda`, else 0.
func hardShrink(_ x: MLXArray, lambda: Float = 0.5) -> MLXArray {
    which(abs(x) .> lambda.asMLXArray(dtype: x.dtype), x, 0)
}

/// `softmax(-x)`
func softmin(_ x: MLXArray, axis: Int = -1) -> MLXArray {
    softmax(-x, axis: axis)
}

open class GLU: Module, UnaryLayer {
    var axis: Int

    public init(axis: Int = -1) {
        self.axis = axis
        super.init()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        glu(x, axis: axis)
    }
}

open class Sigmoid: Module, UnaryLayer {
    public override init() {
        super.init()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        sigmoid(x)
    }
}

class Mish: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        mish(x)
    }
}

open class ReLU: Module, UnaryLayer {
    public override init() {
        super.init()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        relu(x)
    }
}

class LeakyReLU: Module, UnaryLayer {
    var negativeSlope: Float

    init(negativeSlope: Float = 0.01) {
        self.negativeSlope = negativeSlope
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        leakyRelu(x, negativeSlope: negativeSlope)
    }
}

class ReLU6: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        relu6(x)
    }
}

class ReLUSquared: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        reluSquared(x)
    }
}

open class Softmax: Module, UnaryLayer {
    var axis: Int

    public init(axis: Int = -1) {
        self.axis = axis
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        softmax(x, axis: axis)
    }
}

class Softmin: Module, UnaryLayer {
    var axis: Int

    init(axis: Int = -1) {
        self.axis = axis
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        softmin(x, axis: axis)
    }
}

class Softplus: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        softplus(x)
    }
}

class Softsign: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        softsign(x)
    }
}

class Softshrink: Module, UnaryLayer {
    var lambda: Float

    init(lambda: Float = 0.5) {
        self.lambda = lambda
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        softshrink(x, lambda: lambda)
    }
}

class ELU: Module, UnaryLayer {
    var alpha: Float

    init(alpha: Float = 1.0) {
        self.alpha = alpha
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        elu(x, alpha: alpha)
    }
}

class CELU: Module, UnaryLayer {
    var alpha: Float

    init(alpha: Float = 1.0) {
        self.alpha = alpha
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        celu(x, alpha: alpha)
    }
}

open class SiLU: Module, UnaryLayer {
    public override init() {
        super.init()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        silu(x)
    }
}

class LogSoftmax: Module, UnaryLayer {
    var axis: Int

    init(axis: Int = -1) {
        self.axis = axis
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        logSoftmax(x, axis: axis)
    }
}

class LogSigmoid: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        logSigmoid(x)
    }
}

class PReLU: Module, UnaryLayer {
    let weight: MLXArray

    init(count: Int = 1, value: Float = 0.25) {
        self.weight = MLXArray.full([count], values: MLXArray(value))
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        prelu(x, alpha: weight)
    }
}

open class GELU: Module, UnaryLayer {
    /// The API spec names only `.none` (`GELU(approximation: GELU.Approximation = .none)`); mlx-swift
    /// also has `.precise`, `.tanh` and `.fast`, which are ``Formula`` cases here, reachable inside
    /// the module through `init(formula:)`.
    public enum Approximation: Sendable {
        /// the exact erf form
        case none
    }

    /// The formulas the layer implements.
    enum Formula {
        /// the exact erf form
        case exact
        /// the tanh approximation (mlx-swift's `.precise` and `.tanh`)
        case tanh
        /// `x * sigmoid(1.702 x)` (mlx-swift's `.fast`)
        case fast
    }

    let formula: Formula

    public init(approximation: Approximation = .none) {
        switch approximation {
        case .none: self.formula = .exact
        }
        super.init()
    }

    init(formula: Formula) {
        self.formula = formula
        super.init()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        switch formula {
        case .exact: gelu(x)
        case .tanh: geluApproximate(x)
        case .fast: geluFastApproximate(x)
        }
    }
}

open class Tanh: Module, UnaryLayer {
    public override init() {
        super.init()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        tanh(x)
    }
}

class HardSwish: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        hardSwish(x)
    }
}

class HardTanh: Module, UnaryLayer {
    var min: Float
    var max: Float

    init(min: Float = -1, max: Float = 1) {
        self.min = min
        self.max = max
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        hardTanH(x, min: min, max: max)
    }
}

class HardShrink: Module, UnaryLayer {
    var lambda: Float

    init(lambda: Float = 0.5) {
        self.lambda = lambda
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        hardShrink(x, lambda: lambda)
    }
}

class Step: Module, UnaryLayer {
    var threshold: Float

    init(threshold: Float = 0.0) {
        self.threshold = threshold
        super.init()
    }

    func callAsFunction(_ x: MLXArray) -> MLXArray {
        step(x, threshold: threshold)
    }
}

class SELU: Module, UnaryLayer {
    func callAsFunction(_ x: MLXArray) -> MLXArray {
        selu(x)
    }
}
