// Small argument types shared by several ops.
import Foundation

/// One integer used for both sides, or an explicit pair (e.g. `(before, after)` padding).
public struct IntOrPair: ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, Sendable {
    public let values: (Int, Int)

    public var first: Int { values.0 }
    public var second: Int { values.1 }

    public init(integerLiteral value: Int) {
        self.values = (value, value)
    }

    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2, "IntOrPair needs exactly two values, got \(elements)")
        self.values = (elements[0], elements[1])
    }

    public init(_ values: some Collection<Int>) {
        precondition(values.count == 2, "IntOrPair needs exactly two values, got \(Array(values))")
        self.values = (values.first!, values[values.index(after: values.startIndex)])
    }

    public init(_ values: (Int, Int)) {
        self.values = values
    }

    public init(_ value: Int) {
        self.values = (value, value)
    }
}
