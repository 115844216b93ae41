// Evaluation and compilation entry points. Arrays are computed eagerly, so `eval` only validates
// what it is given and `compile` returns the function unchanged behind mlx-swift's signatures.
import Foundation

/// A type holding arrays that a compiled function reads or writes as implicit state.
public protocol Updatable {
    func innerState() -> [MLXArray]
}

/// A type holding arrays that `eval` should evaluate.
public protocol Evaluatable {
    func innerState() -> [MLXArray]
}

/// Wraps a value so a `@Sendable` closure may capture it; compile() needs this because the
/// functions it is given are not declared `@Sendable` but its results are.
struct UncheckedSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

public func eval(_ arrays: MLXArray...) {}

public func eval(_ arrays: some Collection<MLXArray>) {}

/// Accepts arrays, modules (anything `Evaluatable`), nested dictionaries of arrays, and arrays,
/// dictionaries and tuples of those; anything else traps, as it does in mlx-swift.
public func eval(_ values: Any...) {
    var arrays = [MLXArray]()
    for value in values { collectArrays(value, into: &arrays) }
}

public func eval(_ values: some Sequence<Any>) {
    var arrays = [MLXArray]()
    for value in values { collectArrays(value, into: &arrays) }
}

public func checkedEval(_ values: Any...) throws {
    var arrays = [MLXArray]()
    for value in values { collectArrays(value, into: &arrays) }
}

public func checkedEval(_ values: some Sequence<Any>) throws {
    var arrays = [MLXArray]()
    for value in values { collectArrays(value, into: &arrays) }
}

public func asyncEval(_ arrays: some Collection<MLXArray>) {}

public func asyncEval(_ values: Any...) {
    var arrays = [MLXArray]()
    for value in values { collectArrays(value, into: &arrays) }
}

public func asyncEval(_ values: some Sequence<Any>) {
    var arrays = [MLXArray]()
    for value in values { collectArrays(value, into: &arrays) }
}

private func collectArrays(_ item: Any, into arrays: inout [MLXArray]) {
    switch item {
    case let v as Evaluatable:
        arrays.append(contentsOf: v.innerState())
    case let v as NestedDictionary<String, MLXArray>:
        arrays.append(contentsOf: v.flattened().map { $0.1 })
    case let v as MLXArray:
        arrays.append(v)
    case let v as [MLXArray]:
        arrays.append(contentsOf: v)
    case let v as [Any]:
        for element in v { collectArrays(element, into: &arrays) }
    case let v as [AnyHashable: Any]:
        for element in v.values { collectArrays(element, into: &arrays) }
    case let v as (Any, Any):
        collectArrays(v.0, into: &arrays)
        collectArrays(v.1, into: &arrays)
    case let v as (Any, Any, Any):
        collectArrays(v.0, into: &arrays)
        collectArrays(v.1, into: &arrays)
        collectArrays(v.2, into: &arrays)
    case let v as (Any, Any, Any, Any):
        collectArrays(v.0, into: &arrays)
        collectArrays(v.1, into: &arrays)
        collectArrays(v.2, into: &arrays)
        collectArrays(v.3, into: &arrays)
    case let v as (Any, Any, Any, Any, Any):
        collectArrays(v.0, into: &arrays)
        collectArrays(v.1, into: &arrays)
        collectArrays(v.2, into: &arrays)
        collectArrays(v.3, into: &arrays)
        collectArrays(v.4, into: &arrays)
    case is String, is any BinaryInteger, is any BinaryFloatingPoint:
        break
    default:
        fatalError("Unable to extract MLXArray from \(item)")
    }
}

/// Globally enable or disable compilation (a no-op here: nothing is ever compiled).
public func compile(enable: Bool = true) {}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping ([MLXArray]) -> [MLXArray]
) -> @Sendable ([MLXArray]) -> [MLXArray] {
    let box = UncheckedSendableBox(f)
    return { box.value($0) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray) -> MLXArray
) -> @Sendable (MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0 in box.value(a0) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1 in box.value(a0, a1) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @Sendable @escaping (MLXArray, MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2 in box.value(a0, a1, a2) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0 in box.value(a0) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0 in box.value(a0) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0 in box.value(a0) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1 in box.value(a0, a1) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1 in box.value(a0, a1) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1 in box.value(a0, a1) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2 in box.value(a0, a1, a2) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2 in box.value(a0, a1, a2) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2 in box.value(a0, a1, a2) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3 in box.value(a0, a1, a2, a3) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3 in box.value(a0, a1, a2, a3) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3 in box.value(a0, a1, a2, a3) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3 in box.value(a0, a1, a2, a3) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4 in box.value(a0, a1, a2, a3, a4) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4 in box.value(a0, a1, a2, a3, a4) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4 in box.value(a0, a1, a2, a3, a4) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4 in box.value(a0, a1, a2, a3, a4) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5 in box.value(a0, a1, a2, a3, a4, a5) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5 in box.value(a0, a1, a2, a3, a4, a5) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5 in box.value(a0, a1, a2, a3, a4, a5) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5 in box.value(a0, a1, a2, a3, a4, a5) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6 in box.value(a0, a1, a2, a3, a4, a5, a6) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6 in box.value(a0, a1, a2, a3, a4, a5, a6) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6 in box.value(a0, a1, a2, a3, a4, a5, a6) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6 in box.value(a0, a1, a2, a3, a4, a5, a6) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> MLXArray {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6, a7 in box.value(a0, a1, a2, a3, a4, a5, a6, a7) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6, a7 in box.value(a0, a1, a2, a3, a4, a5, a6, a7) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6, a7 in box.value(a0, a1, a2, a3, a4, a5, a6, a7) }
}

public func compile(
    inputs: [any Updatable] = [], outputs: [any Updatable] = [], shapeless: Bool = false,
    _ f: @escaping (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray)
) -> @Sendable (MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray, MLXArray) -> (MLXArray, MLXArray, MLXArray, MLXArray) {
    let box = UncheckedSendableBox(f)
    return { a0, a1, a2, a3, a4, a5, a6, a7 in box.value(a0, a1, a2, a3, a4, a5, a6, a7) }
}

