// Op-level parity: every case in tests/fixtures/ops (computed by MLX itself with
// tools/make_op_fixtures.py) is replayed through the mlx-swift API and must match MLX.
//
// Environment: PARITY_ONLY=<substring> replays only the cases whose name contains it;
// PARITY_SKIP=<name>,<name> skips cases (e.g. one that traps, to see the rest);
// PARITY_VERBOSE=1 prints each case before it runs (so a trap names its case).

import Foundation
import MLX
import MLXNN
import XCTest

final class MLXParityTests: XCTestCase {

    /// Coverage cannot drop silently: an op the replay does not know fails here, by case.
    func testEveryManifestOpHasAReplay() throws {
        let manifest = try Fixtures.manifest()
        let known = ParityReplay.table()
        XCTAssertGreaterThan(manifest.cases.count, 0, "the manifest has no cases")
        for c in manifest.cases where known[c.op] == nil {
            XCTFail("case \(c.name): op '\(c.op)' has no replay in MLXParityTests/Replay.swift")
        }
        for c in manifest.cases where !["close", "partition", "sort"].contains(c.check) {
            XCTFail("case \(c.name): unknown check '\(c.check)'")
        }
    }

    /// Every tensor the manifest names is in ops.safetensors (loaded by loadArrays), and no other.
    func testFixtureTensorsMatchTheManifest() throws {
        let manifest = try Fixtures.manifest()
        let tensors = try Fixtures.tensors()
        var named = Set<String>()
        for c in manifest.cases {
            for name in Array(c.inputs.values) + c.outputs {
                named.insert(name)
                XCTAssertNotNil(tensors[name], "case \(c.name): tensor \(name) not loaded from ops.safetensors")
            }
        }
        let orphans = Set(tensors.keys).subtracting(named)
        XCTAssertTrue(orphans.isEmpty, "tensors no case uses: \(orphans.sorted().prefix(5))")
    }

    func testReplayMatchesMLX() throws {
        let manifest = try Fixtures.manifest()
        let tensors = try Fixtures.tensors()
        let table = ParityReplay.table()
        let env = ProcessInfo.processInfo.environment
        let only = env["PARITY_ONLY"].flatMap { $0.isEmpty ? nil : $0 }
        let skip = Set((env["PARITY_SKIP"] ?? "").split(separator: ",").map(String.init))
        let verbose = env["PARITY_VERBOSE"] == "1"

        var ran = 0
        var failed: [String] = []
        for c in manifest.cases {
            if let only, !c.name.contains(only) { continue }
            if skip.contains(c.name) { continue }
            guard let replay = table[c.op] else { continue }  // reported by testEveryManifestOpHasAReplay
            if verbose { print("parity: \(c.name)") }
            ran += 1
            if let problem = run(c, replay, tensors) {
                failed.append(c.name)
                let note = c.comment.map { " [\($0)]" } ?? ""
                XCTFail("case \(c.name) (op \(c.op), params \(JSONValue.object(c.params))): \(problem)\(note)")
            }
        }
        print("parity: \(ran) cases replayed against MLX \(manifest.mlx_version), \(failed.count) mismatched")
        if !failed.isEmpty { print("parity: mismatched cases: \(failed.joined(separator: " "))") }
    }

    /// nil when the case matches; otherwise what differs.
    private func run(_ c: ParityCase, _ replay: Replay, _ tensors: [String: MLXArray]) -> String? {
        var arrays: [String: MLXArray] = [:]
        for (role, name) in c.inputs {
            guard let a = tensors[name] else { return "input tensor \(name) missing" }
            arrays[role] = a
        }
        let outputs: [MLXArray]
        do {
            outputs = try replay(c.parameters, Inputs(arrays: arrays, caseName: c.name))
        } catch {
            return "replay failed: \(error)"
        }
        guard outputs.count == c.outputs.count else {
            return "\(outputs.count) outputs, expected \(c.outputs.count)"
        }
        for (i, (actual, name)) in zip(outputs, c.outputs).enumerated() {
            guard let expected = tensors[name] else { return "output tensor \(name) missing" }
            let label = c.outputs.count == 1 ? "output" : "output \(i)"
            eval(actual)
            if actual.dtype != expected.dtype {
                return "\(label): dtype \(actual.dtype), expected \(expected.dtype)"
            }
            if actual.shape != expected.shape {
                return "\(label): shape \(actual.shape), expected \(expected.shape)"
            }
            let want = elementValues(expected)
            let got = elementValues(actual)
            let problem: String?
            switch c.check {
            case "partition", "sort":
                guard let x = arrays["x"] else { return "contract check needs input x" }
                let p = c.parameters
                problem = contractMismatch(
                    check: c.check, x: elementValues(x), expected: want, actual: got, shape: expected.shape,
                    axis: (try? p.int("axis")) ?? -1, kth: try? p.int("kth"))
            default:
                problem = closeMismatch(expected: want, actual: got, shape: expected.shape, rtol: c.rtol, atol: c.atol)
            }
            if let problem { return "\(label): \(problem)" }
        }
        return nil
    }
}
