// hf2swift-run: loads a checkpoint directory with the generated models, runs a prompt (and greedy
// decoding through the cache), and prints a JSON summary of the logits.
import Foundation
import HF2SwiftModels
import HF2SwiftRuntime
import MLX
import MLXLMCommon

/// The most greedy steps one run takes; past it a typo (an extra digit) would run for hours.
let maxDecodeSteps = 100_000

struct Arguments {
    var model: URL
    var tokens: [Int]
    var decode = 0
    var printLogits = false
    /// What an app's generation loop is given: `maxKVSize` and `kvBits`.
    var parameters = GenerateParameters()
}

/// The bit widths MLX's affine quantization takes.
let kvBitWidths = [2, 3, 4, 5, 6, 8]

/// One line on what is wrong with the arguments, then the usage.
func usage(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("hf2swift-run: \(problem)\n".utf8))
    usage()
}

func usage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: hf2swift-run --model DIR --tokens 1,2,3 [--decode N] [--logits]
                                [--max-kv-size N] [--kv-bits B]
              --model DIR        a directory with config.json and *.safetensors
              --tokens IDS       comma-separated prompt token ids
              --decode N         greedy decoding steps through the cache after the prompt (default 0,
                                 at most 100000)
              --logits           print every logit, not only the summary
              --max-kv-size N    bound the caches to N positions, as GenerateParameters.maxKVSize does
                                 (at least 5: the first 4 positions are always kept)
              --kv-bits B        quantize the caches after each step to B bits (2, 3, 4, 5, 6 or 8),
                                 as GenerateParameters.kvBits does

            """.utf8))
    exit(2)
}

func parseArguments() -> Arguments {
    var model: URL?
    var tokens: [Int]?
    var decode = 0
    var printLogits = false
    var parameters = GenerateParameters()
    var args = CommandLine.arguments.dropFirst()
    while let arg = args.popFirst() {
        switch arg {
        case "--model":
            guard let value = args.popFirst() else { usage("--model needs a directory") }
            model = URL(fileURLWithPath: value)
        case "--tokens":
            guard let value = args.popFirst() else { usage("--tokens needs comma-separated token ids") }
            let parts = value.split(separator: ",", omittingEmptySubsequences: false)
            let parsed = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if let bad = parsed.firstIndex(where: { $0 == nil }) {
                usage("--tokens: \"\(parts[bad])\" is not a token id")
            }
            guard !parsed.isEmpty else { usage("--tokens needs at least one token id") }
            tokens = parsed.map { $0! }
        case "--decode":
            guard let value = args.popFirst(), let n = Int(value), n >= 0, n <= maxDecodeSteps else {
                usage("--decode takes a number of steps from 0 to \(maxDecodeSteps)")
            }
            decode = n
        case "--logits":
            printLogits = true
        case "--max-kv-size":
            guard let value = args.popFirst(), let n = Int(value), n >= 5 else {
                usage("--max-kv-size takes a number of positions of at least 5")
            }
            parameters.maxKVSize = n
        case "--kv-bits":
            guard let value = args.popFirst(), let bits = Int(value), kvBitWidths.contains(bits) else {
                usage("--kv-bits takes 2, 3, 4, 5, 6 or 8")
            }
            parameters.kvBits = bits
        case "--help", "-h":
            usage()
        default:
            usage("unknown argument \(arg)")
        }
    }
    guard let model else { usage("--model is required") }
    guard let tokens else { usage("--tokens is required") }
    return Arguments(model: model, tokens: tokens, decode: decode, printLogits: printLogits, parameters: parameters)
}

/// Argmax per position of `[1, L, V]` logits.
func argmaxes(_ logits: MLXArray) -> [Int] {
    argMax(logits, axis: -1).asType(.int32).asArray(Int32.self).map { Int($0) }
}

/// Logits that are NaN or infinite are no result: name the first such position.
struct NonFiniteLogits: Error, CustomStringConvertible {
    let step: String
    var description: String {
        "the logits of \(step) are not finite (NaN or infinity): the checkpoint's weights or settings overflow"
    }
}

func requireFinite(_ logits: MLXArray, _ step: String) throws {
    if !logits.asType(.float32).asArray(Float.self).allSatisfy(\.isFinite) { throw NonFiniteLogits(step: step) }
}

/// Loads the checkpoint as an app does, through mlx-swift-lm's `LLMTypeRegistry`, and runs it through the
/// `LanguageModel` protocol: the prompt in one call, then greedy decoding a token at a time.
func run(_ arguments: Arguments) async throws {
    await ModelRegistry.registerModelTypes()
    let model = try await loadModel(directory: arguments.model, factory: ModelRegistry.self)
    if let sized = model as? VocabularySized {
        try validateTokens(arguments.tokens, vocabularySize: sized.vocabularySize)
    }
    if let table = model as? PositionTableSized {
        try validatePositions(arguments.tokens.count + arguments.decode, tableSize: table.positionTableSize)
    }
    // Caches as the generation loop makes them, quantized after each step when it would be.
    var cache = model.newCache(parameters: arguments.parameters)
    func quantizeCaches() {
        maybeQuantizeKVCache(
            cache: &cache, kvBits: arguments.parameters.kvBits, kvGroupSize: arguments.parameters.kvGroupSize,
            quantizedKVStart: arguments.parameters.quantizedKVStart)
    }
    let prompt = MLXArray(arguments.tokens.map { Int32($0) }, [1, arguments.tokens.count])
    let prefill = model(prompt, cache: cache)
    try requireFinite(prefill, "the prompt")
    quantizeCaches()
    var summary: [String: Any] = [
        "prefill_shape": prefill.shape,
        "prefill_argmax": argmaxes(prefill),
    ]
    if arguments.printLogits {
        summary["prefill_logits"] = prefill.asType(.float32).asArray(Float.self).map { Double($0) }
    }
    var generated: [Int] = []
    var stepLogits: [[Double]] = []
    var next = argmaxes(prefill).last!
    for _ in 0 ..< arguments.decode {
        generated.append(next)
        let logits = model(MLXArray([Int32(next)], [1, 1]), cache: cache)
        try requireFinite(logits, "decode step \(generated.count - 1)")
        quantizeCaches()
        if arguments.printLogits {
            stepLogits.append(logits.asType(.float32).asArray(Float.self).map { Double($0) })
        }
        next = argmaxes(logits).last!
    }
    summary["greedy"] = generated
    if arguments.printLogits {
        summary["step_logits"] = stepLogits
    }
    let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

do {
    try await run(parseArguments())
} catch {
    FileHandle.standardError.write(Data("hf2swift-run: \(error)\n".utf8))
    exit(1)
}
