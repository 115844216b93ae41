// hf2swift-run: loads a checkpoint directory with the generated models, runs a prompt (and greedy
// decoding through the cache), and prints a JSON summary of the logits.
import Foundation
import HF2SwiftModels
import HF2SwiftRuntime
import MLX

struct Arguments {
    var model: URL
    var tokens: [Int32]
    var decode = 0
    var printLogits = false
}

func usage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: hf2swift-run --model DIR --tokens 1,2,3 [--decode N] [--logits]
              --model DIR    a directory with config.json and *.safetensors
              --tokens IDS   comma-separated prompt token ids
              --decode N     greedy decoding steps through the cache after the prompt (default 0)
              --logits       print every logit, not only the summary

            """.utf8))
    exit(2)
}

func parseArguments() -> Arguments {
    var model: URL?
    var tokens: [Int32]?
    var decode = 0
    var printLogits = false
    var args = CommandLine.arguments.dropFirst()
    while let arg = args.popFirst() {
        switch arg {
        case "--model":
            guard let value = args.popFirst() else { usage() }
            model = URL(fileURLWithPath: value)
        case "--tokens":
            guard let value = args.popFirst() else { usage() }
            let parsed = value.split(separator: ",").map { Int32($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { usage() }
            tokens = parsed.map { $0! }
        case "--decode":
            guard let value = args.popFirst(), let n = Int(value), n >= 0 else { usage() }
            decode = n
        case "--logits":
            printLogits = true
        case "--help", "-h":
            usage()
        default:
            FileHandle.standardError.write(Data("hf2swift-run: unknown argument \(arg)\n".utf8))
            usage()
        }
    }
    guard let model, let tokens else { usage() }
    return Arguments(model: model, tokens: tokens, decode: decode, printLogits: printLogits)
}

/// Argmax per position of `[1, L, V]` logits.
func argmaxes(_ logits: MLXArray) -> [Int] {
    argMax(logits, axis: -1).asType(.int32).asArray(Int32.self).map { Int($0) }
}

func run(_ arguments: Arguments) throws {
    let model = try loadModel(directory: arguments.model, factory: ModelRegistry.self)
    let cache = model.newCache()
    let prompt = MLXArray(arguments.tokens, [1, arguments.tokens.count])
    let prefill = model(prompt, cache: cache)
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
    try run(parseArguments())
} catch {
    FileHandle.standardError.write(Data("hf2swift-run: \(error)\n".utf8))
    exit(1)
}
