/// The map and reduce halves of a job run alone on given input, for the
/// test kit (`MapReduceTesting`): the same contexts, input readers, merge
/// and grouping as a task, without the rest of a job around them.
package enum TaskDrivers {
    /// One record of map output, in its encodings.
    package typealias EncodedRecord = (key: [UInt8], value: [UInt8])

    /// The most map output a driven mapper may emit: it is kept in one sort buffer, in emit order.
    package static let mapOutputLimit = 64 << 20

    /// Runs a fresh `M` over `split` (setUp, every record, cleanUp), with no combiner, and
    /// returns what it emitted, in order, and what it counted.
    package static func map<M: Mapper>(
        _ mapper: M.Type, split: InputSplit, parameters: JobParameters, workDirectory: String
    ) throws -> (records: [EncodedRecord], counters: Counters) {
        let settings = TaskSettings(
            partitions: 1, sortBufferBytes: Self.mapOutputLimit, compressionLevel: 1, parameters: parameters,
            workDirectory: workDirectory, outputDirectory: workDirectory)
        let attempt = AttemptID(.map, task: 0, attempt: 1)
        let collector = MapOutputCollector<M.Key, M.Value>(
            settings: settings, attemptName: attempt.description, partitioner: .hash, combiner: nil)
        var context = MapContext(parameters: parameters, inputPath: split.path, attempt: attempt, collector: collector)
        var mapper = M()
        try mapper.begin(context: &context)
        let records = try MapTask.feed(split, to: &mapper, context: &context, control: AttemptControl(), skipping: []).records
        try mapper.end(context: &context)
        if let failure = context.collector.failure { throw failure }
        guard context.collector.spills.spillCount == 0 else {
            throw JobError("the mapper emitted more than \(Self.mapOutputLimit >> 20) MiB; drive it with less input")
        }
        var emitted: [EncodedRecord] = []
        context.collector.buffer.forEach { _, key, value in emitted.append((Array(key), Array(value))) }
        var counters = context.counters
        counters.add(.mapInputRecords, Int(records))
        counters.add(.mapOutputRecords, emitted.count)
        return (emitted, counters)
    }

    /// Runs a fresh reducer of `J` over `records`, grouped and ordered by their encoded keys as a
    /// reduce task's merge would (values of a key in the order given), and returns the bytes it
    /// wrote and what it counted. `directory` holds the input and output files meanwhile.
    package static func reduce<J: Job>(
        _ job: J.Type, records: [EncodedRecord], parameters: JobParameters, directory: String
    ) throws -> (output: [UInt8], counters: Counters) {
        let sorted = records.enumerated().sorted { a, b in
            a.element.key == b.element.key ? a.offset < b.offset : a.element.key.lexicographicallyPrecedes(b.element.key)
        }
        let path = "\(directory)/input.spill"
        var writer = try SpillWriter.create(path: path, partitions: 1, compressionLevel: 1)
        for (_, record) in sorted {
            try record.key.withUnsafeBytes { key in
                try record.value.withUnsafeBytes { value in try writer.append(partition: 0, key: key, value: value) }
            }
        }
        let input = MapOutput(path: path, index: try writer.finish())
        let settings = TaskSettings(
            partitions: 1, sortBufferBytes: Self.mapOutputLimit, compressionLevel: 1, parameters: parameters,
            workDirectory: directory, outputDirectory: directory)
        let task = ReduceTask(id: AttemptID(.reduce, task: 0, attempt: 1), inputs: [ReduceInput(input, partition: 0)])
        try FileSystem.makeDirectory("\(directory)/_temporary", access: .ownerOnly)
        let result = try task.run(J.self, settings: settings, control: AttemptControl())
        let output = try FileDescriptor.open(reading: result.outputPath).readToEnd()
        return (output, result.counters)
    }
}
