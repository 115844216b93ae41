// must-fail: mlx-swift makes Float16 conform to HasDType only under `#if !arch(x86_64)`, so on x86_64 a
// Float16 scalar is not a HasDType (x86 macOS rejects it; the reference must too).
// only-arch: x86_64
// expect: requires that 'Float16' conform to 'HasDType'
import MLX

func scalarArray<T: HasDType>(_ value: T) -> MLXArray { MLXArray(value) }

func halfScale() -> MLXArray {
    scalarArray(Float16(0.5))
}
