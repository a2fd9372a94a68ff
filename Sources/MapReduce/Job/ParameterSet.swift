/// A job's `--param` settings as typed properties, each with its default and
/// help, parsed and checked once before any task runs.
///
/// ```swift
/// struct Grep: Job {
///     struct Parameters: ParameterSet {
///         @Parameter(help: "a POSIX extended regular expression") var pattern: String
///         @Parameter(help: "ignore case") var ignoreCase = false
///     }
///     ...
///     mutating func setUp(context: inout MapContext<...>) throws {
///         let parameters = try Grep.Parameters(context.parameters)
///     }
/// }
/// ```
///
/// A property `ignoreCase` is the parameter `ignore-case`; `@Parameter("name")`
/// names it otherwise. One without a default must be given.
public protocol ParameterSet: Sendable {
    /// Every parameter at its default.
    init()
}

/// A job without parameters.
public struct NoParameters: ParameterSet {
    /// The empty set.
    public init() {}
}

extension ParameterSet {
    /// The set with every parameter `parameters` gives parsed, the others at their defaults;
    /// throws `JobError` naming the parameter and the value that does not parse or fit.
    public init(_ parameters: JobParameters) throws(JobError) {
        self.init()
        for (name, parameter) in Self.parameters(of: self) {
            guard let text = parameters[name] else {
                guard parameter.hasDefault else { throw JobError("--param \(name) is required (\(parameter.typeName))") }
                continue
            }
            try parameter.assign(text, name: name)
        }
    }

    /// The parameters as the command line knows them: names, types, defaults and help.
    public static var declared: [JobParameter] {
        self.parameters(of: Self()).map { name, parameter in
            JobParameter(name, default: parameter.defaultText, help: parameter.help, type: parameter.typeName)
        }
    }

    /// Each parameter of `set`, by its name on the command line, in declaration order.
    private static func parameters(of set: Self) -> [(String, any ParameterProperty)] {
        Mirror(reflecting: set).children.compactMap { child in
            guard let parameter = child.value as? any ParameterProperty, let label = child.label else { return nil }
            return (parameter.name ?? Self.commandLineName(String(label.drop { $0 == "_" })), parameter)
        }
    }

    /// `ignoreCase` as `ignore-case`.
    static func commandLineName(_ property: String) -> String {
        property.reduce(into: "") { name, character in
            if character.isUppercase {
                name += "-" + character.lowercased()
            } else {
                name.append(character)
            }
        }
    }
}

/// A parameter of a `ParameterSet`.
@propertyWrapper
public struct Parameter<Value: ParameterValue>: Sendable {
    let name: String?
    let help: String
    /// For a parameter whose values must lie in a range: whether one does, and the range as text.
    let bounds: Bounds?
    let defaultValue: Value?
    private let box: Box

    /// The parsed value, or the default.
    public var wrappedValue: Value {
        guard let value = self.box.value ?? self.defaultValue else {
            preconditionFailure("parameter \(self.name ?? "") read before the set was parsed")
        }
        return value
    }

    /// A parameter with a default; `name` overrides the one made of the property's name.
    public init(wrappedValue: Value, _ name: String? = nil, help: String = "") {
        self.init(name: name, help: help, bounds: nil, defaultValue: wrappedValue)
    }

    /// A required parameter.
    public init(_ name: String? = nil, help: String = "") {
        self.init(name: name, help: help, bounds: nil, defaultValue: nil)
    }

    fileprivate init(name: String?, help: String, bounds: Bounds?, defaultValue: Value?) {
        self.name = name
        self.help = help
        self.bounds = bounds
        self.defaultValue = defaultValue
        self.box = Box()
    }

    struct Bounds: Sendable {
        let contains: @Sendable (Value) -> Bool
        let text: String
    }

    /// Where a set parsed from `--param` keeps the value: written once, while the set is made.
    private final class Box: @unchecked Sendable {
        var value: Value?
    }
}

extension Parameter where Value: Comparable {
    /// A parameter with a default whose values must lie in `range`.
    public init(wrappedValue: Value, _ name: String? = nil, help: String = "", in range: ClosedRange<Value>) {
        self.init(
            name: name, help: help, bounds: Bounds(contains: { range.contains($0) }, text: "between \(range.lowerBound) and \(range.upperBound)"),
            defaultValue: wrappedValue)
    }

    /// A parameter with a default whose values must be at least `minimum`.
    public init(wrappedValue: Value, _ name: String? = nil, help: String = "", atLeast minimum: Value) {
        self.init(
            name: name, help: help, bounds: Bounds(contains: { $0 >= minimum }, text: "at least \(minimum)"), defaultValue: wrappedValue)
    }
}

/// What the set's parsing needs of a `Parameter`, whatever its type.
protocol ParameterProperty {
    var name: String? { get }
    var help: String { get }
    var hasDefault: Bool { get }
    var defaultText: String? { get }
    var typeName: String { get }
    func assign(_ text: String, name: String) throws(JobError)
}

extension Parameter: ParameterProperty {
    var hasDefault: Bool { self.defaultValue != nil }
    var defaultText: String? { self.defaultValue.map { "\($0)" } }

    var typeName: String {
        guard let bounds = self.bounds else { return Value.typeName }
        return "\(Value.typeName) \(bounds.text)"
    }

    func assign(_ text: String, name: String) throws(JobError) {
        guard let value = Value(parameter: text) else {
            throw JobError.badParameter(name: name, value: text, expected: Value.typeName)
        }
        if let bounds = self.bounds, !bounds.contains(value) {
            throw JobError.badParameter(name: name, value: text, expected: bounds.text)
        }
        self.box.value = value
    }
}

/// A type a parameter may have: parsed from its `--param` text.
public protocol ParameterValue: Sendable, CustomStringConvertible {
    /// The value `text` spells, or nil.
    init?(parameter text: String)
    /// What `--help` says the type is.
    static var typeName: String { get }
}

extension Int: ParameterValue {
    /// The integer `text` spells in decimal, or nil.
    public init?(parameter text: String) { self.init(text) }
    /// `an integer`.
    public static var typeName: String { "an integer" }
}

extension Double: ParameterValue {
    /// The finite number `text` spells, or nil.
    public init?(parameter text: String) {
        guard let value = Double(text), value.isFinite else { return nil }
        self = value
    }
    /// `a number`.
    public static var typeName: String { "a number" }
}

extension Bool: ParameterValue {
    /// Only `true` and `false`: `yes` is not silently false.
    public init?(parameter text: String) { self.init(text) }
    /// `true or false`.
    public static var typeName: String { "true or false" }
}

extension String: ParameterValue {
    /// The text as it is.
    public init?(parameter text: String) { self = text }
    /// `text`.
    public static var typeName: String { "text" }
}

extension ParameterValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    /// One of the enumeration's raw values.
    public init?(parameter text: String) { self.init(rawValue: text) }
    /// `one of` and the raw values.
    public static var typeName: String { "one of " + Self.allCases.map(\.rawValue).joined(separator: ", ") }
    /// The raw value.
    public var description: String { self.rawValue }
}
