// Nested containers (values, arrays, string-keyed dictionaries) used for module parameters and
// children, with dotted-key flattening and unflattening.
import Foundation

public protocol IndentedDescription: CustomStringConvertible {
    func description(indent: Int) -> String
}

extension IndentedDescription {
    public var description: String {
        description(indent: 0)
    }
}

func indentedDescription(_ value: Any, _ indent: Int) -> String {
    if let value = value as? IndentedDescription {
        return value.description(indent: indent)
    }
    return String(describing: value)
}

/// Dictionary entries in canonical (sorted key) order.
private func sortedEntries<K, V>(_ dictionary: [K: V]) -> [(key: K, value: V)] {
    dictionary.sorted { String(describing: $0.key) < String(describing: $1.key) }
}

public indirect enum NestedItem<Key: Hashable, Element>: IndentedDescription {
    case none
    case value(Element)
    case array([NestedItem<Key, Element>])
    case dictionary([Key: NestedItem<Key, Element>])

    public var description: String {
        description(indent: 0)
    }

    /// The structure as plain Swift values (`nil`, element, `[Any?]`, `[Key: Any?]`).
    func unwrap() -> Any? {
        switch self {
        case .none: nil
        case .value(let element): element
        case .array(let array): array.map { $0.unwrap() }
        case .dictionary(let dictionary): dictionary.mapValues { $0.unwrap() }
        }
    }

    func mapValues<Result>(_ transform: (Element) throws -> Result) rethrows
        -> NestedItem<Key, Result>
    {
        switch self {
        case .none: return .none
        case .value(let element): return .value(try transform(element))
        case .array(let array): return .array(try array.map { try $0.mapValues(transform) })
        case .dictionary(let dictionary):
            return .dictionary(try dictionary.mapValues { try $0.mapValues(transform) })
        }
    }

    /// Map each value together with its dotted path.
    func mapValues<Result>(
        prefix: String? = nil, _ transform: (String, Element) throws -> Result
    ) rethrows -> NestedItem<Key, Result> {
        func path(_ component: String) -> String {
            prefix.map { "\($0).\(component)" } ?? component
        }
        switch self {
        case .none: return .none
        case .value(let element): return .value(try transform(prefix ?? "", element))
        case .array(let array):
            return .array(
                try array.enumerated().map { try $1.mapValues(prefix: path(String($0)), transform) })
        case .dictionary(let dictionary):
            var result = [Key: NestedItem<Key, Result>]()
            for (key, value) in sortedEntries(dictionary) {
                result[key] = try value.mapValues(prefix: path(String(describing: key)), transform)
            }
            return .dictionary(result)
        }
    }

    /// Map values, dropping those that map to nil and containers left empty.
    func compactMapValues<Result>(_ transform: (Element) throws -> Result?) rethrows
        -> NestedItem<Key, Result>
    {
        switch self {
        case .none:
            return .none
        case .value(let element):
            return try transform(element).map { .value($0) } ?? .none
        case .array(let array):
            let kept = try array.map { try $0.compactMapValues(transform) }.filter {
                if case .none = $0 { false } else { true }
            }
            return kept.isEmpty ? .none : .array(kept)
        case .dictionary(let dictionary):
            var kept = [Key: NestedItem<Key, Result>]()
            for (key, value) in dictionary {
                let mapped = try value.compactMapValues(transform)
                if case .none = mapped { continue }
                kept[key] = mapped
            }
            return kept.isEmpty ? .none : .dictionary(kept)
        }
    }

    func reduce<R>(_ initialValue: R, _ reducer: (R, Element) throws -> R) rethrows -> R {
        switch self {
        case .none: return initialValue
        case .value(let element): return try reducer(initialValue, element)
        case .array(let array):
            return try array.reduce(initialValue) { try $1.reduce($0, reducer) }
        case .dictionary(let dictionary):
            return try dictionary.values.reduce(initialValue) { try $1.reduce($0, reducer) }
        }
    }

    /// `(dotted.path, value)` pairs: dictionary keys sorted, array positions as "0", "1", ...
    public func flattened(prefix: String? = nil) -> [(String, Element)] {
        func path(_ component: String) -> String {
            prefix.map { "\($0).\(component)" } ?? component
        }
        switch self {
        case .none:
            return []
        case .value(let element):
            return [(prefix ?? "", element)]
        case .array(let array):
            return array.enumerated().flatMap { $1.flattened(prefix: path(String($0))) }
        case .dictionary(let dictionary):
            return sortedEntries(dictionary).flatMap {
                $0.value.flattened(prefix: path(String(describing: $0.key)))
            }
        }
    }

    /// Rebuild a structure from dotted keys. At each level, a first key component that parses
    /// as an integer makes an array (sized by the largest index, gaps `.none`); otherwise a
    /// dictionary.
    public static func unflattened(_ tree: some Collection<(Key, Element)>) -> NestedItem<Key, Element>
    where Key == String {
        if tree.isEmpty {
            return .dictionary([:])
        }
        return unflattenLevel(Array(tree))
    }

    private static func unflattenLevel(_ tree: [(String, Element)]) -> NestedItem<String, Element> {
        if tree.count == 1, tree[0].0.isEmpty {
            return .value(tree[0].1)
        }
        var groups = [String: [(String, Element)]]()
        for (key, value) in tree {
            if let dot = key.firstIndex(of: ".") {
                groups[String(key[..<dot]), default: []].append(
                    (String(key[key.index(after: dot)...]), value))
            } else {
                groups[key, default: []].append(("", value))
            }
        }
        let firstComponent = tree[0].0.prefix { $0 != "." }
        if Int(firstComponent) != nil {
            let indexed = groups.map { (Int($0.key)!, $0.value) }
            let count = (indexed.map { $0.0 }.max() ?? -1) + 1
            var result = [NestedItem<String, Element>](repeating: .none, count: count)
            for (index, children) in indexed {
                result[index] = unflattenLevel(children)
            }
            return .array(result)
        }
        return .dictionary(groups.mapValues { unflattenLevel($0) })
    }

    /// The values in `flattened()` order.
    func flattenedValues() -> [Element] {
        switch self {
        case .none: return []
        case .value(let element): return [element]
        case .array(let array): return array.flatMap { $0.flattenedValues() }
        case .dictionary(let dictionary):
            return sortedEntries(dictionary).flatMap { $0.value.flattenedValues() }
        }
    }

    /// The same structure with values taken in order from `values` (as `flattenedValues()`).
    func replacingValues<Values: Collection<Element>>(with values: Values, index: Values.Index)
        -> (Values.Index, NestedItem<Key, Element>)
    {
        switch self {
        case .none:
            return (index, .none)
        case .value:
            return (values.index(after: index), .value(values[index]))
        case .array(let array):
            var result = [NestedItem<Key, Element>]()
            var index = index
            for element in array {
                let (next, replaced) = element.replacingValues(with: values, index: index)
                result.append(replaced)
                index = next
            }
            return (index, .array(result))
        case .dictionary(let dictionary):
            var result = [Key: NestedItem<Key, Element>]()
            var index = index
            for (key, element) in sortedEntries(dictionary) {
                let (next, replaced) = element.replacingValues(with: values, index: index)
                result[key] = replaced
                index = next
            }
            return (index, .dictionary(result))
        }
    }

    public func description(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .none:
            return "none"
        case .value(let element):
            return indentedDescription(element, indent + 2)
        case .array(let array):
            let items = array.map { indentedDescription($0, indent + 2) }
            return "[\n\(pad)  " + items.joined(separator: ",\n\(pad)  ") + "\n\(pad)]"
        case .dictionary(let dictionary):
            let items = sortedEntries(dictionary).map {
                "\($0.key): \(indentedDescription($0.value, indent + 2))"
            }
            return "[\n\(pad)  " + items.joined(separator: ",\n\(pad)  ") + "\n\(pad)]"
        }
    }
}

extension NestedItem: Equatable where Element: Equatable {}
extension NestedItem: Sendable where Element: Sendable, Key: Sendable {}

/// A dictionary whose values are ``NestedItem``s: the shape of module parameters and children.
public struct NestedDictionary<Key: Hashable, Element>: CustomStringConvertible {
    var contents = [Key: NestedItem<Key, Element>]()

    public init() {}

    public init(values: [Key: NestedItem<Key, Element>]) {
        contents = values
    }

    public init(item: NestedItem<Key, Element>) {
        guard case .dictionary(let values) = item else {
            fatalError("cannot initialize from non .dictionary item: \(item)")
        }
        contents = values
    }

    public subscript(key: Key) -> NestedItem<Key, Element>? {
        get { contents[key] }
        set { contents[key] = newValue }
    }

    /// The element stored directly (as `.value`) under `key`.
    public subscript(unwrapping key: Key) -> Element? {
        get {
            if case .value(let v)? = contents[key] { return v }
            return nil
        }
        set {
            contents[key] = newValue.map { .value($0) }
        }
    }

    public var keys: Dictionary<Key, NestedItem<Key, Element>>.Keys { contents.keys }
    public var values: Dictionary<Key, NestedItem<Key, Element>>.Values { contents.values }
    public var isEmpty: Bool { contents.isEmpty }
    public var count: Int { contents.count }

    public func asItem() -> NestedItem<Key, Element> {
        .dictionary(contents)
    }

    func asDictionary() -> [Key: Any?] {
        contents.mapValues { $0.unwrap() }
    }

    public var description: String {
        asItem().description
    }

    public func mapValues<Result>(transform: (Element) throws -> Result) rethrows
        -> NestedDictionary<Key, Result>
    {
        NestedDictionary<Key, Result>(values: try contents.mapValues { try $0.mapValues(transform) })
    }

    public func mapValues<Result>(transform: (String, Element) throws -> Result) rethrows
        -> NestedDictionary<Key, Result>
    {
        guard case .dictionary(let values) = try asItem().mapValues(transform) else {
            fatalError("internal error: mapValues lost the dictionary")
        }
        return NestedDictionary<Key, Result>(values: values)
    }

    func compactMapValues<Result>(transform: (Element) throws -> Result?) rethrows
        -> NestedDictionary<Key, Result>
    {
        switch try asItem().compactMapValues(transform) {
        case .dictionary(let values): return NestedDictionary<Key, Result>(values: values)
        default: return NestedDictionary<Key, Result>()
        }
    }

    func reduce<R>(_ initialValue: R, _ reducer: (R, Element) throws -> R) rethrows -> R {
        try asItem().reduce(initialValue, reducer)
    }

    public func flattened(prefix: String? = nil) -> [(String, Element)] {
        asItem().flattened(prefix: prefix)
    }

    static public func unflattened(_ flat: some Collection<(String, Element)>) -> Self
    where Key == String {
        guard case .dictionary(let values) = NestedItem<String, Element>.unflattened(flat) else {
            fatalError("unflattened keys must start with a name, not an index: \(flat.map { $0.0 })")
        }
        return NestedDictionary(values: values)
    }

    static public func unflattened(_ flat: [String: Element]) -> Self where Key == String {
        unflattened(flat.map { ($0.key, $0.value) })
    }

    public func flattenedValues() -> [Element] {
        asItem().flattenedValues()
    }

    public func replacingValues(with values: some Collection<Element>) -> Self {
        guard case (_, .dictionary(let replaced)) = asItem().replacingValues(
            with: values, index: values.startIndex)
        else {
            fatalError("internal error: replacingValues lost the dictionary")
        }
        return NestedDictionary(values: replaced)
    }
}

extension NestedDictionary: Equatable where Element: Equatable {}
extension NestedDictionary: Sendable where Element: Sendable, Key: Sendable {}

extension NestedDictionary: Collection {
    public typealias Index = Dictionary<Key, NestedItem<Key, Element>>.Index

    public var startIndex: Index { contents.startIndex }
    public var endIndex: Index { contents.endIndex }

    public subscript(position: Index) -> Dictionary<Key, NestedItem<Key, Element>>.Element {
        contents[position]
    }

    public func index(after i: Index) -> Index {
        contents.index(after: i)
    }
}
