/// Finds the partition boundaries of a total-order partitioner: runs the
/// job's mapper over records from splits spread over the input and takes
/// quantiles of the keys it emits.
public enum KeySampler {
    /// The encoded keys that start partitions 1 to `partitions - 1`.
    @inlinable public static func boundaries<J: Job>(
        _ job: J.Type, splits: [InputSplit], partitions: Int, samples: Int, parameters: JobParameters
    ) throws -> [[UInt8]] {
        guard partitions > 1, !splits.isEmpty else { return [] }
        let own = splits.filter { $0.input == nil }
        guard !own.isEmpty else { return [] }
        let chosen = Self.spread(own, count: min(own.count, 10))
        let perSplit = max(1, samples / chosen.count)
        var keys: [[UInt8]] = []
        for split in chosen {
            keys += try Self.keys(J.self, split: split, limit: perSplit, parameters: parameters)
        }
        return Self.quantiles(keys, partitions: partitions)
    }

    /// `count` splits evenly spaced over `splits`.
    @usableFromInline static func spread(_ splits: [InputSplit], count: Int) -> [InputSplit] {
        (0..<count).map { splits[$0 * splits.count / count] }
    }

    /// The encoded keys the mapper emits for the first records of `split`, up to `limit` keys.
    @inlinable static func keys<J: Job>(_ job: J.Type, split: InputSplit, limit: Int, parameters: JobParameters) throws -> [[UInt8]] {
        var collector = MapOutputCollector<J.Map.Key, J.Map.Value>(
            settings: TaskSettings(
                partitions: 1, sortBufferBytes: 1 << 20, compressionLevel: 0, parameters: parameters, workDirectory: "",
                outputDirectory: ""),
            attemptName: "sample", partitioner: .hash, combiner: nil)
        collector.sampleLimit = limit
        var context = MapContext(
            parameters: parameters, inputPath: split.path, attempt: AttemptID(.map, task: 0, attempt: 0), collector: collector)
        var mapper = J.Map()
        try mapper.begin(context: &context)
        do {
            for piece in split.pieces {
                context.currentPath = piece.path
                _ = try J.Map.Input.read(piece) { record in
                    try mapper.map(record, context: &context)
                    if context.collector.samples.count >= limit { throw SamplingDone() }
                }
            }
        } catch is SamplingDone {}
        return context.collector.samples
    }

    @usableFromInline struct SamplingDone: Error {
        @usableFromInline init() {}
    }

    /// The keys at the `partitions - 1` inner quantiles of `keys`.
    @usableFromInline static func quantiles(_ keys: [[UInt8]], partitions: Int) -> [[UInt8]] {
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        guard !sorted.isEmpty else { return [] }
        return (1..<partitions).map { sorted[min(sorted.count - 1, $0 * sorted.count / partitions)] }
    }
}
