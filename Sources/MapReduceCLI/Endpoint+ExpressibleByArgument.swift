import ArgumentParser
import MapReduceCluster

extension Endpoint: ExpressibleByArgument {
    /// Parses an option's value as `Endpoint(parsing:)` does.
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
