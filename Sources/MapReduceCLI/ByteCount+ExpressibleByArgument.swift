import ArgumentParser
import MapReduce

extension ByteCount: ExpressibleByArgument {
    /// Parses an option's value as `ByteCount(parsing:)` does.
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
