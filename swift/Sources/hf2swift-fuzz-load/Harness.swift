// hf2swift-fuzz-load: arbitrary bytes as a checkpoint (a config.json and a model.safetensors) through
// the loader, which must load or refuse them, never trap. Built with -sanitize=fuzzer and
// -DHF2SWIFT_FUZZING by tools/fuzz_loader.sh it is a libFuzzer harness; built plainly it replays the
// inputs its arguments name (tests/fuzz/regressions/loader, replayed by `make swift-test`).
import Foundation
import HF2SwiftModels
import HF2SwiftRuntime
import MLX
import MLXLMCommon

/// Where each input's checkpoint is written; one directory per process, reused.
let scratch: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "hf2swift-fuzz-load-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// An input is a 2-byte little-endian length, that many bytes of config.json, then the bytes of
/// model.safetensors. A checkpoint that loads also runs one token, when token 0 is in its vocabulary.
func loadInput(_ bytes: [UInt8]) {
    guard bytes.count >= 2 else { return }
    let length = min(Int(bytes[0]) | Int(bytes[1]) << 8, bytes.count - 2)
    let config = Data(bytes[2 ..< 2 + length])
    let weights = Data(bytes[(2 + length)...])
    do {
        try config.write(to: scratch.appendingPathComponent("config.json"))
        try weights.write(to: scratch.appendingPathComponent("model.safetensors"))
    } catch {
        fatalError("the fuzz scratch directory is not writable: \(error)")
    }
    guard let model = try? loadModelSynchronously(directory: scratch, factory: ModelRegistry.self),
        let vocabulary = (model as? VocabularySized)?.vocabularySize,
        (try? validateTokens([0], vocabularySize: vocabulary)) != nil
    else { return }
    _ = model(MLXArray([Int32(0)], [1, 1]), cache: model.newCache(parameters: nil))
}

#if HF2SWIFT_FUZZING
    // SwiftPM links an executable's entry point under this name; libFuzzer's driver runs from it.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        loadInput(size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : [])
        return 0
    }

    @_cdecl("hf2swift_fuzz_load_main")
    public func fuzzMain(
        _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
    }
#else
    @main
    enum Replay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("hf2swift-fuzz-load: cannot read \(path)\n".utf8))
                    exit(2)
                }
                loadInput([UInt8](bytes))
                print("replayed \(path)")
            }
        }
    }
#endif
