// The MLXLMCommon reference's caches and masks, replayed against traces recorded from mlx-lm's caches
// (which mlx-swift-lm ports), and the one place mlx-swift-lm's masks differ from mlx-lm's.
import Foundation
import MLX
import MLXLMCommon
import XCTest

enum Fixtures {
    /// The repository root: three levels above swift/Tests/MLXLMCommonTests.
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(relative))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

final class CacheTests: XCTestCase {
    func assertMask(
        _ mask: MLXFast.ScaledDotProductAttentionMaskMode, equals recorded: [String: Any], _ context: String
    ) {
        switch (mask, recorded["kind"] as! String) {
        case (.none, "none"), (.causal, "causal"):
            return
        case (.array(let array), "array"):
            XCTAssertEqual(array.shape, recorded["shape"] as! [Int], context)
            XCTAssertEqual(array.asArray(Bool.self), recorded["values"] as! [Bool], context)
        case (_, let kind):
            XCTFail("\(context): mask \(mask) where mlx-lm has \(kind)")
        }
    }

    /// Every step of every recorded scenario: offsets, what `update` returns, and the masks, except a
    /// window on a growing cache (see `testGrowingCacheIgnoresAWindowItsQueriesFit`).
    func testCachesFollowMLXLMTraces() throws {
        let scenarios = try Fixtures.json("tests/fixtures/runtime/runtime.json")["caches"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(scenarios.count, 4)
        for (number, scenario) in scenarios.enumerated() {
            let growing = scenario["cache"] as! String == "simple"
            let cache: KVCache =
                growing
                ? KVCacheSimple()
                : RotatingKVCache(maxSize: scenario["max_size"] as! Int, keep: scenario["keep"] as! Int)
            var position = 0
            for (stepNumber, step) in (scenario["trace"] as! [[String: Any]]).enumerated() {
                let context = "scenario \(number) step \(stepNumber)"
                let length = step["length"] as! Int
                XCTAssertEqual(cache.offset, step["offset_before"] as! Int, context)
                for (window, recorded) in step["masks"] as! [String: [String: Any]] {
                    if growing && window != "none" { continue }
                    let mask = cache.makeMask(
                        n: length, windowSize: window == "none" ? nil : Int(window), returnArray: false)
                    assertMask(mask, equals: recorded, "\(context) window \(window)")
                }
                let keys = MLXArray(Int32(position) ..< Int32(position + length)).asType(.float32)
                    .reshaped(1, 1, length, 1)
                let (k, v) = cache.update(keys: keys, values: -keys)
                XCTAssertEqual(k.asArray(Float.self), (step["keys"] as! [Double]).map { Float($0) }, context)
                XCTAssertEqual(v.asArray(Float.self), (step["values"] as! [Double]).map { Float($0) }, context)
                XCTAssertEqual(cache.offset, step["offset_after"] as! Int, context)
                position += length
            }
        }
    }

    /// mlx-swift-lm's base mask takes a window into account only when the queries outnumber it, where
    /// mlx-lm's growing cache always does: sliding layers need a rotating cache in mlx-swift-lm.
    func testGrowingCacheIgnoresAWindowItsQueriesFit() {
        let cache = KVCacheSimple()
        _ = cache.update(keys: MLXArray.zeros([1, 1, 6, 2]), values: MLXArray.zeros([1, 1, 6, 2]))
        guard case .causal = cache.makeMask(n: 3, windowSize: 4, returnArray: false) else {
            return XCTFail("a window of 4 over 3 queries gives the causal mask")
        }
        guard case .array(let mask) = cache.makeMask(n: 5, windowSize: 4, returnArray: false) else {
            return XCTFail("a window of 4 over 5 queries gives an array")
        }
        XCTAssertEqual(mask.shape, [5, 11])
    }

    func testMasksFollowMLXLM() throws {
        let manifest = try Fixtures.json("tests/fixtures/runtime/runtime.json")
        for (number, item) in (manifest["masks"] as! [[String: Any]]).enumerated() {
            let n = item["n"] as! Int
            let window = item["window"] as? Int
            let recorded = item["mask"] as! [String: Any]
            if item["attention_mask"] != nil {
                let h = MLXArray.zeros([1, n, 2])
                assertMask(createAttentionMask(h: h, cache: nil, windowSize: window), equals: recorded, "case \(number)")
            } else {
                let mask = createCausalMask(n: n, offset: item["offset"] as! Int, windowSize: window)
                assertMask(.array(mask), equals: recorded, "case \(number)")
            }
        }
    }

    /// Trimming, state and copies: a copy continues exactly as the original does.
    func testCopiesAndStateContinueLikeTheOriginal() {
        let caches: [KVCache] = [KVCacheSimple(), RotatingKVCache(maxSize: 4, keep: 1), ChunkedKVCache(chunkSize: 3)]
        for cache in caches {
            let first = MLXArray(Int32(0) ..< 5).asType(.float32).reshaped(1, 1, 5, 1)
            _ = cache.update(keys: first, values: -first)
            let twin = cache.copy()
            XCTAssertEqual(twin.offset, cache.offset, "\(cache)")
            XCTAssertEqual(twin.metaState, cache.metaState, "\(cache)")
            let next = MLXArray([Float(5)]).reshaped(1, 1, 1, 1)
            let (k1, _) = cache.update(keys: next, values: -next)
            let (k2, _) = twin.update(keys: next, values: -next)
            XCTAssertEqual(k1.asArray(Float.self), k2.asArray(Float.self), "\(cache)")
        }
        let growing = KVCacheSimple()
        _ = growing.update(keys: MLXArray.zeros([1, 1, 5, 2]), values: MLXArray.zeros([1, 1, 5, 2]))
        XCTAssertTrue(growing.isTrimmable)
        XCTAssertEqual(growing.trim(2), 2)
        XCTAssertEqual(growing.offset, 3)
        XCTAssertEqual(growing.state.map(\.shape), [[1, 1, 3, 2], [1, 1, 3, 2]])
        XCTAssertEqual(growing.trim(7), 3)
    }

    /// An arrays cache holds its slots as set, counts no positions, copies them deeply, and masks the
    /// padded positions of a batch only once it has been told the batch's lengths.
    func testArraysCacheHoldsItsSlotsAndMasksPadding() {
        let cache = MambaCache()
        XCTAssertNil(cache[0])
        XCTAssertTrue(cache.state.isEmpty)
        cache[1] = MLXArray([Float(1), 2])
        XCTAssertEqual(cache.state.map { $0.asArray(Float.self) }, [[1, 2]])
        XCTAssertEqual(cache.offset, 0)
        let twin = cache.copy() as! MambaCache
        cache[1] = MLXArray([Float(3)])
        XCTAssertEqual(twin[1]?.asArray(Float.self), [1, 2])
        XCTAssertNil(createSSMMask(h: MLXArray.zeros([2, 3, 1]), cache: cache))
        cache.prepare(lengths: [3, 1])
        XCTAssertEqual(createSSMMask(h: MLXArray.zeros([2, 3, 1]), cache: cache)?.asArray(Bool.self),
                       [true, true, true, true, false, false])
        cache.advance(1)
        XCTAssertEqual(cache.currentLengths?.asArray(Int.self), [2, 0])
        cache.finalize()
        XCTAssertNil(cache.makeMask(N: 3))
        let padded = ArraysCache(size: 1, leftPadding: [0, 2])
        XCTAssertEqual(padded.makeMask(N: 3)?.asArray(Bool.self), [true, true, true, false, false, true])
    }

    /// A chunked cache keeps everything until told to drop all but the last chunk. Trimming cuts the
    /// buffer it holds (grown in steps), so the step here makes the buffer exactly the six keys.
    func testChunkedCacheTrimsItsFrontWhenAsked() {
        let cache = ChunkedKVCache(chunkSize: 4)
        cache.step = 3
        let keys = MLXArray(Int32(0) ..< 6).asType(.float32).reshaped(1, 1, 6, 1)
        _ = cache.update(keys: keys, values: keys)
        cache.maybeTrimFront()
        XCTAssertEqual(cache.metaState, ["4", "2"])
        let next = MLXArray([Float(6)]).reshaped(1, 1, 1, 1)
        let (k, _) = cache.update(keys: next, values: next)
        XCTAssertEqual(k.asArray(Float.self), [2, 3, 4, 5, 6])
        XCTAssertEqual(cache.offset, 7)
    }
}
