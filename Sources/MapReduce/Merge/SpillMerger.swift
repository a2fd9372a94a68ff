/// Merges sorted segments into a new spill format file: a map task's spills
/// into its map output (or into an intermediate file, in a bounded merge's
/// pass), and a reduce task's inputs into an intermediate file.
enum SpillMerger {
    /// Merges `spills` into a new file at `path`, partition by partition; with
    /// `combine`, the values of each key are folded into one. Returns the
    /// index and the records written. Stops, throwing `AttemptCancelled`, at
    /// the first record after `control` is cancelled.
    static func merge(
        _ spills: [MapOutput], into path: String, partitions: Int, compressionLevel: Int,
        combine: ((inout ByteWriter, UnsafeRawBufferPointer) throws -> Void)?, control: AttemptControl
    ) throws -> (SpillIndex, Int) {
        var writer = try SpillWriter.create(path: path, partitions: partitions, compressionLevel: compressionLevel)
        var records = 0
        for partition in 0..<partitions {
            let inputs = spills.map { ReduceInput($0, partition: partition) }.filter { $0.segment.records > 0 }
            records += try self.write(
                RecordMerger(try inputs.flatMap(SegmentCursor.open)), to: &writer, partition: partition, combine: combine,
                control: control)
        }
        return (try writer.finish(), records)
    }

    /// Merges `inputs`, segments of one partition, into a new file at `path`
    /// with a single segment, and returns it as an input. Stops, throwing
    /// `AttemptCancelled`, at the first record after `control` is cancelled.
    static func merge(_ inputs: [ReduceInput], into path: String, compressionLevel: Int, control: AttemptControl) throws -> ReduceInput {
        var writer = try SpillWriter.create(path: path, partitions: 1, compressionLevel: compressionLevel)
        try self.write(RecordMerger(try inputs.flatMap(SegmentCursor.open)), to: &writer, partition: 0, combine: nil, control: control)
        let index = try writer.finish()
        return ReduceInput(source: .file(path), segment: index.segments[0], name: path)
    }

    /// Writes what `merger` yields into `partition`; returns the records written.
    @discardableResult private static func write(
        _ merger: RecordMerger, to writer: inout SpillWriter, partition: Int,
        combine: ((inout ByteWriter, UnsafeRawBufferPointer) throws -> Void)?, control: AttemptControl
    ) throws -> Int {
        var records = 0
        var key = ByteWriter()
        var accumulated = ByteWriter()
        var hasRecord = try merger.advance()
        while hasRecord {
            if control.isCancelled { throw AttemptCancelled() }
            guard let combine else {
                try writer.append(partition: partition, key: merger.key, value: merger.value)
                records += 1
                hasRecord = try merger.advance()
                continue
            }
            key.removeAll()
            key.append(merger.key)
            let prefix = merger.prefix
            accumulated.removeAll()
            accumulated.append(merger.value)
            hasRecord = try merger.advance()
            while hasRecord, merger.currentKeyEquals(key.bytes, prefix: prefix) {
                try combine(&accumulated, merger.value)
                hasRecord = try merger.advance()
            }
            try writer.append(partition: partition, key: key.bytes, value: accumulated.bytes)
            records += 1
        }
        return records
    }
}
