// The reference's quantized KV cache: what it holds dequantizes to what went in, attention over it
// matches attention over the full-precision keys and values, and maybeQuantizeKVCache converts the
// caches mlx-swift-lm's generation loop converts.
import Foundation
import MLX
import MLXLMCommon
import XCTest

final class QuantizedCacheTests: XCTestCase {
    /// Deterministic values in [-1, 1).
    func values(_ shape: [Int], seed: Int) -> MLXArray {
        let count = shape.reduce(1, *)
        let v = (0 ..< count).map { i in Float(((i * 7919 + seed * 104_729) % 2001) - 1000) / 1000 }
        return MLXArray(v, shape)
    }

    func testQuantizedCacheHoldsWhatWentInWithinItsStep() {
        let cache = QuantizedKVCache(groupSize: 32, bits: 8)
        var all: [MLXArray] = []
        for (step, length) in [5, 1, 1, 3].enumerated() {
            let keys = values([1, 2, length, 32], seed: step)
            _ = cache.updateQuantized(keys: keys, values: keys)
            all.append(keys)
        }
        XCTAssertEqual(cache.offset, 10)
        let plain = cache.toUnquantized()
        XCTAssertEqual(plain.offset, 10)
        let held = plain.state[0]
        let expected = concatenated(all, axis: 2)
        XCTAssertEqual(held.shape, expected.shape)
        // 8 bits over a group's range of at most 2: within one step of 2/255 (MLX's affine scheme keeps
        // zero exact, which can cost up to a whole step at a group's ends).
        XCTAssertLessThan(abs(held - expected).max().item(Float.self), 2.0 / 255)
    }

    func testAttentionOverAQuantizedCacheMatchesFullPrecision() {
        let (plain, quantized) = (KVCacheSimple(), QuantizedKVCache(groupSize: 32, bits: 8))
        let keys = values([1, 2, 6, 32], seed: 3)
        let vals = values([1, 2, 6, 32], seed: 4)
        _ = plain.update(keys: keys, values: vals)
        _ = quantized.updateQuantized(keys: keys, values: vals)
        let query = values([1, 4, 1, 32], seed: 5)
        let next = values([1, 2, 1, 32], seed: 6)
        let exact = attentionWithCacheUpdate(queries: query, keys: next, values: next, cache: plain, scale: 0.2)
        let approximate = attentionWithCacheUpdate(
            queries: query, keys: next, values: next, cache: quantized, scale: 0.2)
        XCTAssertEqual(approximate.shape, [1, 4, 1, 32])
        XCTAssertLessThan(abs(approximate - exact).max().item(Float.self), 0.01)
        XCTAssertEqual(quantized.offset, 7)
    }

    func testMaybeQuantizeConvertsGrowingCachesOnceOnePassesTheStart() {
        func growing(_ tokens: Int, width: Int = 32) -> KVCacheSimple {
            let cache = KVCacheSimple()
            if tokens > 0 {
                _ = cache.update(keys: values([1, 1, tokens, width], seed: 1), values: values([1, 1, tokens, width], seed: 2))
            }
            return cache
        }
        var caches: [KVCache] = [growing(3), growing(0), RotatingKVCache(maxSize: 8), growing(3, width: 16)]
        maybeQuantizeKVCache(cache: &caches, kvBits: 8, kvGroupSize: 32, quantizedKVStart: 5)
        XCTAssertTrue(caches[0] is KVCacheSimple, "no cache is past the start yet")
        maybeQuantizeKVCache(cache: &caches, kvBits: 8, kvGroupSize: 32, quantizedKVStart: 2)
        XCTAssertTrue(caches[0] is QuantizedKVCache)
        XCTAssertTrue(caches[1] is QuantizedKVCache, "an empty growing cache converts with the others")
        XCTAssertTrue(caches[2] is RotatingKVCache)
        XCTAssertTrue(caches[3] is KVCacheSimple, "head size 16 allows no group size")
        XCTAssertEqual((caches[0] as? QuantizedKVCache)?.bits, 8)
        XCTAssertEqual(caches[0].offset, 3)
        var untouched: [KVCache] = [growing(3)]
        maybeQuantizeKVCache(cache: &untouched, kvBits: nil)
        XCTAssertTrue(untouched[0] is KVCacheSimple)
        XCTAssertEqual(resolveAffineScheme("affine4")?.bits, 4)
    }
}
