/// One map task attempt to run.
public struct MapTask: Hashable, Sendable, Codable {
    public var id: AttemptID
    public var split: InputSplit

    public init(id: AttemptID, split: InputSplit) {
        self.id = id
        self.split = split
    }
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
        var context = MapContext(parameters: settings.parameters, inputPath: self.split.path, collector: collector)
        var mapper = J.Map()
        try mapper.setUp(context: &context)
        var records = 0
        let bytes = try J.Map.Input.read(self.split) { record in
            records += 1
            try mapper.map(record, context: &context)
            if let failure = context.collector.failure { throw failure }
        }
        try mapper.cleanUp(context: &context)
        var (output, counters) = try context.collector.finish()
        counters.add(.mapInputRecords, records)
        counters.add(.mapInputBytes, Int(bytes))
        counters.merge(context.counters)
        return MapTaskResult(output: output, counters: counters)
    }
}
