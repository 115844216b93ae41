// Every generated model as an app's generation loop sees it: one fixture per model_type, built by
// mlx-swift-lm's LLMTypeRegistry and driven only through MLXLMCommon's and MLXLLM's protocol types, so
// each requirement reaches the generated implementation (an overload the protocol never calls, such as
// a `newCache` with another parameter type, would fail here).
import Foundation
import MLX
import MLXLLM
import MLXLMCommon
import XCTest

@testable import HF2SwiftModels
@testable import HF2SwiftRuntime

/// One float32 fixture per model_type the registry serves.
func fixturesByModelType() throws -> [(String, FixtureInfo)] {
    let (_, fixtures) = try ParityFixtures.all()
    var chosen: [String: FixtureInfo] = [:]
    for fixture in fixtures where fixture.dtype == "float32" {
        let config = try JSONSerialization.jsonObject(
            with: Data(contentsOf: fixture.directory.appendingPathComponent("config.json"))) as! [String: Any]
        let type = config["model_type"] as! String
        if chosen[type] == nil { chosen[type] = fixture }
    }
    return chosen.sorted { $0.key < $1.key }
}

final class AppProtocolTests: XCTestCase {

    func testEveryModelMeetsTheAppProtocols() async throws {
        let served = try fixturesByModelType()
        XCTAssertEqual(Set(served.map(\.0)), Set(ModelRegistry.supportedModelTypes))
        for (type, fixture) in served {
            let model: any LanguageModel = try await loadThroughRegistry(fixture.directory)
            let tokens = try Expected(directory: fixture.directory).tokens
            let n = tokens.dim(1)

            // newCache(parameters:): one cache per layer that keeps one; maxKVSize bounds the layers
            // that see every earlier token and leaves sliding windows and fixed-size states (a
            // convolution's last inputs) as they are.
            let plain = model.newCache(parameters: nil)
            let bounded = model.newCache(parameters: GenerateParameters(maxKVSize: 1000))
            XCTAssertFalse(plain.isEmpty, type)
            XCTAssertEqual(plain.count, bounded.count, type)
            for (p, b) in zip(plain, bounded) {
                let growing = p.maxSize == nil && !(p is ChunkLocalKVCache) && !(p is ArraysCache)
                XCTAssertEqual(b.maxSize, growing ? 1000 : p.maxSize, type)
            }

            // callAsFunction(_:cache:) and the LMInput.Text form the generation loop calls.
            let direct = model(tokens, cache: model.newCache(parameters: nil))
            let viaText = model(LMInput.Text(tokens: tokens), cache: model.newCache(parameters: nil), state: nil)
            XCTAssertNil(compareLogits(viaText.logits, direct, tolerance: fixture.consistency), type)

            // prepare(_:cache:windowSize:) prefills in steps and leaves the rest; running the rest
            // gives the last positions of a one-shot prefill.
            let cache = model.newCache(parameters: nil)
            let prepared = try model.prepare(LMInput(tokens: tokens[0]), cache: cache, windowSize: 3)
            guard case .tokens(let rest) = prepared else {
                XCTFail("\(type): prepare returns the tokens left to run")
                continue
            }
            let restLength = rest.tokens.dim(-1)
            XCTAssertLessThanOrEqual(restLength, 3, type)
            let last = model(rest.tokens.reshaped(1, restLength), cache: cache)
            XCTAssertNil(
                compareLogits(last, direct[0..., (n - restLength)..., 0...], tolerance: fixture.consistency),
                "\(type): prepare then the rest")

            // sanitize(weights:) through BaseLanguageModel: a rotary table is dropped.
            let sanitized = model.sanitize(
                weights: ["model.layers.0.self_attn.rotary_emb.inv_freq": MLXArray.zeros([2])], metadata: [:])
            XCTAssertNil(sanitized["model.layers.0.self_attn.rotary_emb.inv_freq"], type)

            // LLMModel and LoRAModel: the decoder layers take adapters on their linear layers.
            guard let llm = model as? any LLMModel else {
                XCTFail("\(type) is not an LLMModel")
                continue
            }
            XCTAssertFalse(llm.loraLayers.isEmpty, type)
            XCTAssertFalse(llm.loraDefaultKeys.isEmpty, type)
            XCTAssertTrue(llm.messageGenerator(tokenizer: NoTokenizer()) is DefaultMessageGenerator, type)
        }
    }

    /// An app's registry refuses a model type nothing registered; the loader names the supported ones.
    func testUnregisteredModelTypesAreRefusedByName() async throws {
        let registry = ModelTypeRegistry<LanguageModel>()
        let (_, fixtures) = try ParityFixtures.all()
        do {
            _ = try await loadModel(directory: fixtures[0].directory, factory: ModelRegistry.self, registry: registry)
            XCTFail("an empty registry built a model")
        } catch {
            XCTAssertTrue("\(error)".hasPrefix("model_type \""), "\(error)")
            XCTAssertTrue("\(error)".contains("is not supported; supported: "), "\(error)")
        }
        await ModelRegistry.registerModelTypes(in: registry)
        for type in ModelRegistry.supportedModelTypes {
            let known = await registry.contains(type)
            XCTAssertTrue(known, type)
        }
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

final class KVQuantizationTests: XCTestCase {
    /// mlx-swift-lm's `kvBits` path on every model: after the prompt, the generation loop quantizes the
    /// growing caches; the next step must run (layers that read their cache keep full precision) and
    /// stay close to the unquantized step. Tiny fixtures with 16-wide heads have nothing to quantize.
    func testModelsDecodeAfterTheirCachesAreQuantized() async throws {
        var quantizedTypes: [String] = []
        for (type, fixture) in try fixturesByModelType() {
            let model = try await loadThroughRegistry(fixture.directory)
            let tokens = try Expected(directory: fixture.directory).tokens
            let next = MLXArray([Int32(1)], [1, 1])
            let plain = model.newCache(parameters: nil)
            _ = model(tokens, cache: plain)
            let exact = model(next, cache: plain)
            var cache = model.newCache(parameters: nil)
            _ = model(tokens, cache: cache)
            maybeQuantizeKVCache(cache: &cache, kvBits: 8, kvGroupSize: 32)
            let approximate = model(next, cache: cache)
            XCTAssertEqual(approximate.shape, exact.shape, type)
            if cache.contains(where: { $0 is QuantizedKVCache }) {
                quantizedTypes.append(type)
                let spread = abs(exact).max().item(Float.self)
                XCTAssertLessThan(abs(approximate - exact).max().item(Float.self), 0.05 * spread + 1e-3, type)
            }
        }
        XCTAssertFalse(quantizedTypes.isEmpty, "no fixture had caches to quantize")
    }
}

/// Every fixture loaded the way mlx-swift-lm's `LLMModelFactory` loads a checkpoint: config.json's
/// `BaseConfiguration`, the model from `LLMTypeRegistry`, then `loadWeights` (sanitize, quantize the
/// modules with `.scales`, strict update); its logits must be the oracle's. One fixture cannot load
/// that way, and is refused rather than computed wrongly: a wrapper checkpoint whose quantization
/// object names a layer by its wrapped path (`language_model.model.layers.1.mlp.down_proj`: 8 bits),
/// which that loader looks up by the model's own path, so the layer gets the default bits and the
/// update finds its scales the wrong size.
final class AppLoaderTests: XCTestCase {
    func testEveryFixtureLoadsThroughTheAppLoader() async throws {
        await ModelRegistry.registerModelTypes()
        let (_, fixtures) = try ParityFixtures.all()
        var failures: [String] = []
        let checkpoints = FileManager.default.temporaryDirectory.appendingPathComponent("hf2swift-app-\(UUID())")
        defer { try? FileManager.default.removeItem(at: checkpoints) }
        for fixture in fixtures {
            // The checkpoint alone: the loader reads every safetensors file of its directory, and a
            // fixture keeps its expected logits in one beside the weights.
            let directory = checkpoints.appendingPathComponent(fixture.id)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
            where file != "expected.safetensors" {
                try FileManager.default.createSymbolicLink(
                    at: directory.appendingPathComponent(file),
                    withDestinationURL: fixture.directory.appendingPathComponent(file))
            }
            let configuration = try Data(contentsOf: directory.appendingPathComponent("config.json"))
            let base = try JSONDecoder().decode(BaseConfiguration.self, from: configuration)
            let model = try await LLMTypeRegistry.shared.createModel(
                configuration: configuration, modelType: base.modelType)
            do {
                try loadWeights(modelDirectory: directory, model: model, perLayerQuantization: base.perLayerQuantization)
            } catch {
                failures.append("\(fixture.id): \(error)")
                continue
            }
            let expected = try Expected(directory: fixture.directory)
            let logits = model(expected.tokens, cache: model.newCache(parameters: nil))
            let tolerance = fixture.tolerance(expected.prefillLogits, exact: expected.float32PrefillLogits)
            if let failure = compareLogits(logits, expected.prefillLogits, tolerance: tolerance) {
                failures.append("\(fixture.id): prefill \(failure)")
            }
        }
        XCTAssertEqual(failures.count, 1, "\(failures)")
        XCTAssertTrue(failures.first?.hasPrefix("mlx-lm/gemma3_wrapper_q4: mismatchedSize") ?? false, "\(failures)")
    }
}
