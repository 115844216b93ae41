// The RoPE scaling variants against mlx-lm's initialize_rope, and their configuration checks.
import Foundation
import MLX
import XCTest

@testable import HF2SwiftRuntime

final class RoPETests: XCTestCase {
    func testEveryVariantMatchesMLXLM() throws {
        let manifest = try Fixtures.json("tests/fixtures/runtime/runtime.json")
        let tensors = try loadArrays(url: Fixtures.url("tests/fixtures/runtime/runtime.safetensors"))
        let cases = manifest["rope"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 8)
        for item in cases {
            let name = item["name"] as! String
            var scaling: RoPEScaling?
            if let object = item["scaling"] as? [String: Any] {
                scaling = try JSONDecoder().decode(
                    RoPEScaling.self, from: JSONSerialization.data(withJSONObject: object))
                try RoPEScaling.validate(scaling, key: "rope_scaling", supported: [.linear, .llama3, .yarn, .longrope])
            }
            let rope = initializeRoPE(
                dimensions: item["dims"] as! Int, base: Float(item["base"] as! Double),
                traditional: item["traditional"] as! Bool, scaling: scaling,
                maxPositionEmbeddings: item["max_position_embeddings"] as? Int)
            let x = tensors[item["input"] as! String]!
            for (offset, output) in item["outputs"] as! [String: String] {
                let actual = rope(x, offset: Int(offset)!)
                let expected = tensors[output]!
                XCTAssertEqual(actual.shape, expected.shape, name)
                let difference = maxAbsDifference(actual, expected)
                XCTAssertLessThan(difference, 2e-5, "\(name) at offset \(offset)")
            }
        }
    }

    func testUnsupportedScalingIsRefusedByName() throws {
        let dynamic = try JSONDecoder().decode(
            RoPEScaling.self, from: Data(#"{"rope_type": "dynamic", "factor": 2.0}"#.utf8))
        XCTAssertThrowsError(
            try RoPEScaling.validate(dynamic, key: "rope_scaling", supported: [.linear, .llama3, .yarn, .longrope])
        ) { error in
            XCTAssertEqual(
                "\(error)",
                #"rope_scaling.rope_type: "dynamic" is not supported (supported: linear, llama3, yarn, longrope)"#)
        }
        let missingFactor = try JSONDecoder().decode(RoPEScaling.self, from: Data(#"{"type": "linear"}"#.utf8))
        XCTAssertThrowsError(try RoPEScaling.validate(missingFactor, key: "rope_scaling", supported: [.linear])) {
            XCTAssertEqual("\($0)", #"rope_scaling.factor: required by rope_type "linear""#)
        }
        let plain = try JSONDecoder().decode(RoPEScaling.self, from: Data(#"{"rope_type": "default"}"#.utf8))
        XCTAssertNoThrow(try RoPEScaling.validate(plain, key: "rope_scaling", supported: []))
        XCTAssertNoThrow(try RoPEScaling.validate(nil, key: "rope_scaling", supported: []))
    }

    func testLongropeFactorsMustMatchTheRotatedWidth() throws {
        let longrope = try JSONDecoder().decode(
            RoPEScaling.self,
            from: Data(
                (#"{"type": "longrope", "long_factor": [1, 2, 3], "short_factor": [1, 1, 1],"#
                    + #" "original_max_position_embeddings": 16}"#).utf8))
        XCTAssertNoThrow(
            try RoPEScaling.validate(longrope, key: "rope_scaling", supported: [.longrope], rotaryDimensions: 6))
        XCTAssertThrowsError(
            try RoPEScaling.validate(longrope, key: "rope_scaling", supported: [.longrope], rotaryDimensions: 8)
        ) {
            XCTAssertEqual(
                "\($0)", "rope_scaling.long_factor: has 3 entries; the 8 rotated dimensions need 4")
        }
    }

    func testRoPEParametersCarryThetaAndScaling() throws {
        let llama3 = try JSONDecoder().decode(
            RoPEParameters.self,
            from: Data(#"{"rope_type": "llama3", "rope_theta": 500000, "factor": 32.0}"#.utf8))
        XCTAssertEqual(llama3.ropeTheta, 500_000)
        XCTAssertEqual(llama3.scaling?.kind, .llama3)
        XCTAssertEqual(llama3.scaling?.factor, 32)
        let plain = try JSONDecoder().decode(
            RoPEParameters.self, from: Data(#"{"rope_type": "default", "rope_theta": 10000}"#.utf8))
        XCTAssertNil(plain.scaling)
    }
}
