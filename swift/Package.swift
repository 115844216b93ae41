// swift-tools-version: 6.0
// The Swift side of hf2swift: the runtime the generated models stand on, the generated models
// (Sources/HF2SwiftModels is a symlink to ../../generated, so there is one copy of them), the
// hf2swift-run runner, and the tests. On Linux, where mlx-swift cannot be built, the package
// carries its own reference implementation of the mlx-swift API subset (modules MLX, MLXNN,
// MLXFast, MLXRandom) and of the mlx-swift-lm subset (MLXLMCommon, MLXLLM); on Apple platforms it
// uses mlx-swift and mlx-swift-lm themselves.
import PackageDescription

#if os(Linux)
// The reference computes every op in plain Swift: optimised even in debug builds, or the parity tests
// spend their time in unoptimised loops. -O keeps IEEE arithmetic (no reassociation, no contraction),
// so results are the same bits.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]
let mlxTargets: [Target] = [
    .target(name: "MLX", path: "Sources/MLX", swiftSettings: optimised),
    .target(name: "MLXNN", dependencies: ["MLX"], path: "Sources/MLXNN", swiftSettings: optimised),
    .target(name: "MLXFast", dependencies: ["MLX"], path: "Sources/MLXFast", swiftSettings: optimised),
    .target(name: "MLXRandom", dependencies: ["MLX"], path: "Sources/MLXRandom", swiftSettings: optimised),
    .testTarget(name: "MLXTests", dependencies: ["MLX", "MLXNN"], path: "Tests/MLXTests"),
    // mlx-swift-lm's MLXLMCommon and MLXLLM, the subset the generated models and their apps use.
    .target(name: "MLXLMCommon", dependencies: ["MLX", "MLXNN"], path: "Sources/MLXLMCommon"),
    .target(name: "MLXLLM", dependencies: ["MLX", "MLXLMCommon"], path: "Sources/MLXLLM"),
    .testTarget(
        name: "MLXLMCommonTests", dependencies: ["MLX", "MLXNN", "MLXLMCommon", "MLXLLM"],
        path: "Tests/MLXLMCommonTests"),
]
let packageDependencies: [Package.Dependency] = []
let mlx: Target.Dependency = "MLX"
let mlxNN: Target.Dependency = "MLXNN"
let mlxLMCommon: Target.Dependency = "MLXLMCommon"
let mlxLLM: Target.Dependency = "MLXLLM"
#else
let mlxTargets: [Target] = []
let packageDependencies: [Package.Dependency] = [
    .package(url: "https://github.com/ml-explore/mlx-swift", from: "0.31.6"),
    // 3.31.4 builds on mlx-swift 0.31.x, the release the generated files target.
    .package(url: "https://github.com/ml-explore/mlx-swift-lm", .upToNextMinor(from: "3.31.4")),
]
let mlx: Target.Dependency = .product(name: "MLX", package: "mlx-swift")
let mlxNN: Target.Dependency = .product(name: "MLXNN", package: "mlx-swift")
let mlxLMCommon: Target.Dependency = .product(name: "MLXLMCommon", package: "mlx-swift-lm")
let mlxLLM: Target.Dependency = .product(name: "MLXLLM", package: "mlx-swift-lm")
#endif

let package = Package(
    name: "HF2Swift",
    platforms: [.macOS("14.0"), .iOS(.v17)],
    products: [
        .library(name: "HF2SwiftRuntime", targets: ["HF2SwiftRuntime"]),
        .library(name: "HF2SwiftModels", targets: ["HF2SwiftModels"]),
        .executable(name: "hf2swift-run", targets: ["hf2swift-run"]),
    ],
    dependencies: packageDependencies,
    targets: mlxTargets + [
        .target(
            name: "HF2SwiftRuntime", dependencies: [mlx, mlxNN, mlxLMCommon, mlxLLM], path: "Sources/HF2SwiftRuntime"),
        .target(
            name: "HF2SwiftModels", dependencies: [mlx, mlxNN, mlxLMCommon, mlxLLM, "HF2SwiftRuntime"],
            path: "Sources/HF2SwiftModels", exclude: ["README.md"]),
        .executableTarget(
            name: "hf2swift-run", dependencies: [mlx, mlxLMCommon, mlxLLM, "HF2SwiftRuntime", "HF2SwiftModels"],
            path: "Sources/hf2swift-run"),
        .executableTarget(
            name: "hf2swift-fuzz-load", dependencies: [mlx, mlxLMCommon, mlxLLM, "HF2SwiftRuntime", "HF2SwiftModels"],
            path: "Sources/hf2swift-fuzz-load"),
        .testTarget(
            name: "MLXParityTests", dependencies: [mlx, mlxNN], path: "Tests/MLXParityTests"),
        .testTarget(
            name: "RuntimeTests", dependencies: [mlx, mlxNN, mlxLMCommon, mlxLLM, "HF2SwiftRuntime", "HF2SwiftModels"],
            path: "Tests/RuntimeTests"),
        .testTarget(
            name: "ParityTests", dependencies: [mlx, mlxNN, mlxLMCommon, mlxLLM, "HF2SwiftRuntime", "HF2SwiftModels"],
            path: "Tests/ParityTests"),
    ]
)
