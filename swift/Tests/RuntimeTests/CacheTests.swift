// The caches each layer gets and the masks each layer sees; MLXLMCommon's caches themselves are
// replayed against mlx-lm in MLXLMCommonTests.
import Foundation
import MLX
import MLXLMCommon
import XCTest

@testable import HF2SwiftRuntime

final class CacheTests: XCTestCase {
    /// A layer of summed mixers restores its arrays to the right part whichever it is given first,
    /// its arrays or its meta state (a prompt cache's loader may set either first).
    func testSummedMixersCacheRestoresInEitherOrder() {
        let cache = SummedMixersCache(attention: KVCacheSimple())
        _ = cache.update(keys: MLXArray.ones([1, 2, 3, 4]), values: MLXArray.ones([1, 2, 3, 4]) * 2)
        cache.recurrent.state = [MLXArray.ones([1, 3, 8]) * 3, MLXArray.ones([1, 2, 4, 5]) * 4]
        for stateFirst in [true, false] {
            let twin = SummedMixersCache(attention: KVCacheSimple())
            if stateFirst {
                twin.state = cache.state
                twin.metaState = cache.metaState
            } else {
                twin.metaState = cache.metaState
                twin.state = cache.state
            }
            XCTAssertEqual(twin.attention.state.map(\.shape), [[1, 2, 3, 4], [1, 2, 3, 4]], "\(stateFirst)")
            XCTAssertEqual(twin.recurrent.state.map(\.shape), [[1, 3, 8], [1, 2, 4, 5]], "\(stateFirst)")
            XCTAssertEqual(twin.offset, 3, "\(stateFirst)")
        }
    }

    func testLayerCachesFollowTheSchedule() {
        let caches = makeLayerCaches(
            layerTypes: [.slidingAttention, .fullAttention, .slidingAttention, .chunkedAttention], slidingWindow: 8,
            chunkSize: 4, parameters: nil)
        XCTAssertTrue(caches[0] is RotatingKVCache)
        XCTAssertTrue(caches[1] is KVCacheSimple)
        XCTAssertEqual((caches[2] as? RotatingKVCache)?.maxSize, 8)
        XCTAssertEqual((caches[3] as? ChunkLocalKVCache)?.chunkSize, 4)
    }

    /// `maxKVSize` bounds the layers that attend to every earlier token (keeping the first 4
    /// positions, as mlx-lm's prompt cache does); a sliding layer keeps its window.
    func testMaxKVSizeBoundsFullAttentionLayers() {
        let parameters = GenerateParameters(maxKVSize: 64)
        let caches = makeLayerCaches(
            layerTypes: [.slidingAttention, .fullAttention], slidingWindow: 8, parameters: parameters)
        XCTAssertEqual(caches.map(\.maxSize), [8, 64])
        XCTAssertEqual(caches[1].metaState.first, "4")
        let uniform = makeLayerCaches(count: 3, parameters: parameters)
        XCTAssertEqual(uniform.map(\.maxSize), [64, 64, 64])
        XCTAssertTrue(makeLayerCaches(count: 2, parameters: nil).allSatisfy { $0 is KVCacheSimple })
    }

    /// Layers that read their cache directly get caches mlx-swift-lm's KV quantization leaves alone
    /// (it converts every `KVCacheSimple`), which grow exactly as `KVCacheSimple` does.
    func testFullPrecisionCachesGrowLikeKVCacheSimpleWithoutBeingOne() {
        let caches = makeLayerCaches(
            layerTypes: [.fullAttention, .slidingAttention], slidingWindow: 4, parameters: nil, fullPrecision: true)
        XCTAssertFalse(caches.contains { $0 is KVCacheSimple })
        XCTAssertTrue(makeLayerCaches(count: 2, parameters: nil, fullPrecision: true).allSatisfy { $0 is FullPrecisionKVCache })
        let (plain, kept) = (KVCacheSimple(), FullPrecisionKVCache())
        for (start, length) in [(0, 5), (5, 1), (6, 3)] {
            let keys = MLXArray(Int32(start) ..< Int32(start + length)).asType(.float32).reshaped(1, 1, length, 1)
            let (a, _) = plain.update(keys: keys, values: keys)
            let (b, _) = kept.update(keys: keys, values: keys)
            XCTAssertEqual(a.asArray(Float.self), b.asArray(Float.self))
            XCTAssertEqual(plain.offset, kept.offset)
        }
        XCTAssertEqual(kept.copy().state.map(\.shape), kept.state.map(\.shape))
    }

    /// The chunk cache drops earlier chunks once the next token starts a new one, and its masks keep
    /// each query within its chunk.
    func testChunkCacheKeepsTheCurrentChunk() {
        let cache = ChunkLocalKVCache(chunkSize: 4)
        let keys = MLXArray(Int32(0) ..< 6).asType(.float32).reshaped(1, 1, 6, 1)
        guard case .array(let mask) = cache.makeMask(n: 6, windowSize: nil, returnArray: false) else {
            return XCTFail("six queries over chunks of 4 need an array mask")
        }
        XCTAssertEqual(mask[5].asArray(Bool.self), [false, false, false, false, true, true])
        let (seen, _) = cache.update(keys: keys, values: keys)
        XCTAssertEqual(seen.dim(2), 6)
        XCTAssertEqual(cache.start, 4)
        let next = MLXArray([Float(6)]).reshaped(1, 1, 1, 1)
        let (k, _) = cache.update(keys: next, values: next)
        XCTAssertEqual(k.asArray(Float.self), [4, 5, 6])
        let twin = cache.copy()
        XCTAssertEqual(twin.metaState, cache.metaState)
    }

    func testMasksPerLayerComeFromTheFirstCacheOfEachKind() {
        let caches = makeLayerCaches(layerTypes: [.fullAttention, .slidingAttention], slidingWindow: 2, parameters: nil)
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
