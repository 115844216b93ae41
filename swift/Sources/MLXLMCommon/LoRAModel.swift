// Linux reference of mlx-swift-lm's LoRA model protocol (MLXLMCommon 3.31.4): the layers an adapter may
// attach to, and the linear layers inside them it attaches to by default.
import Foundation
import MLX
import MLXNN

public protocol LoRAModel {
    /// The modules LoRA adapters go into (usually the decoder layers).
    var loraLayers: [Module] { get }
    /// Paths, relative to each of `loraLayers`, of the linear layers adapted by default.
    var loraDefaultKeys: [String] { get }
}

extension LoRAModel {
    public var loraDefaultKeys: [String] {
        let linear = loraLayers.flatMap { layer in
            layer.namedModules().compactMap { path, module in module is Linear ? path : nil }
        }
        return Array(Set(linear))
    }
}
