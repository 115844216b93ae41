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

    public init(@SequentialBuilder layers: () -> [UnaryLayer]) {
        self.layers = layers()
    }

    open func callAsFunction(_ x: MLXArray) -> MLXArray {
        var x = x
        for layer in layers {
            x = layer(x)
        }
        return x
    }
}

@resultBuilder
public struct SequentialBuilder {
    public static func buildArray(_ array: [UnaryLayer]) -> [UnaryLayer] {
        array
    }

    public static func buildArray(_ value: [[UnaryLayer]]) -> [UnaryLayer] {
        value.flatMap { $0 }
    }

    public static func buildExpression(_ value: UnaryLayer) -> [UnaryLayer] {
        [value]
    }

    public static func buildPartialBlock(accumulated: [UnaryLayer], next: [UnaryLayer]) -> [UnaryLayer] {
        accumulated + next
    }

    public static func buildPartialBlock(first: [UnaryLayer]) -> [UnaryLayer] {
        first
    }

    public static func buildEither(first: [UnaryLayer]) -> [UnaryLayer] {
        first
    }

    public static func buildEither(second: [UnaryLayer]) -> [UnaryLayer] {
        second
    }

    public static func buildOptional(_ component: [UnaryLayer]?) -> [UnaryLayer] {
        component ?? []
    }
}
