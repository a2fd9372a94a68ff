import MapReduce

/// What a job or a driven reducer wrote, and what it counted.
public struct JobOutput: Sendable {
    /// Each part file's bytes, in the order of their names: by partition, or by map task for a map-only job.
    public var parts: [[UInt8]]
    /// What the job or reducer counted.
    public var counters: Counters
    /// For a whole job's run, the directory its input files were written to: paths in its
    /// output (`context.inputPath`, say) start with it.
    public var inputDirectory: String?

    /// Makes an output of `parts`, by name, and `counters`.
    public init(parts: [[UInt8]], counters: Counters, inputDirectory: String? = nil) {
        self.parts = parts
        self.counters = counters
        self.inputDirectory = inputDirectory
    }

    /// Every output line, part file by part file, without its newline; bytes that are not
    /// UTF-8 become U+FFFD.
    public var lines: [String] {
        self.parts.flatMap { part in
            var lines = part.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if part.isEmpty || part.last == UInt8(ascii: "\n") { lines.removeLast() }
            return lines.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Every `key<TAB>value` line, split at its first tab, typed: nil if a line has no tab or a
    /// side does not parse as its type.
    public func pairs<Key: LosslessStringConvertible, Value: LosslessStringConvertible>(
        _ key: Key.Type, _ value: Value.Type
    ) -> [(key: Key, value: Value)]? {
        var pairs: [(key: Key, value: Value)] = []
        for line in self.lines {
            guard let tab = line.firstIndex(of: "\t"), let key = Key(String(line[..<tab])),
                let value = Value(String(line[line.index(after: tab)...]))
            else { return nil }
            pairs.append((key, value))
        }
        return pairs
    }

    /// Every record of a job whose output format is `.keyValue(Key.self, Value.self)`, part file by part file.
    public func records<Key: KeyCodable, Value: ValueCodable>(
        _ key: Key.Type, _ value: Value.Type
    ) throws -> [(key: Key, value: Value)] {
        try self.parts.enumerated().flatMap { number, part in
            try KeyValueInput<Key, Value>.records(in: part, name: "part \(number)").map { ($0.key, $0.value) }
        }
    }
}
