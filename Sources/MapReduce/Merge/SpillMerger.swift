/// Merges the spill files of a map task into its map output, partition by partition.
enum SpillMerger {
    /// Merges `spills` into a new file at `path`; with `combine`, the values
    /// of each key are folded into one. Returns the index and the records written.
    static func merge(
        _ spills: [MapOutput], into path: String, partitions: Int, compressionLevel: Int,
        combine: ((inout ByteWriter, UnsafeRawBufferPointer) throws -> Void)?
    ) throws -> (SpillIndex, Int) {
        var writer = try SpillWriter.create(path: path, partitions: partitions, compressionLevel: compressionLevel)
        var records = 0
        var key = ByteWriter()
        var accumulated = ByteWriter()
        for partition in 0..<partitions {
            let cursors = try spills.compactMap { spill -> SegmentCursor? in
                let segment = spill.index.segments[partition]
                guard segment.records > 0 else { return nil }
                return try SegmentCursor(path: spill.path, segment: segment, name: "\(spill.path) partition \(partition)")
            }
            let merger = RecordMerger(cursors)
            var hasRecord = try merger.advance()
            while hasRecord {
                guard let combine else {
                    try writer.append(partition: partition, key: merger.key, value: merger.value)
                    records += 1
                    hasRecord = try merger.advance()
                    continue
                }
                key.removeAll()
                key.append(merger.key)
                accumulated.removeAll()
                accumulated.append(merger.value)
                hasRecord = try merger.advance()
                while hasRecord, compareBytes(merger.key, key.bytes) == 0 {
                    try combine(&accumulated, merger.value)
                    hasRecord = try merger.advance()
                }
                try writer.append(partition: partition, key: key.bytes, value: accumulated.bytes)
                records += 1
            }
        }
        return (try writer.finish(), records)
    }
}
