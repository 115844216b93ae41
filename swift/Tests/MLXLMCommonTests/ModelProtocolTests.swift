// The MLXLMCommon/MLXLLM reference's model protocols: the defaults an LLMModel gets, reached through the
// protocol types, and the registry an app adds model types to.
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import MLXNN
import XCTest

/// A model of one layer that records how it is called: logits are the token ids, cast.
private final class CountingModel: Module, LLMModel, KVCacheDimensionProvider {
    var calls: [[Int]] = []
    let kvHeads = [2, 2, 2]
    @ModuleInfo var layer: Linear

    override init() {
        _layer.wrappedValue = Linear(2, 2)
    }

    var loraLayers: [Module] { [layer] }

    func callAsFunction(_ inputs: MLXArray, cache: [KVCache]?) -> MLXArray {
        calls.append(inputs.shape)
        let n = inputs.dim(-1)
        for c in cache ?? [] {
            _ = c.update(keys: MLXArray.zeros([1, 1, n, 1]), values: MLXArray.zeros([1, 1, n, 1]))
        }
        return inputs.asType(.float32)
    }
}

private struct Config: Decodable {
    let width: Int
}

final class ModelProtocolTests: XCTestCase {
    func testNewCacheHonoursMaxKVSizeThroughTheProtocol() {
        let model: any LanguageModel = CountingModel()
        let plain = model.newCache(parameters: nil)
        XCTAssertEqual(plain.count, 3)
        XCTAssertTrue(plain.allSatisfy { $0 is KVCacheSimple })
        let bounded = model.newCache(parameters: GenerateParameters(maxKVSize: 16))
        XCTAssertTrue(bounded.allSatisfy { $0.maxSize == 16 })
        XCTAssertEqual(bounded.first?.metaState.first, "4", "keeps the first 4 positions")
    }

    func testPrepareRunsThePromptInStepsAndLeavesTheRest() throws {
        let counting = CountingModel()
        let model: any LanguageModel = counting
        let cache = model.newCache(parameters: nil)
        let result = try model.prepare(
            LMInput(tokens: MLXArray(Int32(0) ..< 10)), cache: cache, windowSize: 4)
        XCTAssertEqual(counting.calls, [[1, 4], [1, 4]])
        guard case .tokens(let rest) = result else { return XCTFail("prepare returns the unrun tokens") }
        XCTAssertEqual(rest.tokens.asArray(Int32.self), [8, 9])
        XCTAssertEqual(cache[0].offset, 8)
    }

    func testLoRADefaultKeysNameTheLinearLayers() {
        let model: any LLMModel = CountingModel()
        XCTAssertEqual(model.loraLayers.count, 1)
        XCTAssertEqual(model.loraDefaultKeys, [""])
        XCTAssertTrue(model.messageGenerator(tokenizer: NoTokenizer()) is DefaultMessageGenerator)
    }

    func testRegistryBuildsWhatWasRegistered() async throws {
        let registry = ModelTypeRegistry<LanguageModel>()
        await registry.registerModelType("counting") { data in
            _ = try JSONDecoder().decode(Config.self, from: data)
            return CountingModel()
        }
        let known = await registry.contains("counting")
        XCTAssertTrue(known)
        let model = try await registry.createModel(configuration: Data(#"{"width": 2}"#.utf8), modelType: "counting")
        XCTAssertTrue(model is CountingModel)
        do {
            _ = try await registry.createModel(configuration: Data("{}".utf8), modelType: "other")
            XCTFail("an unknown model type is refused")
        } catch ModelFactoryError.unsupportedModelType(let type) {
            XCTAssertEqual(type, "other")
        }
        let shared = await LLMTypeRegistry.shared.contains("counting")
        XCTAssertFalse(shared, "the shared registry holds only what was registered with it")
    }
}

private struct NoTokenizer: Tokenizer {
    func encode(text: String, addSpecialTokens: Bool) -> [Int] { [] }
    func decode(tokenIds: [Int], skipSpecialTokens: Bool) -> String { "" }
    func convertTokenToId(_ token: String) -> Int? { nil }
    func convertIdToToken(_ id: Int) -> String? { nil }
    var bosToken: String? { nil }
    var eosToken: String? { nil }
    var unknownToken: String? { nil }
    func applyChatTemplate(
        messages: [[String: any Sendable]], tools: [[String: any Sendable]]?,
        additionalContext: [String: any Sendable]?
    ) throws -> [Int] { [] }
}
