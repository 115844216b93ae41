// Dropout: zeroes random elements while training and rescales the rest; identity at eval.
import Foundation
import MLX

open class Dropout: Module, UnaryLayer {
    /// Probability of keeping an element.
    let p1: Float

    public init(p: Float = 0.5) {
        precondition((0 ..< 1).contains(p), "dropout probability must be in [0, 1), got \(p)")
        self.p1 = 1 - p
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        if p1 == 1 || !training {
            return x
        }
        let mask = MLXRandom.bernoulli(p1, x.shape)
        return (mask * x) * (1 / p1)
    }
}
