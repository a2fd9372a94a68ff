import Foundation
import MapReduce

/// Drives a job's mapper alone, as Hadoop's MRUnit does: a fresh mapper
/// reads the given input as a map task reads its split (setUp, every
/// record, cleanUp), and the driver returns every pair it emitted, in
/// order, decoded, and what it counted. No combiner runs.
///
/// ```swift
/// let run = try MapDriver(WordCount.self).run(lines: ["to be or not to be"])
/// #expect(run.emitted.map(\.key) == ["to", "be", "or", "not", "to", "be"])
/// ```
public struct MapDriver<J: Job> {
    /// `--param` settings; the job's defaults fill in the rest, and its `validate` checks them.
    public var parameters: [String: String]

    /// A driver of `job`'s mapper with the `--param` settings `parameters`.
    public init(_ job: J.Type, parameters: [String: String] = [:]) {
        self.parameters = parameters
    }

    /// Runs the mapper over `contents`, read as an input file named `name` is.
    public func run(_ contents: [UInt8], name: String = "input.txt") throws -> MapRun<J.Map.Key, J.Map.Value> {
        let parameters = try JobDefaults.parameters(of: J.self, self.parameters)
        return try ScratchDirectory.using { directory in
            let path = "\(directory)/\(name)"
            try Data(contents).write(to: URL(fileURLWithPath: path))
            let split = InputSplit(path: path, start: 0, length: Int64(contents.count))
            let (records, counters) = try TaskDrivers.map(J.Map.self, split: split, parameters: parameters, workDirectory: directory)
            let emitted = try records.map { record in
                try record.key.withUnsafeBytes { key in
                    try record.value.withUnsafeBytes { value in
                        (key: try J.Map.Key.decodeKey(key), value: try J.Map.Value.decodeValue(value))
                    }
                }
            }
            return MapRun(emitted: emitted, counters: counters)
        }
    }

    /// Runs the mapper over `lines`, each ended by a newline.
    public func run(lines: [String], name: String = "input.txt") throws -> MapRun<J.Map.Key, J.Map.Value> {
        try self.run(Array(lines.map { $0 + "\n" }.joined().utf8), name: name)
    }
}

/// What a driven mapper did.
public struct MapRun<Key, Value> {
    /// Every pair it emitted, in order.
    public var emitted: [(key: Key, value: Value)]
    /// The job's own counters it incremented, and its input and output records.
    public var counters: Counters
}
