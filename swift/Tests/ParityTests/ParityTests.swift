// Numerical parity with both oracles: every generated model, loaded from its fixture directory through
// the runtime's real loading path, reproduces the logits mlx-lm or transformers recorded for the prefill
// and every decode step.
import Foundation
import MLX
import MLXLMCommon
import MLXNN
import XCTest

@testable import HF2SwiftModels
@testable import HF2SwiftRuntime

/// What the oracle recorded for one fixture (tools/make_fixtures.py, tools/make_hf_fixtures.py).
struct Expected {
    let tokens: MLXArray
    let prefillLogits: MLXArray
    let decodeTokens: MLXArray
    let decodeLogits: MLXArray
    /// For a half-precision fixture: the oracle's prefill with the same weights in float32.
    let float32PrefillLogits: MLXArray?
    /// For a half-precision transformers fixture: its decode steps in float32, fed the same tokens.
    let float32DecodeLogits: MLXArray?

    init(directory: URL) throws {
        let arrays = try loadArrays(url: directory.appendingPathComponent("expected.safetensors"))
        tokens = arrays["tokens"]!
        prefillLogits = arrays["prefill_logits"]!
        decodeTokens = arrays["decode_tokens"]!
        decodeLogits = arrays["decode_logits"]!
        float32PrefillLogits = arrays["float32_prefill_logits"]
        float32DecodeLogits = arrays["float32_decode_logits"]
    }
}

/// One recorded fixture: its reference (the oracle), its directory and what judging it needs.
struct FixtureInfo {
    /// `mlx-lm` or `transformers`: who computed the expected logits.
    let oracle: String
    let name: String
    let family: String
    let windows: [Int]
    let directory: URL
    /// The checkpoint's dtype; half-precision models are judged in units of their last place.
    var dtype = "float32"
    /// Weights (by name suffix) held at one value where both oracles compute alike; another fixture
    /// of the family must vary them.
    var heldConstant: [String] = []
    /// The fixture's own prompt length where it needs a longer one than the others (a recurrence
    /// computed in chunks of its oracle's own length).
    var prefill: Int?

    /// How reports and HF2SWIFT_PARITY_ONLY name the fixture: `oracle/name`.
    var id: String { "\(oracle)/\(name)" }

    /// The tolerance for logits the oracle computed as `reference`; `exact` is the oracle's float32
    /// run of the same rows, which half-precision transformers fixtures carry.
    func tolerance(_ reference: MLXArray, exact: MLXArray?) -> LogitTolerance {
        switch (dtype, oracle) {
        case ("float32", _), (_, "mlx-lm"): return consistency
        default:
            // torch and MLX round half-precision steps at other places (RMSNorm casts before its
            // weight in transformers, after it in MLX), so the two drift apart by as much as either
            // is from float32, and more over deep stacks: each row within four times its own
            // half-precision error (a modelling mistake is tens of times that).
            let vocabulary = reference.dim(-1)
            let error = abs(reference.asType(.float32) - exact!.asType(.float32)).reshaped(-1, vocabulary)
            return .rows(error.max(axis: -1).asArray(Float.self).map { 4 * $0 })
        }
    }

    /// How far two runs of the Swift model (or the Swift model and MLX) may be apart: 1e-4 in
    /// float32, four units in the last place in half precision.
    var consistency: LogitTolerance {
        switch dtype {
        case "bfloat16": .lastPlaces(4, mantissaBits: 7)
        case "float16": .lastPlaces(4, mantissaBits: 10)
        default: .absoluteAndRelative(1e-4, 1e-4)
        }
    }
}

/// How far a logit may be from the oracle's: in float32, 1e-4 plus 1e-4 of its size; in half
/// precision against MLX, a few units in the last place of the reference logit in that format;
/// against another half-precision implementation, a bound per row.
enum LogitTolerance {
    case absoluteAndRelative(Float, Float)
    case lastPlaces(Float, mantissaBits: Int)
    case rows([Float])

    func bound(_ reference: Float, row: Int) -> Float {
        switch self {
        case .absoluteAndRelative(let atol, let rtol): return atol + rtol * abs(reference)
        case .lastPlaces(let places, let mantissaBits):
            let exponent = max(reference.exponent, Float.leastNormalMagnitude.exponent)
            return places * Float(sign: .plus, exponent: exponent - mantissaBits, significand: 1)
        case .rows(let bounds): return bounds[row]
        }
    }
}

enum ParityFixtures {
    /// tests/fixtures of this checkout, or HF2SWIFT_FIXTURES_DIR (a scratch copy's).
    static let root =
        ProcessInfo.processInfo.environment["HF2SWIFT_FIXTURES_DIR"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/fixtures")

    /// Each oracle's fixture directory under `root`: mlx-lm's (tools/make_fixtures.py) and
    /// transformers' (tools/make_hf_fixtures.py, checkpoints as save_pretrained writes them).
    static let oracles = [("mlx-lm", "models"), ("transformers", "transformers")]

    /// Every fixture of both oracles, and the prompt length they share.
    static func all() throws -> (prefill: Int, fixtures: [FixtureInfo]) {
        var prefill: Int?
        var fixtures: [FixtureInfo] = []
        for (oracle, folder) in oracles {
            let directory = root.appendingPathComponent(folder)
            let data = try Data(contentsOf: directory.appendingPathComponent("fixtures.json"))
            let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            let length = object["prefill"] as! Int
            if let prefill, prefill != length {
                throw ConfigurationError.invalid(
                    key: "\(folder)/fixtures.json", reason: "prefill \(length) where the others use \(prefill)")
            }
            prefill = length
            fixtures += (object["fixtures"] as! [[String: Any]]).map {
                let name = $0["name"] as! String
                return FixtureInfo(
                    oracle: oracle, name: name, family: $0["family"] as! String, windows: $0["windows"] as! [Int],
                    directory: directory.appendingPathComponent(name), dtype: $0["dtype"] as? String ?? "float32",
                    heldConstant: $0["held_constant"] as? [String] ?? [], prefill: $0["prefill"] as? Int)
            }
        }
        return (prefill!, fixtures)
    }
}

/// Compares logits row by row within the tolerance, and requires the same argmax wherever the
/// reference's top two logits are further apart than twice the tolerance. Returns a description
/// of the first failure, naming the row, the worst index and the difference.
func compareLogits(
    _ actual: MLXArray, _ expected: MLXArray, tolerance: LogitTolerance = .absoluteAndRelative(1e-4, 1e-4)
) -> String? {
    let vocabulary = expected.dim(-1)
    let a = actual.asType(.float32).reshaped(-1, vocabulary).asArray(Float.self)
    let e = expected.asType(.float32).reshaped(-1, vocabulary).asArray(Float.self)
    guard a.count == e.count else { return "shape \(actual.shape) where the oracle has \(expected.shape)" }
    for row in 0 ..< e.count / vocabulary {
        var worst = (index: 0, excess: -Float.infinity, difference: Float(0))
        for i in 0 ..< vocabulary {
            let x = a[row * vocabulary + i]
            let y = e[row * vocabulary + i]
            let difference = abs(x - y)
            let excess = difference - tolerance.bound(y, row: row)
            if excess > worst.excess { worst = (i, excess, difference) }
        }
        if worst.excess > 0 || worst.difference.isNaN {
            return "row \(row): index \(worst.index) differs by \(worst.difference)"
                + " (swift \(a[row * vocabulary + worst.index]), oracle \(e[row * vocabulary + worst.index]))"
        }
        // The oracle's best and runner-up, in one pass (the first of equals first, as a stable sort ranks them).
        let start = row * vocabulary
        var (top, second) = (start, -1)
        for i in (start + 1) ..< (start + vocabulary) {
            if e[i] > e[top] {
                (top, second) = (i, top)
            } else if second < 0 || e[i] > e[second] {
                second = i
            }
        }
        if vocabulary > 1, e[top] - e[second] > 2 * tolerance.bound(e[top], row: row) {
            var best = start
            for i in start ..< (start + vocabulary) where a[i] > a[best] { best = i }
            if best != top { return "row \(row): argmax \(best - start), oracle \(top - start)" }
        }
    }
    return nil
}

/// Loads a fixture as an app loads a checkpoint: its model_type registered with mlx-swift-lm's
/// LLMTypeRegistry, the model built there and run through the `LanguageModel` protocol.
func loadThroughRegistry(_ directory: URL) async throws -> any LanguageModel {
    await ModelRegistry.registerModelTypes()
    return try await loadModel(directory: directory, factory: ModelRegistry.self)
}

final class ParityTests: XCTestCase {
    func testEveryFixtureMatchesItsOracleOnPrefillAndDecode() async throws {
        let (prefill, fixtures) = try ParityFixtures.all()
        XCTAssertGreaterThanOrEqual(fixtures.count, 8)
        // The mutation check names the fixtures whose generated code a mutant changed.
        let only = ProcessInfo.processInfo.environment["HF2SWIFT_PARITY_ONLY"].map {
            Set($0.split(separator: ",").map(String.init))
        }
        var report: [String: String] = [:]
        for fixture in fixtures where only.map({ $0.contains(fixture.id) || $0.contains(fixture.name) }) ?? true {
            // Each fixture is judged on its own, so one failure does not hide the others.
            let failure: String?
            do {
                failure = try await check(fixture, prefill: prefill)
            } catch {
                failure = "loading failed: \(error)"
            }
            report[fixture.id] = failure ?? "pass"
            if let failure {
                XCTFail("\(fixture.id) \(failure)")
            }
        }
        // The mutation check (tools/mutation_check.sh) reads which fixtures failed from here.
        if let path = ProcessInfo.processInfo.environment["HF2SWIFT_PARITY_REPORT"] {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    /// nil when the fixture's model reproduces its oracle's prefill and decode logits.
    func check(_ fixture: FixtureInfo, prefill: Int) async throws -> String? {
        let directory = fixture.directory
        let expected = try Expected(directory: directory)
        if expected.tokens.dim(1) != fixture.prefill ?? prefill {
            return "prompt of \(expected.tokens.dim(1)) tokens, the manifest says \(fixture.prefill ?? prefill)"
        }
        let model = try await loadThroughRegistry(directory)
        let cache = model.newCache(parameters: nil)
        let logits = model(expected.tokens, cache: cache)
        let prefillTolerance = fixture.tolerance(expected.prefillLogits, exact: expected.float32PrefillLogits)
        if let failure = compareLogits(logits, expected.prefillLogits, tolerance: prefillTolerance) {
            return "prefill: position \(failure)"
        }
        // Both oracles' references keep a recurrence's state in float32 under a half-precision
        // checkpoint. A short prompt's logits cannot tell a half-precision state within the
        // half-precision tolerance, so the state's dtype itself is checked: a recurrent layer's cache
        // holds its convolution's last inputs, then its state (beside attention's where a layer sums both).
        let recurrent = cache.compactMap { ($0 as? ArraysCache) ?? ($0 as? SummedMixersCache)?.recurrent }
        let states = recurrent.map(\.state).filter { $0.count == 2 }.map { $0[1] }
        if fixture.dtype != "float32", let state = states.first(where: { $0.dtype != .float32 }) {
            return "the recurrent state is kept in \(state.dtype), where the oracle keeps float32"
        }
        // A half-precision fixture proves half-precision arithmetic only if float32 would miss it.
        if let float32 = expected.float32PrefillLogits, logits.dtype == .float32
            || compareLogits(logits, float32) == nil
        {
            return "the \(fixture.dtype) model computes in \(logits.dtype) or agrees with float32 to 1e-4"
        }
        for (step, token) in expected.decodeTokens.asArray(Int32.self).enumerated() {
            let stepLogits = model(MLXArray([token], [1, 1]), cache: cache)
            let tolerance = fixture.tolerance(
                expected.decodeLogits[step], exact: expected.float32DecodeLogits?[step])
            if let failure = compareLogits(stepLogits, expected.decodeLogits[step], tolerance: tolerance) {
                return "decode step \(step): \(failure)"
            }
        }
        return nil
    }

    /// Prefill, prefill without a cache, and one token at a time must agree for every fixture:
    /// the cached path (and KV sharing, which must not depend on a cache) has no offset error. A model
    /// whose layers keep state other than keys and values (a convolution's last inputs) must also give
    /// a prompt fed in two chunks the logits it gives the prompt whole.
    func testPrefillEqualsTokenByTokenAndUncachedPrefill() async throws {
        let (_, fixtures) = try ParityFixtures.all()
        for fixture in fixtures {
            let directory = fixture.directory
            let model = try await loadThroughRegistry(directory)
            let stateful = model.newCache(parameters: nil).contains { $0 is ArraysCache }
            guard fixture.family == "gemma3n" || fixture.windows.isEmpty == false || stateful else { continue }
            let tokens = try Expected(directory: directory).tokens
            let cached = model(tokens, cache: model.newCache(parameters: nil))
            if stateful {
                let cache = model.newCache(parameters: nil)
                let split = tokens.dim(1) / 3
                let chunks = [model(tokens[0..., 0 ..< split], cache: cache),
                              model(tokens[0..., split...], cache: cache)]
                if let failure = compareLogits(concatenated(chunks, axis: 1), cached, tolerance: fixture.consistency) {
                    XCTFail("\(fixture.id) in two chunks: \(failure)")
                }
            }
            if let failure = compareLogits(model(tokens, cache: nil), cached, tolerance: fixture.consistency) {
                XCTFail("\(fixture.id) without a cache: \(failure)")
            }
            let cache = model.newCache(parameters: nil)
            let steps = (0 ..< tokens.dim(1)).map { model(tokens[0..., $0 ..< ($0 + 1)], cache: cache) }
            if let failure = compareLogits(concatenated(steps, axis: 1), cached, tolerance: fixture.consistency) {
                XCTFail("\(fixture.id) token by token: \(failure)")
            }
        }
    }

    /// A fixture proves nothing if a tensor is constant (a zero bias multiplies a path away) or
    /// if the prompt never reaches past a sliding window. A quantized layer's scales and biases are
    /// derived from its weights (a microscaled group may share one exponent), so they are exempt; a
    /// weight a fixture holds constant (where the oracles agree only so) must vary in another fixture
    /// of its family.
    func testFixturesCanFail() throws {
        let (prefill, fixtures) = try ParityFixtures.all()
        var held: [String: Set<String>] = [:]  // family -> suffixes some fixture holds constant
        var varied: [String: Set<String>] = [:]  // family -> suffixes some fixture varies
        for fixture in fixtures {
            let directory = fixture.directory
            for (key, value) in try loadWeights(directory: directory)
            where !key.hasSuffix(".scales") && !key.hasSuffix(".biases") {
                let values = value.asType(.float32)
                // A one-element tensor (a layer's scalar) cannot spread; 0 or 1 would hide its path.
                let spread =
                    value.size == 1
                    ? (values.item(Float.self) == 0 || values.item(Float.self) == 1 ? 0 : 1)
                    : (values.max() - values.min()).item(Float.self)
                let suffixes = fixtures.flatMap(\.heldConstant).filter { key.hasSuffix($0) }
                if spread > 0 { varied[fixture.family, default: []].formUnion(suffixes) }
                if let suffix = fixture.heldConstant.first(where: { key.hasSuffix($0) }) {
                    held[fixture.family, default: []].insert(suffix)
                    continue
                }
                XCTAssertGreaterThan(spread, 0, "\(fixture.id): \(key) is constant")
            }
            for window in fixture.windows {
                XCTAssertGreaterThan(prefill, window, "\(fixture.id): the prompt must outgrow the window")
            }
            let config = try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.appendingPathComponent("config.json"))) as! [String: Any]
            if let window = config["sliding_window"] as? Int {
                XCTAssertGreaterThan(prefill, window, fixture.id)
            }
        }
        for (family, suffixes) in held {
            for suffix in suffixes.subtracting(varied[family] ?? []) {
                XCTFail("\(family): every fixture holds \(suffix) constant; one must vary it")
            }
        }
    }

    /// No model lands unproven: every model_type the registry serves has a parity fixture.
    func testEveryServedModelTypeHasAFixture() throws {
        let (_, fixtures) = try ParityFixtures.all()
        var proven = Set<String>()
        for fixture in fixtures {
            let config = try JSONSerialization.jsonObject(
                with: Data(contentsOf: fixture.directory.appendingPathComponent("config.json")))
                as! [String: Any]
            proven.insert(config["model_type"] as! String)
        }
        for type in ModelRegistry.supportedModelTypes {
            XCTAssertTrue(proven.contains(type), "model_type \(type) has no parity fixture")
        }
    }

    /// Loading is strict: a fixture with one weight removed is refused, not half-loaded.
    func testAFixtureMissingAWeightIsRefused() async throws {
        let (_, fixtures) = try ParityFixtures.all()
        for fixture in fixtures.prefix(3) {
            let source = fixture.directory
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hf2swift-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            try FileManager.default.copyItem(
                at: source.appendingPathComponent("config.json"), to: scratch.appendingPathComponent("config.json"))
            var weights = try loadArrays(url: source.appendingPathComponent("model.safetensors"))
            let removed = weights.keys.sorted().first { $0.contains("layers.1.") }!
            weights.removeValue(forKey: removed)
            try save(arrays: weights, url: scratch.appendingPathComponent("model.safetensors"))
            do {
                _ = try await loadThroughRegistry(scratch)
                XCTFail("\(fixture.id) without \(removed) loaded")
            } catch {}
        }
    }
}
