// Linear (fully connected) and Identity layers.
import Foundation
import MLX

/// Returns its input unchanged.
public class Identity: Module, UnaryLayer {
    public override init() {
        super.init()
    }

    public func callAsFunction(_ x: MLXArray) -> MLXArray {
        x
    }
}

/// `y = x Wᵀ + b` with `weight` of shape [out, in].
open class Linear: Module, UnaryLayer, Quantizable {
    public let weight: MLXArray
    public let bias: MLXArray?

    /// (outputDimensions, inputDimensions)
    open var shape: (Int, Int) {
        weight.shape2
    }

    /// Weights (and bias) drawn uniformly from ±1/√inputDimensions.
    public init(_ inputDimensions: Int, _ outputDimensions: Int, bias: Bool = true) {
        let scale = (1.0 / Float(inputDimensions)).squareRoot()
        self.weight = MLXRandom.uniform(-scale ..< scale, [outputDimensions, inputDimensions])
        self.bias = bias ? MLXRandom.uniform(-scale ..< scale, [outputDimensions]) : nil
        super.init()
    }

    public convenience init(inputDimensions: Int, outputDimensions: Int, bias: Bool = true) {
        self.init(inputDimensions, outputDimensions, bias: bias)
    }

    public init(weight: MLXArray, bias: MLXArray? = nil) {
        self.weight = weight
        self.bias = bias
    }

    open override func describeExtra(_ indent: Int) -> String {
        let (outputDimensions, inputDimensions) = self.shape
        return "(inputDimensions=\(inputDimensions), outputDimensions=\(outputDimensions), bias=\(bias != nil))"
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        if let bias {
            return addMM(bias, x, weight.T)
        }
        return matmul(x, weight.T)
    }

    public func toQuantized(groupSize: Int, bits: Int, mode: QuantizationMode) -> Module {
        QuantizedLinear(self, groupSize: groupSize, bits: bits, mode: mode)
    }
}
