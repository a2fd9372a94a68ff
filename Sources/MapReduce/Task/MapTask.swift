/// One map task attempt to run.
public struct MapTask: Hashable, Sendable, Codable {
    public var id: AttemptID
    public var split: InputSplit
    /// Numbers (from 0, within the split) of records to skip: ones that made earlier attempts fail.
    public var skipRecords: Set<Int64>

    public init(id: AttemptID, split: InputSplit, skipRecords: Set<Int64> = []) {
        self.id = id
        self.split = split
        self.skipRecords = skipRecords
    }
}

/// User code that threw on one input record: which record, and the error.
public struct RecordFailure: Error, CustomStringConvertible {
    /// The record's number within its split, from 0.
    public var record: Int64
    /// Where the record starts in its file.
    public var offset: Int64
    public var underlying: any Error

    public init(record: Int64, offset: Int64, underlying: any Error) {
        self.record = record
        self.offset = offset
        self.underlying = underlying
    }

    public var description: String { "record \(self.record) at byte \(self.offset): \(self.underlying)" }
}

/// What a finished map task attempt produced.
public struct MapTaskResult: Hashable, Sendable, Codable {
    public var output: MapOutput
    public var counters: Counters

    public init(output: MapOutput, counters: Counters) {
        self.output = output
        self.counters = counters
    }
}

extension MapTask {
    /// Runs this attempt of job `J`'s mapper over its split.
    @inlinable public func run<J: Job>(_ job: J.Type, settings: TaskSettings) throws -> MapTaskResult {
        let collector = MapOutputCollector<J.Map.Key, J.Map.Value>(
            settings: settings, attemptName: self.id.description, partitioner: J.partitioner, combiner: J.combiner)
        var context = MapContext(parameters: settings.parameters, inputPath: self.split.path, attempt: self.id, collector: collector)
        var mapper = J.Map()
        try mapper.setUp(context: &context)
        var records: Int64 = 0
        var skipped = 0
        let bytes = try J.Map.Input.read(self.split) { record in
            defer { records += 1 }
            if !self.skipRecords.isEmpty, self.skipRecords.contains(records) {
                skipped += 1
                return
            }
            do {
                try mapper.map(record, context: &context)
            } catch {
                throw RecordFailure(record: records, offset: J.Map.Input.offset(of: record), underlying: error)
            }
            if let failure = context.collector.failure { throw failure }
        }
        try mapper.cleanUp(context: &context)
        var (output, counters) = try context.collector.finish()
        counters.add(.mapInputRecords, Int(records) - skipped)
        if skipped > 0 { counters.add(.skippedRecords, skipped) }
        counters.add(.mapInputBytes, Int(bytes))
        counters.merge(context.counters)
        return MapTaskResult(output: output, counters: counters)
    }
}
