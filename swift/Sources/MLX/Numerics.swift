// Scalar numerics shared by the kernels: half-precision rounding and MLX's CPU math approximations.
import Foundation

// MLX's CPU backend does not call libm for exp, sin, cos, erf and erfinv; it uses fixed polynomial
// approximations (Cephes / Abramowitz-Stegun / Giles). Using the same formulas here keeps results
// within an ulp or so of MLX instead of a few ulps, which matters once values are rounded to bf16.

/// Round a Float to the nearest bfloat16 (ties to even), as MLX's bf16 conversion does;
/// NaN becomes the canonical quiet NaN.
@inline(__always)
func roundToBFloat16(_ x: Float) -> Float {
    if x.isNaN { return Float(bitPattern: 0x7FC0_0000) }
    var bits = x.bitPattern
    bits = bits &+ (((bits >> 16) & 1) &+ 0x7FFF)
    return Float(bitPattern: bits & 0xFFFF_0000)
}

/// Round a Float to the nearest IEEE half (ties to even), including subnormals and overflow to inf.
@inline(__always)
func roundToFloat16(_ x: Float) -> Float {
    Float(Float16(x))
}

@inline(__always)
func roundFloat(_ x: Float, to dtype: DType) -> Float {
    switch dtype {
    case .bfloat16: roundToBFloat16(x)
    case .float16: roundToFloat16(x)
    default: x
    }
}

/// Round every value in place so a buffer holds exactly what an array of `dtype` would hold.
func roundInPlace(_ values: inout [Float], to dtype: DType) {
    switch dtype {
    case .bfloat16:
        values.withUnsafeMutableBufferPointer { p in
            for i in 0 ..< p.count { p[i] = roundToBFloat16(p[i]) }
        }
    case .float16:
        values.withUnsafeMutableBufferPointer { p in
            for i in 0 ..< p.count { p[i] = roundToFloat16(p[i]) }
        }
    default:
        break
    }
}

/// exp as MLX's CPU kernel computes it: 2^(x·log2 e) split into an integer power built from the
/// exponent bits and a degree-6 polynomial for the fraction.
@inline(__always)
func mlxExp(_ xIn: Float) -> Float {
    if xIn.isNaN { return xIn }
    if xIn > 88 { return .infinity }
    if xIn < -88 { return 0 }
    let x = xIn * 1.442695
    let ipart = (x + 0.5).rounded(.down)
    let fpart = x - ipart
    var p: Float = 1.535336188319500e-4
    p = Float(1.339887440266574e-3).addingProduct(p, fpart)
    p = Float(9.618437357674640e-3).addingProduct(p, fpart)
    p = Float(5.550332471162809e-2).addingProduct(p, fpart)
    p = Float(2.402264791363012e-1).addingProduct(p, fpart)
    p = Float(6.931472028550421e-1).addingProduct(p, fpart)
    p = Float(1.0).addingProduct(p, fpart)
    let exponentBits = UInt32(truncatingIfNeeded: Int32(ipart) &+ 127) << 23
    return Float(bitPattern: exponentBits) * p
}

/// sin or cos by MLX's Cephes-style range reduction; very large arguments go to libm because
/// the reduction loses all precision there.
@inline(__always)
func mlxSinCos(_ input: Float, sine: Bool) -> Float {
    if input.isNaN { return input }
    if Swift.abs(input) > 8_388_608 {
        return sine ? Foundation.sin(input) : Foundation.cos(input)
    }
    var signSin = input < 0
    var x = Swift.abs(input)
    var emm2 = UInt32(x * 1.27323954473516)
    emm2 = emm2 &+ 1
    emm2 = emm2 & ~UInt32(1)
    let y = Float(emm2)
    let polyMask = (emm2 & 2) != 0
    x = x.addingProduct(y, -0.78515625)
    x = x.addingProduct(y, -2.4187564849853515625e-4)
    x = x.addingProduct(y, -3.77489497744594108e-8)
    signSin = signSin != ((emm2 & 4) != 0)
    let signCos = ((emm2 &- 2) & 4) != 0
    let z = x * x
    var y1 = Float(-1.388731625493765e-3).addingProduct(z, 2.443315711809948e-5)
    var y2 = Float(8.3321608736e-3).addingProduct(z, -1.9515295891e-4)
    y1 = Float(4.166664568298827e-2).addingProduct(y1, z)
    y2 = Float(-1.6666654611e-1).addingProduct(y2, z)
    y1 = y1 * z
    y2 = y2 * z
    y1 = y1 * z
    y2 = x.addingProduct(x, y2)
    y1 = y1.addingProduct(z, -0.5)
    y1 = y1 + 1
    if sine {
        let ys = polyMask ? y1 : y2
        return signSin ? -ys : ys
    } else {
        let yc = polyMask ? y2 : y1
        return signCos ? yc : -yc
    }
}

/// erf by the Abramowitz-Stegun 7.1.26 rational approximation that MLX's CPU kernel uses.
@inline(__always)
func mlxErf(_ v: Float) -> Float {
    let t = 1 / Float(1).addingProduct(0.3275911, Swift.abs(v))
    var r = Float(-1.453152027).addingProduct(1.061405429, t)
    r = Float(1.421413741).addingProduct(r, t)
    r = Float(-0.284496736).addingProduct(r, t)
    r = Float(0.254829592).addingProduct(r, t)
    let e = -mlxExp(-v * v)
    let result = Float(1).addingProduct(e * t, r)
    return v > 0 ? result : -result
}

/// erfinv by Giles' single precision approximation, as in MLX's CPU kernel.
@inline(__always)
func mlxErfInv(_ a: Float) -> Float {
    var t = Float(1).addingProduct(a, 0 - a)
    t = Foundation.log(t)
    var p: Float
    if Swift.abs(t) > 6.125 {
        p = 3.03697567e-10
        p = Float(2.93243101e-8).addingProduct(p, t)
        p = Float(1.22150334e-6).addingProduct(p, t)
        p = Float(2.84108955e-5).addingProduct(p, t)
        p = Float(3.93552968e-4).addingProduct(p, t)
        p = Float(3.02698812e-3).addingProduct(p, t)
        p = Float(4.83185798e-3).addingProduct(p, t)
        p = Float(-2.64646143e-1).addingProduct(p, t)
        p = Float(8.40016484e-1).addingProduct(p, t)
    } else {
        p = 5.43877832e-9
        p = Float(1.43285448e-7).addingProduct(p, t)
        p = Float(1.22774793e-6).addingProduct(p, t)
        p = Float(1.12963626e-7).addingProduct(p, t)
        p = Float(-5.61530760e-5).addingProduct(p, t)
        p = Float(-1.47697632e-4).addingProduct(p, t)
        p = Float(2.31468678e-3).addingProduct(p, t)
        p = Float(1.15392581e-2).addingProduct(p, t)
        p = Float(-2.32015476e-1).addingProduct(p, t)
        p = Float(8.86226892e-1).addingProduct(p, t)
    }
    return a * p
}

/// Float → integer conversion with the results x86 C++ casts give (truncation; NaN and
/// out-of-range values become the "integer indefinite" value) instead of trapping.
@inline(__always)
func floatToInt(_ x: Double, dtype: DType) -> Int64 {
    switch dtype {
    case .uint64:
        if x.isFinite, x >= 0, x < 18_446_744_073_709_551_616 {
            return Int64(bitPattern: UInt64(x.rounded(.towardZero)))
        }
        guard x.isFinite, x > -9_223_372_036_854_775_808 else { return Int64.min }
        return Int64(x.rounded(.towardZero))
    case .int64, .uint32:
        guard x.isFinite, x >= -9_223_372_036_854_775_808, x < 9_223_372_036_854_775_808 else {
            return Int64.min
        }
        return wrapInteger(Int64(x.rounded(.towardZero)), to: dtype)
    case .bool:
        return x != 0 ? 1 : 0
    default:
        guard x.isFinite, x > -2_147_483_649, x < 2_147_483_648 else {
            return wrapInteger(Int64(Int32.min), to: dtype)
        }
        return wrapInteger(Int64(x.rounded(.towardZero)), to: dtype)
    }
}

/// Reduce an integer to the range of `dtype` by two's complement wrap-around (uint64 keeps its
/// bit pattern in the Int64).
@inline(__always)
func wrapInteger(_ v: Int64, to dtype: DType) -> Int64 {
    switch dtype {
    case .bool: v != 0 ? 1 : 0
    case .int8: Int64(Int8(truncatingIfNeeded: v))
    case .int16: Int64(Int16(truncatingIfNeeded: v))
    case .int32: Int64(Int32(truncatingIfNeeded: v))
    case .uint8: Int64(UInt8(truncatingIfNeeded: v))
    case .uint16: Int64(UInt16(truncatingIfNeeded: v))
    case .uint32: Int64(UInt32(truncatingIfNeeded: v))
    default: v
    }
}

/// The numeric value of a stored integer as Double (uint64 is stored by bit pattern).
@inline(__always)
func intToDouble(_ v: Int64, _ dtype: DType) -> Double {
    dtype == .uint64 ? Double(UInt64(bitPattern: v)) : Double(v)
}

@inline(__always)
func intToFloat(_ v: Int64, _ dtype: DType) -> Float {
    dtype == .uint64 ? Float(UInt64(bitPattern: v)) : Float(v)
}
