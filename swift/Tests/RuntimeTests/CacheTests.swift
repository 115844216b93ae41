// KV caches and attention masks replayed against traces recorded from mlx-lm.
import Foundation
import MLX
import XCTest

@testable import HF2SwiftRuntime

final class CacheTests: XCTestCase {
    /// Compares a mask the runtime built with one mlx-lm recorded.
    func assertMask(
        _ mask: MLXFast.ScaledDotProductAttentionMaskMode, equals recorded: [String: Any], _ context: String
    ) {
        let kind = recorded["kind"] as! String
        switch (mask, kind) {
        case (.none, "none"), (.causal, "causal"):
            return
        case (.array(let array), "array"):
            let shape = recorded["shape"] as! [Int]
            let values = recorded["values"] as! [Bool]
            XCTAssertEqual(array.shape, shape, context)
            XCTAssertEqual(array.asArray(Bool.self), values, context)
        default:
            XCTFail("\(context): mask \(mask) where mlx-lm has \(kind)")
        }
    }

    func testCachesFollowMLXLMTraces() throws {
        let manifest = try Fixtures.json("tests/fixtures/runtime/runtime.json")
        let scenarios = manifest["caches"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(scenarios.count, 4)
        for (number, scenario) in scenarios.enumerated() {
            let cache: KVCache =
                scenario["cache"] as! String == "simple"
                ? KVCacheSimple()
                : RotatingKVCache(maxSize: scenario["max_size"] as! Int, keep: scenario["keep"] as! Int)
            var position = 0
            for (stepNumber, step) in (scenario["trace"] as! [[String: Any]]).enumerated() {
                let context = "scenario \(number) step \(stepNumber)"
                let length = step["length"] as! Int
                XCTAssertEqual(cache.offset, step["offset_before"] as! Int, context)
                for (window, recorded) in step["masks"] as! [String: [String: Any]] {
                    let mask = cache.makeMask(queryLength: length, windowSize: window == "none" ? nil : Int(window))
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

    func testLayerCachesFollowTheSchedule() {
        let caches = makeLayerCaches(
            layerTypes: [.slidingAttention, .fullAttention, .slidingAttention], slidingWindow: 8)
        XCTAssertTrue(caches[0] is RotatingKVCache)
        XCTAssertTrue(caches[1] is KVCacheSimple)
        XCTAssertEqual((caches[2] as? RotatingKVCache)?.maxSize, 8)
    }

    func testMasksPerLayerComeFromTheFirstCacheOfEachKind() {
        let caches = makeLayerCaches(layerTypes: [.fullAttention, .slidingAttention], slidingWindow: 2)
        let h = MLXArray.zeros([1, 4, 3])
        let masks = createAttentionMasks(
            h: h, cache: caches, layerTypes: [.fullAttention, .slidingAttention], slidingWindow: 2)
        if case .causal = masks[0] {} else { XCTFail("full layer: \(masks[0])") }
        guard case .array(let sliding) = masks[1] else { return XCTFail("sliding layer: \(masks[1])") }
        XCTAssertEqual(sliding.shape, [4, 4])
        // Query 3 sees keys 2 and 3 only.
        XCTAssertEqual(sliding[3].asArray(Bool.self), [false, false, true, true])
    }
}
