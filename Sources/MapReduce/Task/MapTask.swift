/// One map task attempt to run.
public struct MapTask: Hashable, Sendable, Codable {
    /// The attempt: its task's number (the split's) and the attempt's.
    public var id: AttemptID
    /// What the task reads.
    public var split: InputSplit
    /// Numbers (from 0, within the split) of records to skip: ones that made earlier attempts fail.
    public var skipRecords: Set<Int64>

    /// Attempt `id` at reading `split`, skipping the records numbered in `skipRecords`.
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
    /// The file the record is in.
    public var path: String
    /// Where the record starts in that file (for a key-value record, where its block does).
    public var offset: Int64
    /// The error the user code threw.
    public var underlying: any Error

    /// The failure of record `record`, at byte `offset` of `path`, with the error it threw.
    public init(record: Int64, path: String, offset: Int64, underlying: any Error) {
        self.record = record
        self.path = path
        self.offset = offset
        self.underlying = underlying
    }

    /// The record's number, file and offset, and the error, for messages.
    public var description: String { "record \(self.record) (\(self.path) byte \(self.offset)): \(self.underlying)" }
}

/// What a finished map task attempt produced.
public struct MapTaskResult: Hashable, Sendable, Codable {
    /// The attempt's map output file and its index.
    public var output: MapOutput
    /// The attempt's counters, the framework's and the job's.
    public var counters: Counters

    /// The result of an attempt that wrote `output` and counted `counters`.
    public init(output: MapOutput, counters: Counters) {
        self.output = output
        self.counters = counters
    }
}

extension MapTask {
    /// Runs this attempt of job `J`'s mapper over its split; `control`
    /// stops it (throwing `AttemptCancelled`) at the next record.
    @inlinable public func run<J: Job>(_ job: J.Type, settings: TaskSettings, control: AttemptControl) throws -> MapTaskResult {
        let combiner = settings.combinerDisabled ? nil : J.combiner.declared
        let partitioner = J.partitioner.grouped(by: J.grouping)
        guard let name = self.split.input else {
            return try self.run(J.Map.self, partitioner: partitioner, combiner: combiner, settings: settings, control: control)
        }
        guard let input = J.inputs.first(where: { $0.name == name }) else {
            throw JobError("job \(J.name) has no input named \(name)")
        }
        return try input.runMapTask(self, partitioner, combiner, settings, control)
    }

    /// Runs this attempt of mapper `M` over its split; `control` stops it
    /// (throwing `AttemptCancelled`) at the next record.
    @inlinable public func run<M: Mapper>(
        _ mapperType: M.Type, partitioner: Partitioner<M.Key>, combiner: Combiner<M.Value>?, settings: TaskSettings,
        control: AttemptControl
    ) throws -> MapTaskResult {
        // A map-only job's map writes what it emits, as it comes, to its part file: no partitions, no combiner.
        let isMapOnly = settings.isMapOnly
        var collectorSettings = settings
        if isMapOnly { collectorSettings.partitions = 1 }
        var collector = MapOutputCollector<M.Key, M.Value>(
            settings: collectorSettings, attemptName: self.id.description, partitioner: isMapOnly ? .hash : partitioner,
            combiner: isMapOnly ? nil : combiner)
        if isMapOnly { collector.mapOnly = try MapOnlyOutput(attempt: self.id, outputDirectory: settings.outputDirectory) }
        var context = MapContext(parameters: settings.parameters, inputPath: self.split.path, attempt: self.id, collector: collector)
        var mapper = M()
        try mapper.begin(context: &context)
        let (records, skipped, bytes) = try Self.feed(
            self.split, to: &mapper, context: &context, control: control, skipping: self.skipRecords)
        try mapper.end(context: &context)
        // Once more before the final merge, which can take a while.
        try control.checkpoint(recordsRead: records)
        var (output, counters) = try context.collector.finish(control: control)
        counters.add(.mapInputRecords, Int(records) - skipped)
        if skipped > 0 { counters.add(.skippedRecords, skipped) }
        counters.add(.mapInputBytes, Int(bytes))
        try context.counters.checkAmounts()
        counters.merge(context.counters)
        return MapTaskResult(output: output, counters: counters)
    }

    /// Reads every record of `split` into `mapper`, but those numbered in `skipRecords`;
    /// returns the records read and skipped, and the bytes read.
    @inlinable static func feed<M: Mapper>(
        _ split: InputSplit, to mapper: inout M, context: inout MapContext<M.Key, M.Value>, control: AttemptControl,
        skipping skipRecords: Set<Int64>
    ) throws -> (records: Int64, skipped: Int, bytes: Int64) {
        var records: Int64 = 0
        var skipped = 0
        var bytes: Int64 = 0
        for piece in split.pieces {
            context.currentPath = piece.path
            bytes += try M.Input.read(piece) { record in
                try control.checkpoint(recordsRead: records)
                defer { records += 1 }
                if !skipRecords.isEmpty, skipRecords.contains(records) {
                    skipped += 1
                    return
                }
                do {
                    try mapper.map(record, context: &context)
                } catch {
                    throw RecordFailure(record: records, path: piece.path, offset: M.Input.offset(of: record), underlying: error)
                }
                if let failure = context.collector.failure { throw failure }
            }
        }
        return (records, skipped, bytes)
    }
}
