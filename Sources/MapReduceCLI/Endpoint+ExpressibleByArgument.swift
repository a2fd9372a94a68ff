import ArgumentParser
import MapReduceCluster

extension Endpoint: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
