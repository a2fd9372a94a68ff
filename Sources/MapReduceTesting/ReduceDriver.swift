import MapReduce

/// Drives a job's reducer alone: the given keys and values are encoded,
/// sorted and grouped as a reduce task's merge would, a fresh reducer runs
/// over them (setUp, every key, cleanUp), and the driver returns what it
/// wrote and counted.
///
/// ```swift
/// let run = try ReduceDriver(WordCount.self).run([("be", [1, 1]), ("to", [2])])
/// #expect(run.lines == ["be\t2", "to\t2"])
/// ```
public struct ReduceDriver<J: Job> {
    /// `--param` settings; the job's defaults fill in the rest, and its `validate` checks them.
    public var parameters: [String: String]

    /// A driver of `job`'s reducer with the `--param` settings `parameters`.
    public init(_ job: J.Type, parameters: [String: String] = [:]) {
        self.parameters = parameters
    }

    /// Runs the reducer over `groups`: a key may appear more than once, and its values
    /// reach the reducer in the order given.
    public func run(_ groups: [(key: J.Map.Key, values: [J.Map.Value])]) throws -> JobOutput {
        let parameters = try JobDefaults.parameters(of: J.self, self.parameters)
        var records: [TaskDrivers.EncodedRecord] = []
        for (key, values) in groups {
            var keyWriter = ByteWriter()
            key.encodeKey(to: &keyWriter)
            let encodedKey = Array(keyWriter.bytes)
            for value in values {
                var valueWriter = ByteWriter()
                value.encodeValue(to: &valueWriter)
                records.append((encodedKey, Array(valueWriter.bytes)))
            }
        }
        return try ScratchDirectory.using { directory in
            let (output, counters) = try TaskDrivers.reduce(J.self, records: records, parameters: parameters, directory: directory)
            return JobOutput(parts: [output], counters: counters)
        }
    }
}
