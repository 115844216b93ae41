// Small argument types shared by several ops.
import Foundation

/// One integer used for both sides, or an explicit pair (e.g. `(before, after)` padding).
///
/// The API spec names only the type (as Sendable), so its initializers are internal and it has no
/// literal conformances here; mlx-swift also makes it ExpressibleByIntegerLiteral/ArrayLiteral.
public struct IntOrPair: Sendable {
    let values: (Int, Int)

    var first: Int { values.0 }
    var second: Int { values.1 }

    init(_ values: some Collection<Int>) {
        precondition(values.count == 2, "IntOrPair needs exactly two values, got \(Array(values))")
        self.values = (values.first!, values[values.index(after: values.startIndex)])
    }

    init(_ values: (Int, Int)) {
        self.values = values
    }

    init(_ value: Int) {
        self.values = (value, value)
    }
}
