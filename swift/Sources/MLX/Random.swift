// Random number generation with MLX's counter-based Threefry-2x32 keys, so keys, splits and the
// uniform/normal samples derived from them match MLX bit for bit.
import Foundation

/// Threefry-2x32 with 20 rounds (the Random123 construction MLX uses), written out straight so
/// that it stays fast in unoptimised builds: it runs once per pair of random words.
func threefry2x32(_ key: (UInt32, UInt32), _ counter: (UInt32, UInt32)) -> (UInt32, UInt32) {
    let k0 = key.0, k1 = key.1, k2 = key.0 ^ key.1 ^ 0x1BD1_1BDA
    var x0 = counter.0 &+ k0
    var x1 = counter.1 &+ k1
    x0 = x0 &+ x1; x1 = (x1 << 13) | (x1 >> 19); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 15) | (x1 >> 17); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 26) | (x1 >> 6); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 6) | (x1 >> 26); x1 ^= x0
    x0 = x0 &+ k1; x1 = x1 &+ k2 &+ 1
    x0 = x0 &+ x1; x1 = (x1 << 17) | (x1 >> 15); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 29) | (x1 >> 3); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 16) | (x1 >> 16); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 24) | (x1 >> 8); x1 ^= x0
    x0 = x0 &+ k2; x1 = x1 &+ k0 &+ 2
    x0 = x0 &+ x1; x1 = (x1 << 13) | (x1 >> 19); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 15) | (x1 >> 17); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 26) | (x1 >> 6); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 6) | (x1 >> 26); x1 ^= x0
    x0 = x0 &+ k0; x1 = x1 &+ k1 &+ 3
    x0 = x0 &+ x1; x1 = (x1 << 17) | (x1 >> 15); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 29) | (x1 >> 3); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 16) | (x1 >> 16); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 24) | (x1 >> 8); x1 ^= x0
    x0 = x0 &+ k1; x1 = x1 &+ k2 &+ 4
    x0 = x0 &+ x1; x1 = (x1 << 13) | (x1 >> 19); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 15) | (x1 >> 17); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 26) | (x1 >> 6); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << 6) | (x1 >> 26); x1 ^= x0
    x0 = x0 &+ k2; x1 = x1 &+ k0 &+ 5
    return (x0, x1)
}

/// `count` random uint32 words from one key, laid out as MLX's RandomBits kernel lays them out:
/// word i and word i + ceil(count/2) come from the same counter.
func randomBits(count: Int, key: MLXArray) -> [UInt32] {
    precondition(key.dtype == .uint32 && key.shape == [2], "[bits] Expected a uint32 key of shape (2) but received \(key.dtype) \(key.shape).")
    let k = key.intBuffer
    let pair = (UInt32(truncatingIfNeeded: k[0]), UInt32(truncatingIfNeeded: k[1]))
    var out = [UInt32](repeating: 0, count: count)
    let half = count / 2
    let odd = count % 2 == 1
    let secondStart = half + (odd ? 1 : 0)
    out.withUnsafeMutableBufferPointer { p in
        let base = p.baseAddress!
        for i in 0 ..< half {
            let r = threefry2x32(pair, (UInt32(truncatingIfNeeded: i), UInt32(truncatingIfNeeded: secondStart + i)))
            base[i] = r.0
            base[secondStart + i] = r.1
        }
        if odd {
            base[half] = threefry2x32(pair, (UInt32(truncatingIfNeeded: half), 0)).0
        }
    }
    return out
}

public protocol RandomStateOrKey {
    func asRandomKey() -> MLXArray
}

extension MLXArray: RandomStateOrKey {
    public func asRandomKey() -> MLXArray {
        self
    }
}

public enum MLXRandom {

    /// A sequence of keys: every `next()` splits the current key and returns one half.
    public class RandomState: RandomStateOrKey, Updatable, Evaluatable, @unchecked Sendable {
        private var state: MLXArray
        private let lock = NSLock()

        public init() {
            state = MLXRandom.key(DispatchTime.now().uptimeNanoseconds)
        }

        public init(seed: UInt64) {
            state = MLXRandom.key(seed)
        }

        public func innerState() -> [MLXArray] {
            lock.withLock { [state] }
        }

        func next() -> MLXArray {
            lock.withLock {
                let (a, b) = MLXRandom.split(key: state)
                state = a
                return b
            }
        }

        func seed(_ seed: UInt64) {
            lock.withLock { state = MLXRandom.key(seed) }
        }

        public func asRandomKey() -> MLXArray {
            next()
        }
    }

    public static let globalState = RandomState()

    @TaskLocal
    static var taskLocalRandomState: RandomState?

    /// Seed the global random state.
    public static func seed(_ seed: UInt64) {
        globalState.seed(seed)
    }

    /// A key (uint32 pair: high word, low word of the seed).
    public static func key(_ seed: UInt64) -> MLXArray {
        MLXArray(
            storage: .int([Int64(seed >> 32), Int64(seed & 0xFFFF_FFFF)]), shape: [2], dtype: .uint32)
    }

    public static func split(key: MLXArray, into num: Int, stream: StreamOrDevice = .default)
        -> [MLXArray]
    {
        let words = randomBits(count: 2 * num, key: key)
        return (0 ..< num).map {
            MLXArray(
                storage: .int([Int64(words[2 * $0]), Int64(words[2 * $0 + 1])]), shape: [2],
                dtype: .uint32)
        }
    }

    public static func split(key: MLXArray, stream: StreamOrDevice = .default) -> (MLXArray, MLXArray) {
        let keys = split(key: key, into: 2)
        return (keys[0], keys[1])
    }

    /// Raw uint32 random words of `shape`.
    static func bits(_ shape: [Int], key: MLXArray) -> MLXArray {
        let words = randomBits(count: shape.reduce(1, *), key: key)
        return MLXArray(storage: .int(words.map { Int64($0) }), shape: shape, dtype: .uint32)
    }

    /// The largest value below 1 in `dtype`, as float32 (uniform samples are clipped to it).
    private static func belowOne(_ dtype: DType) -> Float {
        switch dtype {
        case .bfloat16: Float(bitPattern: 0x3F7F_0000)
        case .float16: Float(Float16(bitPattern: 0x3BFF))
        default: Float(1).nextDown
        }
    }

    static func uniformArray(low: MLXArray, high: MLXArray, shape: [Int], dtype: DType, key: MLXArray)
        -> MLXArray
    {
        precondition(dtype.isFloatingPoint && dtype != .complex64, "[uniform] Can only generate uniform numbers with real floating point type.")
        let lo = low.asType(dtype)
        let hi = high.asType(dtype)
        let range = binaryOp(hi, lo, .subtract)
        precondition(broadcastShapes(shape, range.shape, "uniform") == shape, "[uniform] Cannot generate random values of shape \(shape) from broadcasted shape \(range.shape).")
        if range.size == 1 && lo.size == 1 && dtype != .float64 {
            // scalar bounds (weight initialisation): the same ops as below, fused into one pass, and
            // computed only if read (the key is a value: later draws do not depend on when)
            let r = range.floatBuffer[0], l = lo.floatBuffer[0]
            let key = MLXArray(storage: key.storage, shape: key.shape, dtype: key.dtype)
            return MLXArray(shape: shape, dtype: dtype) {
                let words = randomBits(count: shape.reduce(1, *), key: key)
                let upper = belowOne(dtype)
                let maxValue = Float(UInt32.max)
                var out = [Float](repeating: 0, count: words.count)
                words.withUnsafeBufferPointer { pw in
                    out.withUnsafeMutableBufferPointer { po in
                        for i in 0 ..< pw.count {
                            let unit = roundFloat(Swift.min(Float(pw[i]) / maxValue, upper), to: dtype)
                            po[i] = roundFloat(roundFloat(r * unit, to: dtype) + l, to: dtype)
                        }
                    }
                }
                return .float(out)
            }
        }
        let raw = bits(shape, key: key)
        let scaled = binaryOp(raw, MLXArray(Float(UInt32.max)), .divide)
        let clipped = binaryOp(scaled, MLXArray(belowOne(dtype)), .minimum).asType(dtype)
        return binaryOp(binaryOp(range, clipped, .multiply), lo, .add)
    }

    static func normalArray(shape: [Int], dtype: DType, loc: Float, scale: Float, key: MLXArray) -> MLXArray {
        precondition(dtype.isFloatingPoint && dtype != .complex64, "[normal] Only floating point types are supported.")
        let samples = uniformArray(
            low: MLXArray(Float(-1).nextUp), high: MLXArray(Float(1)), shape: shape, dtype: .float32,
            key: key)
        var appliedScale = MLXArray(2.0.squareRoot(), dtype: dtype)
        if scale != 1 {
            appliedScale = binaryOp(appliedScale, MLXArray(scale, dtype: dtype), .multiply)
        }
        if dtype != .float64 {
            // erfinv, cast, scale and shift fused into one pass (same rounding steps as the ops),
            // computed only if read, as the uniform samples are
            let a = appliedScale.floatBuffer[0]
            let shift = roundFloat(loc, to: dtype)
            return MLXArray(shape: shape, dtype: dtype) {
                var out = samples.floatBuffer
                out.withUnsafeMutableBufferPointer { p in
                    for i in 0 ..< p.count {
                        var v = roundFloat(a * roundFloat(mlxErfInv(p[i]), to: dtype), to: dtype)
                        if loc != 0 { v = roundFloat(shift + v, to: dtype) }
                        p[i] = v
                    }
                }
                return .float(out)
            }
        }
        var result = binaryOp(appliedScale, unaryOp(samples, .erfInverse).asType(dtype), .multiply)
        if loc != 0 {
            result = binaryOp(MLXArray(loc, dtype: dtype), result, .add)
        }
        return result
    }

    /// The requested shape, or (as mlx-swift does) the shape of `low`.
    private static func shapeOf(_ shape: (some Collection<Int>)?, low: MLXArray, high: MLXArray) -> [Int] {
        shape.map { Array($0) } ?? low.shape
    }

    /// Uniform samples in `range` as `type`.
    public static func uniform(
        _ range: Range<some HasDType>, _ shape: some Collection<Int> = [],
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        uniformArray(
            low: MLXArray(range.lowerBound), high: MLXArray(range.upperBound), shape: Array(shape),
            dtype: type.dtype, key: resolve(key: key))
    }

    public static func uniform(
        _ range: Range<Float> = 0 ..< 1, _ shape: some Collection<Int> = [],
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        uniformArray(
            low: MLXArray(range.lowerBound), high: MLXArray(range.upperBound), shape: Array(shape),
            dtype: type.dtype, key: resolve(key: key))
    }

    public static func uniform(
        low: some ScalarOrArray, high: some ScalarOrArray,
        _ shape: (some Collection<Int>)? = [Int]?.none,
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let (lo, hi) = toArrays(low, high)
        return uniformArray(
            low: lo, high: hi, shape: shapeOf(shape, low: lo, high: hi), dtype: type.dtype,
            key: resolve(key: key))
    }

    public static func uniform(
        low: some ScalarOrArray, high: some ScalarOrArray,
        _ shape: (some Collection<Int>)? = [Int]?.none, dtype: DType,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let (lo, hi) = toArrays(low, high)
        return uniformArray(
            low: lo, high: hi, shape: shapeOf(shape, low: lo, high: hi), dtype: dtype,
            key: resolve(key: key))
    }

    /// Normal samples (mean `loc`, standard deviation `scale`) via the inverse error function.
    public static func normal(
        _ shape: some Collection<Int> = [],
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self, loc: Float = 0,
        scale: Float = 1, key: (some RandomStateOrKey)? = MLXArray?.none,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        normalArray(shape: Array(shape), dtype: type.dtype, loc: loc, scale: scale, key: resolve(key: key))
    }

    public static func normal(
        _ shape: some Collection<Int> = [], dtype: DType, loc: Float = 0, scale: Float = 1,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        normalArray(shape: Array(shape), dtype: dtype, loc: loc, scale: scale, key: resolve(key: key))
    }

    private static func randIntArray(low: MLXArray, high: MLXArray, shape: [Int], dtype: DType, key: MLXArray) -> MLXArray {
        precondition(!dtype.isFloatingPoint, "[randint] randint only accepts integer dtypes and bool.")
        let u = uniformArray(low: low, high: high, shape: shape, dtype: .float32, key: key)
        let out = unaryOp(u, .floor).asType(dtype)
        let top = binaryOp(high, MLXArray(1, dtype: high.dtype), .subtract).asType(dtype)
        return binaryOp(binaryOp(out, top, .minimum), low.asType(dtype), .maximum)
    }

    /// Integers uniformly drawn from `range`.
    public static func randInt<T>(
        _ range: Range<T>, _ shape: some Collection<Int> = [],
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray where T: HasDType, T: BinaryInteger {
        randIntArray(
            low: MLXArray(range.lowerBound), high: MLXArray(range.upperBound), shape: Array(shape),
            dtype: T.dtype, key: resolve(key: key))
    }

    static func randInt(
        low: some ScalarOrArray, high: some ScalarOrArray,
        _ shape: (some Collection<Int>)? = [Int]?.none,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let (lo, hi) = toArrays(low, high)
        return randIntArray(
            low: lo, high: hi, shape: shapeOf(shape, low: lo, high: hi),
            dtype: DType.promote(lo.dtype, hi.dtype), key: resolve(key: key))
    }

    static func randInt(
        low: some ScalarOrArray, high: some ScalarOrArray,
        _ shape: (some Collection<Int>)? = [Int]?.none, type: (some HasDType & BinaryInteger).Type,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let (lo, hi) = toArrays(low, high)
        return randIntArray(
            low: lo, high: hi, shape: shapeOf(shape, low: lo, high: hi), dtype: type.dtype,
            key: resolve(key: key))
    }

    private static func bernoulliArray(p: MLXArray, shape: [Int], key: MLXArray) -> MLXArray {
        precondition(p.dtype.isFloatingPoint, "[bernoulli] bernoulli probability `p` must be a float type.")
        let upper = MLXArray(Float(UInt32.max).nextUp)
        let result = compareOp(bits(shape, key: key), binaryOp(p, upper, .multiply), .less)
        precondition(result.shape == shape, "[bernoulli] shape of `p` is incompatible with argument `shape`.")
        return result
    }

    /// Bools that are true with probability 0.5.
    public static func bernoulli(
        _ shape: some Collection<Int> = [], key: (some RandomStateOrKey)? = MLXArray?.none,
        stream: StreamOrDevice = .default
    ) -> MLXArray {
        bernoulliArray(p: MLXArray(Float(0.5)), shape: Array(shape), key: resolve(key: key))
    }

    /// Bools that are true with probability `p`.
    public static func bernoulli(
        _ p: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let p = p.asMLXArray(dtype: nil)
        return bernoulliArray(p: p, shape: shape.map { Array($0) } ?? p.shape, key: resolve(key: key))
    }

    private static func truncatedNormalArray(lower: MLXArray, upper: MLXArray, shape: [Int], dtype: DType, key: MLXArray) -> MLXArray {
        let sqrt2 = MLXArray(2.0.squareRoot(), dtype: dtype)
        let lo = lower.asType(dtype)
        let hi = upper.asType(dtype)
        let a = unaryOp(binaryOp(lo, sqrt2, .divide), .erf)
        let b = unaryOp(binaryOp(hi, sqrt2, .divide), .erf)
        let u = uniformArray(low: a, high: b, shape: shape, dtype: dtype, key: key)
        let out = binaryOp(sqrt2, unaryOp(u, .erfInverse), .multiply)
        return binaryOp(binaryOp(hi, out, .minimum), lo, .maximum)
    }

    /// Normal samples truncated to `range`.
    public static func truncatedNormal(
        _ range: Range<some HasDType>, _ shape: some Collection<Int> = [],
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        truncatedNormalArray(
            lower: MLXArray(range.lowerBound), upper: MLXArray(range.upperBound), shape: Array(shape),
            dtype: type.dtype, key: resolve(key: key))
    }

    public static func truncatedNormal(
        _ range: Range<Float>, _ shape: some Collection<Int> = [],
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        truncatedNormalArray(
            lower: MLXArray(range.lowerBound), upper: MLXArray(range.upperBound), shape: Array(shape),
            dtype: type.dtype, key: resolve(key: key))
    }

    public static func truncatedNormal(
        low: some ScalarOrArray, high: some ScalarOrArray,
        _ shape: (some Collection<Int>)? = [Int]?.none,
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let (lo, hi) = toArrays(low, high)
        return truncatedNormalArray(
            lower: lo, upper: hi, shape: shapeOf(shape, low: lo, high: hi), dtype: type.dtype,
            key: resolve(key: key))
    }

    public static func truncatedNormal(
        low: some ScalarOrArray, high: some ScalarOrArray,
        _ shape: (some Collection<Int>)? = [Int]?.none, dtype: DType,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let (lo, hi) = toArrays(low, high)
        return truncatedNormalArray(
            lower: lo, upper: hi, shape: shapeOf(shape, low: lo, high: hi), dtype: dtype,
            key: resolve(key: key))
    }

    static func gumbelArray(shape: [Int], dtype: DType, key: MLXArray) -> MLXArray {
        let u = uniformArray(
            low: MLXArray(0.0, dtype: dtype), high: MLXArray(1.0, dtype: dtype), shape: shape,
            dtype: dtype, key: key)
        return unaryOp(unaryOp(unaryOp(unaryOp(u, .log), .negative), .log), .negative)
    }

    /// Samples from the standard Gumbel distribution.
    public static func gumbel(
        _ shape: some Collection<Int> = [],
        type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        gumbelArray(shape: Array(shape), dtype: type.dtype, key: resolve(key: key))
    }

    public static func gumbel(
        _ shape: some Collection<Int> = [], dtype: DType,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        gumbelArray(shape: Array(shape), dtype: dtype, key: resolve(key: key))
    }

    /// Gumbel-max sampling: argmax over `axis` of logits plus Gumbel noise.
    private static func categoricalArray(_ logits: MLXArray, axis: Int, shape: [Int], key: MLXArray) -> MLXArray {
        let ax = normalizeAxis(axis, logits.ndim, "categorical")
        var reduced = logits.shape
        reduced.remove(at: ax)
        precondition(broadcastShapes(shape, reduced, "categorical") == shape, "[categorical] Requested shape \(shape) is not broadcast compatible with reduced logits shape \(reduced).")
        var noiseShape = shape
        let offset = ax + shape.count - logits.ndim + 1
        noiseShape.insert(logits.shape[ax], at: offset)
        let g = gumbelArray(shape: noiseShape, dtype: .float32, key: key)
        return argReduce(binaryOp(g, logits, .add), axis: offset, keepDims: false, maximum: true)
    }

    /// Sample category indices from unnormalised log probabilities along `axis`.
    public static func categorical(
        _ logits: MLXArray, axis: Int = -1, shape: (some Collection<Int>)? = [Int]?.none,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let ax = normalizeAxis(axis, logits.ndim, "categorical")
        var reduced = logits.shape
        reduced.remove(at: ax)
        return categoricalArray(logits, axis: ax, shape: shape.map { Array($0) } ?? reduced, key: resolve(key: key))
    }

    /// `count` samples per distribution, stacked on a new last axis.
    public static func categorical(
        _ logits: MLXArray, axis: Int = -1, count: Int,
        key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
    ) -> MLXArray {
        let ax = normalizeAxis(axis, logits.ndim, "categorical")
        let expanded = logits.expandedDimensions(axes: [-1])
        var shape = expanded.shape
        shape.remove(at: ax)
        shape[shape.count - 1] = count
        return categoricalArray(expanded, axis: ax, shape: shape, key: resolve(key: key))
    }
}

/// The key to use: the given key (or the next key of a given state), else the task-local state
/// installed by ``withRandomState(_:body:)-6i2p5``, else the global state.
func resolve(key: (some RandomStateOrKey)? = MLXArray?.none) -> MLXArray {
    key?.asRandomKey() ?? MLXRandom.taskLocalRandomState?.asRandomKey()
        ?? MLXRandom.globalState.next()
}

func withRandomState<R>(_ state: MLXRandom.RandomState, body: () throws -> R) rethrows -> R {
    try MLXRandom.$taskLocalRandomState.withValue(state, operation: body)
}

func withRandomState<R>(_ state: MLXRandom.RandomState, body: () async throws -> R)
    async rethrows -> R
{
    try await MLXRandom.$taskLocalRandomState.withValue(state, operation: body)
}

// MARK: - Top-level forwards

public func seed(_ seed: UInt64) {
    MLXRandom.seed(seed)
}

public func key(_ seed: UInt64) -> MLXArray {
    MLXRandom.key(seed)
}

public func split(key: MLXArray, into num: Int, stream: StreamOrDevice = .default) -> [MLXArray] {
    MLXRandom.split(key: key, into: num, stream: stream)
}

public func split(key: MLXArray, stream: StreamOrDevice = .default) -> (MLXArray, MLXArray) {
    MLXRandom.split(key: key, stream: stream)
}

public func uniform(
    _ range: Range<some HasDType>, _ shape: some Collection<Int> = [],
    type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.uniform(range, shape, type: type, key: key, stream: stream)
}

public func uniform(
    _ range: Range<Float> = 0 ..< 1, _ shape: some Collection<Int> = [],
    type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.uniform(range, shape, type: type, key: key, stream: stream)
}

public func uniform(
    low: some ScalarOrArray, high: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.uniform(low: low, high: high, shape, type: type, key: key, stream: stream)
}

public func uniform(
    low: some ScalarOrArray, high: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    dtype: DType, key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.uniform(low: low, high: high, shape, dtype: dtype, key: key, stream: stream)
}

public func normal(
    _ shape: some Collection<Int> = [], type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    loc: Float = 0, scale: Float = 1, key: (some RandomStateOrKey)? = MLXArray?.none,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.normal(shape, type: type, loc: loc, scale: scale, key: key, stream: stream)
}

public func normal(
    _ shape: some Collection<Int> = [], dtype: DType, loc: Float = 0, scale: Float = 1,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.normal(shape, dtype: dtype, loc: loc, scale: scale, key: key, stream: stream)
}

public func randInt(
    _ range: Range<some HasDType & BinaryInteger>, _ shape: some Collection<Int> = [],
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.randInt(range, shape, key: key, stream: stream)
}

func randInt(
    low: some ScalarOrArray, high: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.randInt(low: low, high: high, shape, key: key, stream: stream)
}

func randInt(
    low: some ScalarOrArray, high: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    type: (some HasDType & BinaryInteger).Type, key: (some RandomStateOrKey)? = MLXArray?.none,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.randInt(low: low, high: high, shape, type: type, key: key, stream: stream)
}

public func bernoulli(
    _ shape: some Collection<Int> = [], key: (some RandomStateOrKey)? = MLXArray?.none,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.bernoulli(shape, key: key, stream: stream)
}

public func bernoulli(
    _ p: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.bernoulli(p, shape, key: key, stream: stream)
}

public func truncatedNormal(
    _ range: Range<some HasDType>, _ shape: some Collection<Int> = [],
    type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.truncatedNormal(range, shape, type: type, key: key, stream: stream)
}

public func truncatedNormal(
    _ range: Range<Float>, _ shape: some Collection<Int> = [],
    type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.truncatedNormal(range, shape, type: type, key: key, stream: stream)
}

public func truncatedNormal(
    low: some ScalarOrArray, high: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.truncatedNormal(low: low, high: high, shape, type: type, key: key, stream: stream)
}

public func truncatedNormal(
    low: some ScalarOrArray, high: some ScalarOrArray, _ shape: (some Collection<Int>)? = [Int]?.none,
    dtype: DType, key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.truncatedNormal(low: low, high: high, shape, dtype: dtype, key: key, stream: stream)
}

public func gumbel(
    _ shape: some Collection<Int> = [], type: (some HasDType & BinaryFloatingPoint).Type = Float.self,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.gumbel(shape, type: type, key: key, stream: stream)
}

public func gumbel(
    _ shape: some Collection<Int> = [], dtype: DType, key: (some RandomStateOrKey)? = MLXArray?.none,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.gumbel(shape, dtype: dtype, key: key, stream: stream)
}

public func categorical(
    _ logits: MLXArray, axis: Int = -1, shape: (some Collection<Int>)? = [Int]?.none,
    key: (some RandomStateOrKey)? = MLXArray?.none, stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.categorical(logits, axis: axis, shape: shape, key: key, stream: stream)
}

public func categorical(
    _ logits: MLXArray, axis: Int = -1, count: Int, key: (some RandomStateOrKey)? = MLXArray?.none,
    stream: StreamOrDevice = .default
) -> MLXArray {
    MLXRandom.categorical(logits, axis: axis, count: count, key: key, stream: stream)
}
