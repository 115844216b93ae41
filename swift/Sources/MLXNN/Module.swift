// Module: reflection-based discovery of parameters and child modules, and the update rules that
// load weights into (or swap layers of) a model.
import Foundation
import MLX

public typealias ModuleParameters = NestedDictionary<String, MLXArray>
public typealias ModuleChildren = NestedDictionary<String, Module>
public typealias ModuleItems = NestedDictionary<String, ModuleValue>
public typealias ModuleItem = NestedItem<String, ModuleValue>

private func describeType(_ value: Any) -> String {
    String(describing: type(of: value))
}

/// The base class of layers and models. Stored properties are discovered with `Mirror`:
/// arrays are parameters, modules are children, arrays/tuples/dictionaries of those are
/// containers, and `@ModuleInfo` / `@ParameterInfo` wrappers supply alternative keys. Keys
/// starting with `_` are not parameters.
open class Module {
    public private(set) var training = true

    private var _noGrad = Set<String>()
    private var _items: ModuleItems?
    private var _setters: [String: ModuleInfoSetter]?

    public init() {}

    /// Walk the stored properties of this object's classes, most derived first, stopping at
    /// `Module` (whose own bookkeeping properties are not items).
    private func buildCaches() {
        var items = ModuleItems()
        var setters = [String: ModuleInfoSetter]()
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror, m.subjectType != Module.self {
            for child in m.children {
                if let (key, item) = ModuleValue.fromMirror(child) {
                    items[key] = item
                    if let info = child.value as? ModuleInfoAccess {
                        setters[key] = info.setter()
                    }
                }
            }
            mirror = m.superclassMirror
        }
        _items = items
        _setters = setters
    }

    /// Every stored item by key (cached after the first call; rebuilt by `update(modules:)`).
    open func items() -> ModuleItems {
        if _items == nil { buildCaches() }
        return _items!
    }

    /// Extra text for `description`: the non-parameter, non-module properties.
    open func describeExtra(_ indent: Int) -> String {
        let other = filterMap(filter: Self.filterOther, map: Self.mapOther())
        let pairs = other.sorted { $0.key < $1.key }
        if pairs.isEmpty { return "" }
        return "(" + pairs.map { "\($0.key)=\(String(describing: $0.value))" }.joined(separator: ", ") + ")"
    }

    /// Select items with `filter` (applied at every level), convert leaves (as decided by
    /// `isLeaf`) with `map`, and recurse into child modules and containers.
    open func filterMap<Result>(
        filter: (Module, String, ModuleItem) -> Bool,
        map: (ModuleItem) -> Result? = { $0 },
        isLeaf: (Module, String, ModuleItem) -> Bool = Module.isLeafDefault
    ) -> NestedDictionary<String, Result> {
        func unwrap(_ path: String, _ item: ModuleItem) -> NestedItem<String, Result> {
            if isLeaf(self, path, item) {
                return map(item).map { .value($0) } ?? .none
            }
            switch item {
            case .none:
                return .none
            case .value(.module(let module)):
                return module.filterMap(filter: filter, map: map, isLeaf: isLeaf).asItem()
            case .value:
                return .none
            case .dictionary(let dictionary):
                var result = [String: NestedItem<String, Result>]()
                var allNone = true
                for (k, v) in dictionary {
                    let childPath = "\(path).\(k)"
                    if filter(self, childPath, v) {
                        result[k] = unwrap(childPath, v)
                        allNone = false
                    } else {
                        result[k] = NestedItem<String, Result>.none
                    }
                }
                return allNone ? .none : .dictionary(result)
            case .array(let array):
                var result = [NestedItem<String, Result>]()
                var allNone = true
                for (i, v) in array.enumerated() {
                    let childPath = "\(path).\(i)"
                    if filter(self, childPath, v) {
                        result.append(unwrap(childPath, v))
                        allNone = false
                    } else {
                        result.append(.none)
                    }
                }
                return allNone ? .none : .array(result)
            }
        }

        var result = NestedDictionary<String, Result>()
        for (key, item) in items() where filter(self, key, item) {
            let value = unwrap(key, item)
            if case .none = value { continue }
            result[key] = value
        }
        return result
    }

    open func mapParameters<Result>(
        map: @escaping (MLXArray) -> Result? = { $0 },
        isLeaf: (Module, String, ModuleItem) -> Bool = Module.isLeafDefault
    ) -> NestedDictionary<String, Result> {
        filterMap(filter: Self.filterValidParameters, map: Self.mapParameters(map: map), isLeaf: isLeaf)
    }

    /// All parameters (arrays under keys not starting with `_`), nested like the module tree.
    open func parameters() -> ModuleParameters {
        filterMap(filter: Self.filterValidParameters, map: Self.mapParameters())
    }

    /// Parameters that are not frozen.
    open func trainableParameters() -> ModuleParameters {
        filterMap(filter: Self.filterTrainableParameters, map: Self.mapParameters())
    }

    /// Direct child modules (including those inside arrays and dictionaries).
    open func children() -> ModuleChildren {
        filterMap(filter: Self.filterValidChild, map: Self.mapModule(), isLeaf: Self.isLeafModule)
    }

    /// Descendant modules that have no children of their own.
    open func leafModules() -> ModuleChildren {
        filterMap(
            filter: Self.filterValidChild, map: Self.mapModule(), isLeaf: Self.isLeafModuleNoChildren)
    }

    /// Checks for ``update(parameters:verify:path:modulePath:)``.
    public struct VerifyUpdate: OptionSet, Sendable {
        public init(rawValue: Int) {
            self.rawValue = rawValue
        }

        public let rawValue: Int

        /// every supplied key must match an item
        static public let noUnusedKeys = VerifyUpdate(rawValue: 1 << 0)
        /// every parameter of the model must be supplied
        static public let allModelKeysSet = VerifyUpdate(rawValue: 1 << 1)
        /// supplied arrays must have the shape of the parameter they replace
        static public let shapeMismatch = VerifyUpdate(rawValue: 1 << 2)
        static public let all = VerifyUpdate(rawValue: -1)
        static public let none = VerifyUpdate([])
    }

    /// Replace parameters without checks; traps on structurally incompatible input.
    @discardableResult
    public func update(parameters: ModuleParameters) -> Self {
        try! update(parameters: parameters, verify: .none)
    }

    /// Replace parameter values in place (object identity is kept) from a nested dictionary that
    /// mirrors `parameters()`. dtypes are never checked; see ``VerifyUpdate`` for what is.
    @discardableResult
    open func update(
        parameters: ModuleParameters, verify: VerifyUpdate, path: [String] = [],
        modulePath: [String] = []
    ) throws -> Self {
        let modulePath = modulePath + [describeType(self)]

        func apply(_ key: String, _ path: [String], _ item: ModuleItem, _ value: NestedItem<String, MLXArray>) throws {
            if case .none = value, !verify.contains(.allModelKeysSet) {
                return
            }
            switch (item, value) {
            case (.value(.parameters(let current)), .value(let replacement)):
                if verify.contains(.shapeMismatch), current.shape != replacement.shape {
                    throw UpdateError.mismatchedSize(
                        path: path, modules: modulePath, expectedShape: current.shape,
                        actualShape: replacement.shape)
                }
                current._updateInternal(replacement)
            case (.value(.parameters), .none):
                if Self.parameterIsValid(key) {
                    try updateMissing(parameter: key, verify: verify, path: path, modulePath: modulePath)
                }
            case (.array(let items), .array(let values)):
                // extra supplied elements are ignored even with .noUnusedKeys
                for (i, (itemElement, valueElement)) in zip(items, values).enumerated() {
                    try apply("\(key).\(i)", path + ["\(i)"], itemElement, valueElement)
                }
                if verify.contains(.allModelKeysSet) {
                    for i in values.count ..< Swift.max(items.count, values.count) {
                        try apply("\(key).\(i)", path + ["\(i)"], items[i], .none)
                    }
                }
            case (.array(let items), .none):
                for (i, itemElement) in items.enumerated() {
                    try apply("\(key).\(i)", path + ["\(i)"], itemElement, .none)
                }
            case (.dictionary(let items), .dictionary(let values)):
                for (k, itemElement) in items {
                    if let valueElement = values[k] {
                        try apply("\(key).\(k)", path + [k], itemElement, valueElement)
                    } else if verify.contains(.allModelKeysSet) {
                        try apply("\(key).\(k)", path + [k], itemElement, .none)
                    }
                }
            case (.dictionary(let items), .none):
                for (k, itemElement) in items {
                    try apply("\(key).\(k)", path + [k], itemElement, .none)
                }
            case (.value(.module(let module)), .dictionary(let values)):
                try module.update(
                    parameters: NestedDictionary(values: values), verify: verify, path: path,
                    modulePath: modulePath)
            case (.value(.module(let module)), .none):
                try module.update(
                    parameters: NestedDictionary(), verify: verify, path: path, modulePath: modulePath)
            case (.none, .none), (.value(.none), .none), (.value(.other), .none):
                break
            default:
                throw UpdateError.incompatibleItems(
                    path: path, modules: modulePath, item: item.description,
                    value: String(describing: shapes(value)))
            }
        }

        var unused = Set(parameters.keys)
        for (key, item) in items() {
            if let value = parameters[key] {
                unused.remove(key)
                try apply(key, path + [key], item, value)
            } else if verify.contains(.allModelKeysSet) {
                try apply(key, path + [key], item, .none)
            }
        }
        if verify.contains(.noUnusedKeys) && !unused.isEmpty {
            throw UpdateError.unhandledKeys(path: path, modules: modulePath, keys: unused.sorted())
        }
        return self
    }

    /// Called for a parameter missing from an update that requires all keys; throws
    /// `keyNotFound` unless a subclass decides the parameter is optional.
    open func updateMissing(
        parameter: String, verify: VerifyUpdate, path: [String], modulePath: [String]
    ) throws {
        throw UpdateError.keyNotFound(path: path, modules: modulePath)
    }

    /// Replace every parameter selected by `filter` with `map(parameter)`.
    @discardableResult
    open func apply(
        filter: (Module, String, ModuleItem) -> Bool = Module.filterValidParameters,
        map: @escaping (MLXArray) -> MLXArray
    ) -> Self {
        update(parameters: filterMap(filter: filter, map: Self.mapParameters(map: map)))
    }

    /// Replace child modules without checks; traps when a target is not `@ModuleInfo`.
    @discardableResult
    public func update(modules: ModuleChildren) -> Self {
        try! update(modules: modules, verify: .none)
    }

    /// Replace child modules (e.g. `Linear` with `QuantizedLinear`). Only properties declared
    /// with `@ModuleInfo` can be replaced; others throw `needModuleInfo`.
    @discardableResult
    open func update(
        modules: ModuleChildren, verify: VerifyUpdate, path: [String] = [],
        modulePath: [String] = []
    ) throws -> Self {
        let modulePath = modulePath + [describeType(self)]

        func apply(_ key: String, _ path: [String], _ item: ModuleItem, _ value: NestedItem<String, Module>) throws {
            switch (item, value) {
            case (.value(.parameters), .value):
                throw UpdateError.settingArrayWithModule(path: path, modules: modulePath)
            case (.array(let items), .array(let values)):
                switch values.first {
                case .value:
                    // a new array of modules (gaps keep the current module)
                    var replacement = [Module]()
                    for (index, value) in values.enumerated() {
                        switch value {
                        case .value(let module):
                            replacement.append(module)
                        case .none:
                            guard index < items.count, case .value(.module(let current)) = items[index] else {
                                throw UpdateError.unableToCollectModulesFromContainer(path: path, modules: modulePath)
                            }
                            replacement.append(current)
                        default:
                            throw UpdateError.unableToCollectModulesFromContainer(path: path, modules: modulePath)
                        }
                    }
                    try updateModule(key: key, replacement)
                case .dictionary:
                    // descend into the existing modules
                    for (itemElement, valueElement) in zip(items, values) {
                        guard case .value(.module(let module)) = itemElement,
                            case .dictionary(let d) = valueElement
                        else {
                            throw UpdateError.mismatchedContainers(base: describeType(self), key: key)
                        }
                        try module.update(modules: NestedDictionary(values: d), verify: verify)
                    }
                default:
                    throw UpdateError.unexpectedStructure(key: key, item: String(describing: self))
                }
            case (.dictionary, .dictionary(let values)):
                var replacement = [String: Module]()
                for (k, v) in values {
                    guard case .value(let module) = v else {
                        throw UpdateError.unableToCollectModulesFromContainer(path: path, modules: modulePath)
                    }
                    replacement[k] = module
                }
                try updateModule(key: key, replacement)
            case (.value(.module), .value(let module)), (.none, .value(let module)):
                try updateModule(key: key, module)
            case (.value(.module), .none):
                try updateModule(key: key, Optional<Module>.none as Any)
            case (.value(.module(let module)), .dictionary(let values)):
                try module.update(modules: NestedDictionary(values: values), verify: verify)
            default:
                throw UpdateError.incompatibleItems(
                    path: path, modules: modulePath, item: item.description, value: value.description)
            }
        }

        var unused = Set(modules.keys)
        for (key, item) in items() {
            if let value = modules[key] {
                unused.remove(key)
                try apply(key, path + [key], item, value)
            }
        }
        if verify.contains(.noUnusedKeys) && !unused.isEmpty {
            throw UpdateError.unhandledKeys(path: path, modules: modulePath, keys: unused.sorted())
        }
        buildCaches()
        return self
    }

    /// Set the `@ModuleInfo` property stored under `key`.
    open func updateModule(key: String, _ value: Any) throws {
        if _setters == nil { buildCaches() }
        guard let setter = _setters?[key] else {
            throw UpdateError.needModuleInfo(
                "Unable to get @ModuleInfo for \(describeType(self)).\(key) -- must be wrapped to receive updates")
        }
        do {
            try setter(value)
        } catch {
            throw UpdateError.needModuleInfo(
                "Unable to set modules for \(describeType(self)).\(key) -- maybe type mismatch: \(describeType(value)), \(error)")
        }
    }

    /// Visit this module and all descendants (depth first), with their dotted paths.
    open func visit(modules visitor: (String, Module) throws -> Void) rethrows {
        var stack: [(String, Module)] = [("", self)]
        while let entry = stack.popLast() {
            let (prefix, module) = entry
            try visitor(prefix, module)
            stack.append(contentsOf: module.children().flattened(prefix: prefix.isEmpty ? nil : prefix))
        }
    }

    open func modules() -> [Module] {
        var result = [Module]()
        visit { result.append($1) }
        return result
    }

    open func namedModules() -> [(String, Module)] {
        var result = [(String, Module)]()
        visit { result.append(($0, $1)) }
        return result
    }

    private func freezeVisitor(
        keys: [String]?, strict: Bool, update: @escaping (Module, [String]) -> Void
    ) -> (String, Module) throws -> Void {
        { _, module in
            let local = module.filterMap(filter: Self.filterLocalParameters).flattened().map { $0.0 }
            if strict, let keys {
                let known = Set(local)
                for key in keys where !known.contains(key) {
                    throw UpdateError.keyNotFound(path: [key], modules: [describeType(self)])
                }
            }
            update(module, keys ?? local)
        }
    }

    /// Exclude parameters (all, or the given local keys) from `trainableParameters()`.
    public func freeze(recursive: Bool = true, keys: [String]? = nil) {
        try! freeze(recursive: recursive, keys: keys, strict: false)
    }

    open func freeze(recursive: Bool = true, keys: [String]? = nil, strict: Bool = false) throws {
        let visitor = freezeVisitor(keys: keys, strict: strict) {
            $0._noGrad.formUnion($1)
            $0.didSetNoGrad($0._noGrad)
        }
        if recursive {
            try visit(modules: visitor)
        } else {
            try visitor("", self)
        }
    }

    public func unfreeze(recursive: Bool = true, keys: [String]? = nil) {
        try! unfreeze(recursive: recursive, keys: keys, strict: false)
    }

    open func unfreeze(recursive: Bool = true, keys: [String]? = nil, strict: Bool = false) throws {
        let visitor = freezeVisitor(keys: keys, strict: strict) {
            $0._noGrad.subtract($1)
            $0.didSetNoGrad($0._noGrad)
        }
        if recursive {
            try visit(modules: visitor)
        } else {
            try visitor("", self)
        }
    }

    /// Keys of this module's frozen parameters.
    open func noGrad() -> Set<String> {
        _noGrad
    }

    func didSetNoGrad(_ noGrad: Set<String>) {}

    /// Set training mode on this module and all descendants.
    public func train(_ mode: Bool = true) {
        visit { _, module in
            module.training = mode
            module.didSetTrain(mode)
        }
    }

    open func didSetTrain(_ mode: Bool) {}
}

extension Module: IndentedDescription {
    public var description: String {
        description(indent: 0)
    }

    public func description(indent: Int) -> String {
        var result = "\(describeType(self))\(describeExtra(indent))"
        let children = self.children().sorted { $0.key < $1.key }
        if !children.isEmpty {
            let pad = String(repeating: " ", count: indent)
            result += " {\n"
            for (key, value) in children {
                result += "\(pad)  \(key): \(value.description(indent: indent + 2)),\n"
            }
            result += "\(pad)}"
        }
        return result
    }
}

extension Module: Updatable, Evaluatable {
    public func innerState() -> [MLXArray] {
        filterMap(filter: Self.filterAll, map: Self.mapParameters()).flattenedValues()
    }
}

/// A layer with a single array input and output.
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: MLXArray) -> MLXArray
}

// MARK: - Filters and maps

extension Module {
    /// Keys starting with `_` are private state, not parameters.
    static public func parameterIsValid(_ key: String) -> Bool {
        !key.hasPrefix("_")
    }

    static public let filterAll: @Sendable (Module, String, ModuleItem) -> Bool = { _, _, _ in
        true
    }

    static public let filterValidChild: @Sendable (Module, String, ModuleItem) -> Bool = {
        _, _, item in
        switch item {
        case .array, .dictionary, .value(.module): true
        default: false
        }
    }

    static public let filterValidParameters: @Sendable (Module, String, ModuleItem) -> Bool = {
        _, key, item in
        switch item {
        case .array, .dictionary, .value(.parameters), .value(.module): parameterIsValid(key)
        default: false
        }
    }

    static public let filterLocalParameters: @Sendable (Module, String, ModuleItem) -> Bool = {
        _, key, item in
        switch item {
        case .array, .dictionary, .value(.parameters): parameterIsValid(key)
        default: false
        }
    }

    static public let filterTrainableParameters: @Sendable (Module, String, ModuleItem) -> Bool = {
        module, key, item in
        switch item {
        case .array, .dictionary, .value(.parameters), .value(.module):
            parameterIsValid(key) && !module.noGrad().contains(key)
        default: false
        }
    }

    static public let filterOther: @Sendable (Module, String, ModuleItem) -> Bool = { _, _, item in
        if case .value(.other) = item { return true }
        return false
    }

    static public func mapParameters<Result>(map: @escaping (MLXArray) -> Result? = { $0 }) -> (
        ModuleItem
    ) -> Result? {
        { item in
            if case .value(.parameters(let v)) = item { return map(v) }
            return nil
        }
    }

    static public func mapModule<Result>(map: @escaping (Module) -> Result? = { $0 }) -> (
        ModuleItem
    ) -> Result? {
        { item in
            if case .value(.module(let v)) = item { return map(v) }
            return nil
        }
    }

    static func mapOther<Result>(map: @escaping (Any) -> Result? = { $0 }) -> (ModuleItem)
        -> Result?
    {
        { item in
            if case .value(.other(let v)) = item { return map(v) }
            return nil
        }
    }

    static public let isLeafDefault: @Sendable (Module, String, ModuleItem) -> Bool = {
        _, _, item in
        switch item {
        case .array, .dictionary, .none, .value(.module): false
        case .value(.parameters), .value(.other), .value(.none): true
        }
    }

    static public let isLeafModule: @Sendable (Module, String, ModuleItem) -> Bool = {
        _, _, item in
        if case .value(.module) = item { return true }
        return false
    }

    static public let isLeafModuleNoChildren: @Sendable (Module, String, ModuleItem) -> Bool = {
        _, _, item in
        if case .value(.module(let m)) = item { return m.children().isEmpty }
        return false
    }
}

// MARK: - Items

/// One stored property as seen by ``Module/items()``.
public enum ModuleValue {
    case none
    case parameters(MLXArray)
    case module(Module)
    case other(Any)

    /// Classify a (possibly optional) value: arrays, modules, and arrays/tuples/dictionaries of
    /// those; nil becomes `.none`; anything else is `.other`.
    static func build(value: Any?) -> ModuleItem {
        guard let value = value.flatMap(flattenOptional) else {
            return .none
        }
        switch value {
        case let v as MLXArray:
            return .value(.parameters(v))
        case let v as Module:
            return .value(.module(v))
        case let v as [Any]:
            return .array(v.map { build(value: $0) })
        case let v as (Any, Any):
            return .array([build(value: v.0), build(value: v.1)])
        case let v as (Any, Any, Any):
            return .array([build(value: v.0), build(value: v.1), build(value: v.2)])
        case let v as (Any, Any, Any, Any):
            return .array([build(value: v.0), build(value: v.1), build(value: v.2), build(value: v.3)])
        case let v as (Any, Any, Any, Any, Any):
            return .array([
                build(value: v.0), build(value: v.1), build(value: v.2), build(value: v.3),
                build(value: v.4),
            ])
        case let v as [String: Any]:
            return .dictionary(v.mapValues { build(value: $0) })
        default:
            return .value(.other(value))
        }
    }

    /// The (key, item) for one reflected property; `@ModuleInfo`/`@ParameterInfo` storage
    /// (`_name`) yields its explicit key or the name without the underscore.
    public static func fromMirror(_ c: Mirror.Child) -> (String, ModuleItem)? {
        var label = c.label
        var value: Any? = c.value
        if let info = c.value as? ParameterInfoAccess {
            label = info.infoKey ?? label.map { String($0.dropFirst()) }
            value = info.infoValue
        } else if let info = c.value as? ModuleInfoAccess {
            label = info.infoKey ?? label.map { String($0.dropFirst()) }
            value = info.infoValue
        }
        guard let label else { return nil }
        return (label, build(value: value))
    }
}

/// Unwrap any depth of Optional inside an `Any`; nil when it holds no value.
func flattenOptional(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    guard let child = mirror.children.first else { return nil }
    return flattenOptional(child.value)
}

// MARK: - Property wrappers

/// Lets generic code produce `nil` for an optional `T` without dynamic-cast tricks.
protocol NilValueProviding {
    static var nilValue: Self { get }
}

extension Optional: NilValueProviding {
    static var nilValue: Wrapped? { nil }
}

protocol ParameterInfoAccess {
    var infoKey: String? { get }
    var infoValue: Any? { get }
}

typealias ModuleInfoSetter = (Any) throws -> Void

protocol ModuleInfoAccess {
    var infoKey: String? { get }
    var infoValue: Any? { get }
    func setter() -> ModuleInfoSetter
}

/// Marks an array parameter with an explicit key, e.g. `@ParameterInfo(key: "A_log") var aLog`.
/// Supported value types: `MLXArray`, `MLXArray?`, pairs and triples of arrays, `[MLXArray]` and
/// `[String: MLXArray]`. The value can be set once (in `init`); later changes go through
/// `update(parameters:)`.
@propertyWrapper public class ParameterInfo<T> {
    var value: T?
    let key: String?

    private static func checkSupported() {
        let supported: [Any.Type] = [
            MLXArray.self, MLXArray?.self, (MLXArray, MLXArray).self,
            (MLXArray, MLXArray, MLXArray).self, [MLXArray].self, [String: MLXArray].self,
        ]
        if !supported.contains(where: { $0 == T.self }) {
            fatalError("Unable to apply @ParameterInfo to \(T.self)")
        }
    }

    public var wrappedValue: T {
        get {
            if let value { return value }
            if let provider = T.self as? NilValueProviding.Type { return provider.nilValue as! T }
            fatalError("@ParameterInfo \(key ?? "") of type \(T.self) read before it was set")
        }
        set {
            if value != nil {
                fatalError("please call update() on the array rather than setting it")
            }
            Self.checkSupported()
            value = newValue
        }
    }

    public init(wrappedValue defaultValue: T, key: String? = nil) {
        self.value = defaultValue
        self.key = key
        Self.checkSupported()
    }

    public init(key: String? = nil) {
        self.value = nil
        self.key = key
    }
}

extension ParameterInfo: ParameterInfoAccess {
    var infoKey: String? { key }
    var infoValue: Any? { value.flatMap { $0 as Any } }
}

/// Marks a child module (or container of modules) so it can be replaced later with
/// `update(modules:)`, optionally with an explicit key: `@ModuleInfo(key: "self_attn")`.
/// The value can be set once (in `init`, via `_name.wrappedValue = ...`).
@propertyWrapper public class ModuleInfo<T> {
    var module: T?
    let key: String?

    public var wrappedValue: T {
        get {
            if let module { return module }
            if let provider = T.self as? NilValueProviding.Type { return provider.nilValue as! T }
            fatalError("@ModuleInfo \(key ?? "") of type \(T.self) read before it was set")
        }
        set {
            if module != nil {
                fatalError(
                    "please use Model.update(modules:) rather than mutating the Module property directly")
            }
            module = newValue
        }
    }

    public init(wrappedValue defaultValue: T, key: String? = nil) {
        self.module = defaultValue
        self.key = key
    }

    public init(key: String? = nil) {
        self.module = nil
        self.key = key
    }
}

extension ModuleInfo: ModuleInfoAccess {
    var infoKey: String? { key }
    var infoValue: Any? { module.flatMap { $0 as Any } }

    func setter() -> ModuleInfoSetter {
        { [unowned self] value in
            if flattenOptional(value) == nil {
                guard let provider = T.self as? NilValueProviding.Type else {
                    throw UpdateError.unableToCast(String(describing: T.self))
                }
                self.module = (provider.nilValue as! T)
            } else if let v = value as? T {
                self.module = v
            } else if let modules = value as? [Module] {
                // a tuple property, e.g. (Linear, GELU, Linear), arrives as an array
                let candidate: Any?
                switch modules.count {
                case 2: candidate = (modules[0], modules[1]) as? T
                case 3: candidate = (modules[0], modules[1], modules[2]) as? T
                case 4: candidate = (modules[0], modules[1], modules[2], modules[3]) as? T
                case 5: candidate = (modules[0], modules[1], modules[2], modules[3], modules[4]) as? T
                default: candidate = nil
                }
                guard let candidate else { throw UpdateError.unableToCast(String(describing: T.self)) }
                self.module = (candidate as! T)
            } else {
                throw UpdateError.unableToCast(String(describing: T.self))
            }
        }
    }
}

public enum UpdateError: Error {
    case unableToCollectModulesFromContainer(path: [String], modules: [String])
    case mismatchedContainers(base: String, key: String)
    case mismatchedSize(path: [String], modules: [String], expectedShape: [Int], actualShape: [Int])
    case keyNotFound(path: [String], modules: [String])
    case needModuleInfo(String)
    case unableToSet(String)
    case unableToCast(String)
    case unhandledKeys(path: [String], modules: [String], keys: [String])
    case settingArrayWithModule(path: [String], modules: [String])
    case incompatibleItems(path: [String], modules: [String], item: String, value: String)
    case unexpectedStructure(key: String, item: String)
}

extension UpdateError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .unableToCollectModulesFromContainer(let path, let modules):
            "Unable to collect modules from container: \(path.joined(separator: ".")) in \(modules.joined(separator: "."))"
        case .mismatchedContainers(let base, let key):
            "Mismatched containers: \(base) \(key)"
        case .mismatchedSize(let path, let modules, let expectedShape, let actualShape):
            "Mismatched parameter \(path.joined(separator: ".")) in \(modules.joined(separator: ".")) shape. Actual \(actualShape), expected \(expectedShape)"
        case .keyNotFound(let path, let modules):
            "Key \(path.joined(separator: ".")) not found in \(modules.joined(separator: "."))"
        case .needModuleInfo(let message), .unableToSet(let message):
            message
        case .unableToCast:
            "Unable to cast value"
        case .unhandledKeys(let path, let modules, let keys):
            "Unhandled keys \(keys) in \(path.joined(separator: ".")) in \(modules.joined(separator: "."))"
        case .settingArrayWithModule(let path, let modules):
            "Unable to set \(path.joined(separator: ".")) on \(modules.joined(separator: ".")): parameters (MLXArray) cannot be updated with a Module"
        case .incompatibleItems(let path, let modules, let item, let value):
            "Unable to set \(path.joined(separator: ".")) on \(modules.joined(separator: ".")): \(item) not compatible with \(value)"
        case .unexpectedStructure(let key, let item):
            "Unexpected structure for \(key) on \(item): not @ModuleInfo var modules = [...]"
        }
    }
}

/// `item` with each array replaced by its shape, for error messages.
private func shapes(_ item: NestedItem<String, MLXArray>) -> NestedItem<String, String> {
    switch item {
    case .none: .none
    case .value(let array): .value(array.shape.description)
    case .array(let items): .array(items.map(shapes))
    case .dictionary(let items): .dictionary(items.mapValues(shapes))
    }
}
