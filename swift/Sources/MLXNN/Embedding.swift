// Embedding: a lookup table of vectors, also usable as a tied output projection.
import Foundation
import MLX

open class Embedding: Module, UnaryLayer, Quantizable {
    /// [embeddingCount, dimensions]
    public let weight: MLXArray

    open var shape: (Int, Int) {
        weight.shape2
    }

    /// Weights drawn from a normal distribution with standard deviation 1/√dimensions.
    public init(embeddingCount: Int, dimensions: Int) {
        let scale = (1 / Float(dimensions)).squareRoot()
        self.weight = MLXRandom.normal([embeddingCount, dimensions], scale: scale)
    }

    public init(weight: MLXArray) {
        self.weight = weight
    }

    open override func describeExtra(_ indent: Int) -> String {
        let (embeddingCount, dimensions) = self.shape
        return "(embeddingCount=\(embeddingCount), dimensions=\(dimensions))"
    }

    /// The rows of `weight` selected by the integer array `x`.
    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        weight[x]
    }

    /// `x Wᵀ`: project hidden states onto the vocabulary with the same weights.
    open func asLinear(_ x: MLXArray) -> MLXArray {
        matmul(x, weight.T)
    }

    public func toQuantized(groupSize: Int, bits: Int, mode: QuantizationMode) -> Module {
        QuantizedEmbedding(self, groupSize: groupSize, bits: bits, mode: mode)
    }
}
