// Deprecated MLXRandom module: everything lives in MLX now (enum MLXRandom and free functions);
// these forwards, with the older parameter style, keep `import MLXRandom` compiling.
import Foundation
import MLX

@available(
    *, deprecated,
    message: "`import MLXRandom` is deprecated. All methods are now available through `import MLX"
)
public let deprecationWarning: Void = ()

@available(*, deprecated, message: "seed is now available in the main MLX module")
@_disfavoredOverload
public func seed(_ seed: UInt64) {
    MLXRandom.seed(seed)
}

@available(*, deprecated, message: "key is now available in the main MLX module")
@_disfavoredOverload
public func key(_ seed: UInt64) -> MLXArray {
    MLXRandom.key(seed)
}

@available(*, deprecated, message: "split is now available in the main MLX module")
@_disfavoredOverload
public func split(key: MLXArray, into num: Int, stream: StreamOrDevice = .default) -> [MLXArray] {
    MLXRandom.split(key: key, into: num, stream: stream)
}

@available(*, deprecated, message: "split is now available in the main MLX module")
@_disfavoredOverload
public func split(key: MLXArray, stream: StreamOrDevice = .default) -> (MLXArray, MLXArray) {
    MLXRandom.split(key: key, stream: stream)
}

@available(*, deprecated, message: "uniform is now available in the main MLX module")
@_disfavoredOverload
public func uniform<R: HasDType, T>(
    _ range: Range<R>, _ shape: [Int] = [], type: T.Type = Float.self, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.uniform(range, shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "uniform is now available in the main MLX module")
@_disfavoredOverload
public func uniform<T>(
    _ range: Range<Float> = 0 ..< 1, _ shape: [Int] = [], type: T.Type = Float.self,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.uniform(range, shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "uniform is now available in the main MLX module")
@_disfavoredOverload
public func uniform<T>(
    low: any ScalarOrArray, high: any ScalarOrArray, _ shape: [Int]? = nil, type: T.Type = Float.self,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.uniform(low: low.asMLXArray(dtype: nil), high: high.asMLXArray(dtype: nil), shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "uniform is now available in the main MLX module")
@_disfavoredOverload
public func uniform(
    low: any ScalarOrArray, high: any ScalarOrArray, _ shape: [Int]? = nil, dtype: DType = .float32,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.uniform(low: low.asMLXArray(dtype: nil), high: high.asMLXArray(dtype: nil), shape, dtype: dtype, key: key, stream: stream)
}

@available(*, deprecated, message: "normal is now available in the main MLX module")
@_disfavoredOverload
public func normal<T>(
    _ shape: [Int] = [], type: T.Type = Float.self, loc: Float = 0, scale: Float = 1,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.normal(shape, type: type, loc: loc, scale: scale, key: key, stream: stream)
}

@available(*, deprecated, message: "normal is now available in the main MLX module")
@_disfavoredOverload
public func normal(
    _ shape: [Int] = [], dtype: DType = .float32, loc: Float = 0, scale: Float = 1,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.normal(shape, dtype: dtype, loc: loc, scale: scale, key: key, stream: stream)
}

@available(*, deprecated, message: "randInt is now available in the main MLX module")
@_disfavoredOverload
public func randInt<T>(
    _ range: Range<T>, _ shape: [Int] = [], key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryInteger {
    MLXRandom.randInt(range, shape, key: key, stream: stream)
}

// randInt(low:high:...) is not forwarded: MLX keeps it internal (the API spec lists only
// randInt(_ range:_:key:stream:)).

@available(*, deprecated, message: "bernoulli is now available in the main MLX module")
@_disfavoredOverload
public func bernoulli(_ shape: [Int] = [], key: MLXArray? = nil, stream: StreamOrDevice = .default)
    -> MLXArray {
    MLXRandom.bernoulli(shape, key: key, stream: stream)
}

@available(*, deprecated, message: "bernoulli is now available in the main MLX module")
@_disfavoredOverload
public func bernoulli(
    _ p: any ScalarOrArray, _ shape: [Int]? = nil, key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.bernoulli(p.asMLXArray(dtype: nil), shape, key: key, stream: stream)
}

@available(*, deprecated, message: "truncatedNormal is now available in the main MLX module")
@_disfavoredOverload
public func truncatedNormal<R: HasDType, T>(
    _ range: Range<R>, _ shape: [Int] = [], type: T.Type = Float.self, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.truncatedNormal(range, shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "truncatedNormal is now available in the main MLX module")
@_disfavoredOverload
public func truncatedNormal<T>(
    _ range: Range<Float>, _ shape: [Int] = [], type: T.Type = Float.self, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.truncatedNormal(range, shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "truncatedNormal is now available in the main MLX module")
@_disfavoredOverload
public func truncatedNormal<T>(
    low: any ScalarOrArray, high: any ScalarOrArray, _ shape: [Int]? = nil, type: T.Type = Float.self,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.truncatedNormal(low: low.asMLXArray(dtype: nil), high: high.asMLXArray(dtype: nil), shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "truncatedNormal is now available in the main MLX module")
@_disfavoredOverload
public func truncatedNormal(
    low: any ScalarOrArray, high: any ScalarOrArray, _ shape: [Int]? = nil, dtype: DType = .float32,
    key: MLXArray? = nil, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.truncatedNormal(low: low.asMLXArray(dtype: nil), high: high.asMLXArray(dtype: nil), shape, dtype: dtype, key: key, stream: stream)
}

@available(*, deprecated, message: "gumbel is now available in the main MLX module")
@_disfavoredOverload
public func gumbel<T>(
    _ shape: [Int] = [], type: T.Type = Float.self, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray where T: HasDType, T: BinaryFloatingPoint {
    MLXRandom.gumbel(shape, type: type, key: key, stream: stream)
}

@available(*, deprecated, message: "gumbel is now available in the main MLX module")
@_disfavoredOverload
public func gumbel(
    _ shape: [Int] = [], dtype: DType = .float32, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.gumbel(shape, dtype: dtype, key: key, stream: stream)
}

@available(*, deprecated, message: "categorical is now available in the main MLX module")
@_disfavoredOverload
public func categorical(
    _ logits: MLXArray, axis: Int = -1, shape: [Int]? = nil, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.categorical(logits, axis: axis, shape: shape, key: key, stream: stream)
}

@available(*, deprecated, message: "categorical is now available in the main MLX module")
@_disfavoredOverload
public func categorical(
    _ logits: MLXArray, axis: Int = -1, count: Int, key: MLXArray? = nil,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.categorical(logits, axis: axis, count: count, key: key, stream: stream)
}
