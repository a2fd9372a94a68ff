/// A job that cannot start or cannot finish; `description` is the one line the user sees.
public struct JobError: Error, Hashable, CustomStringConvertible {
    /// The line the user sees.
    public var description: String

    /// Makes the error that `description` tells.
    public init(_ description: String) {
        self.description = description
    }

    static func badParameter(name: String, value: String, expected: String) -> Self {
        Self("parameter \(name)=\(value) is not \(expected)")
    }
}
