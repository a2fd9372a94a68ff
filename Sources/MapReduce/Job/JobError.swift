/// A job that cannot start or cannot finish; `description` is the one line the user sees.
public struct JobError: Error, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    static func badParameter(name: String, value: String, expected: String) -> Self {
        Self("parameter \(name)=\(value) is not \(expected)")
    }
}
