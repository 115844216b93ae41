// must-fail: Module subclasses such as Linear are not Sendable in mlx-swift, so a global `let` of one is
// rejected in Swift 6 mode.
// expect: is not concurrency-safe because non-'Sendable' type 'Linear' may have shared mutable state
import MLX
import MLXNN

let sharedHead = Linear(4, 8, bias: false)
