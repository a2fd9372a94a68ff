/// The job's `--param name=value` settings, the same on every worker.
public struct JobParameters: Hashable, Sendable, Codable {
    /// Every parameter, by name, with the job's declared defaults filled in.
    public var values: [String: String]

    /// Makes the settings of `values`, by name.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The value of parameter `name`, if it was given or has a default.
    public subscript(name: String) -> String? {
        self.values[name]
    }

    /// The value of parameter `name` as an integer.
    public func int(_ name: String) throws -> Int? {
        guard let text = self.values[name] else { return nil }
        guard let value = Int(text) else { throw JobError.badParameter(name: name, value: text, expected: "an integer") }
        return value
    }

    /// The value of parameter `name` as a floating-point number.
    public func double(_ name: String) throws -> Double? {
        guard let text = self.values[name] else { return nil }
        guard let value = Double(text) else { throw JobError.badParameter(name: name, value: text, expected: "a number") }
        return value
    }
}

/// A parameter a job declares: its name, default and help.
public struct JobParameter: Hashable, Sendable {
    /// Its name on the command line: `--param NAME=VALUE`.
    public var name: String
    /// The value when `--param` does not give one; `nil` makes the parameter required.
    public var defaultValue: String?
    /// What it sets, for `--help`.
    public var help: String
    /// What its values are, for `--help` (`an integer`, say); nil for any text.
    public var type: String?

    /// Declares parameter `name`; without a default it is required.
    public init(_ name: String, default defaultValue: String? = nil, help: String = "", type: String? = nil) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.type = type
    }
}
