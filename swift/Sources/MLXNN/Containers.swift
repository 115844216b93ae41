// Sequential: applies a list of unary layers in order.
import Foundation
import MLX

open class Sequential: Module, UnaryLayer {
    @ModuleInfo public var layers: [UnaryLayer]

    public init(layers: [UnaryLayer]) {
        self.layers = layers
    }

    public init(layers: UnaryLayer...) {
        self.layers = layers
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        var x = x
        for layer in layers {
            x = layer(x)
        }
        return x
    }
}
