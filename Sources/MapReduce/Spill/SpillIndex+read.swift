extension SpillIndex {
    /// Reads and checks the index of the spill or map output file at `path`.
    public static func read(from path: String) throws -> SpillIndex {
        let file = try FileDescriptor.open(reading: path)
        let size = try file.size()
        let footerSize = Int64(SpillFormat.footerSize)
        let magicSize = Int64(SpillFormat.magic.count)
        guard size >= magicSize + footerSize else {
            throw SpillFormatError(.truncated, "\(path): \(size) bytes is too short for a spill file")
        }
        var header = [UInt8](repeating: 0, count: SpillFormat.magic.count)
        _ = try header.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }
        guard header == SpillFormat.magic else { throw SpillFormatError(.notASpillFile, "\(path): does not start with MRSPILL1") }
        var footerBytes = [UInt8](repeating: 0, count: SpillFormat.footerSize)
        _ = try footerBytes.withUnsafeMutableBytes { try file.read(at: size - footerSize, into: $0) }
        return try footerBytes.withUnsafeBytes { footer in
            var reader = ByteReader(footer)
            let indexOffset = try Self.readLength(&reader, path)
            let partitions = Int(try reader.readBigEndian(as: UInt32.self))
            let indexCRC = try reader.readBigEndian(as: UInt32.self)
            guard Array(reader.readRest()) == SpillFormat.magic else {
                throw SpillFormatError(.notASpillFile, "\(path): no MRSPILL1 footer")
            }
            let indexSize = Int64(partitions) * Int64(SpillFormat.indexEntrySize)
            guard partitions <= SpillFormat.maxPartitions, indexOffset >= magicSize,
                indexOffset == size - footerSize - indexSize
            else {
                throw SpillFormatError(
                    .corrupt, "\(path): index of \(partitions) partitions at \(indexOffset) does not fit a file of \(size) bytes")
            }
            var indexBytes = [UInt8](repeating: 0, count: Int(indexSize))
            _ = try indexBytes.withUnsafeMutableBytes { try file.read(at: indexOffset, into: $0) }
            return try indexBytes.withUnsafeBytes { index in
                let actual = CRC32.checksum(index)
                guard actual == indexCRC else {
                    throw SpillFormatError(.checksumMismatch, "\(path): index crc32 \(actual), footer says \(indexCRC)")
                }
                var reader = ByteReader(index)
                var segments: [Segment] = []
                var expectedOffset = magicSize
                for partition in 0..<partitions {
                    let segment = Segment(
                        offset: try Self.readLength(&reader, path),
                        length: try Self.readLength(&reader, path),
                        rawLength: try Self.readLength(&reader, path),
                        records: try Self.readLength(&reader, path),
                        crc32: try reader.readBigEndian(as: UInt32.self),
                        runs: Int(try reader.readBigEndian(as: UInt32.self)))
                    guard segment.offset == expectedOffset, segment.length <= indexOffset - segment.offset,
                        (segment.records == 0) == (segment.runs == 0), segment.runs <= Segment.maxRuns
                    else {
                        throw SpillFormatError(.corrupt, "\(path): partition \(partition)'s index entry is impossible")
                    }
                    expectedOffset += segment.length
                    segments.append(segment)
                }
                return SpillIndex(segments: segments)
            }
        }
    }

    /// A u64 that must fit an `Int64`.
    private static func readLength(_ reader: inout ByteReader, _ path: String) throws -> Int64 {
        guard let value = Int64(exactly: try reader.readBigEndian(as: UInt64.self)) else {
            throw SpillFormatError(.corrupt, "\(path): a length or offset beyond any file")
        }
        return value
    }
}

extension SpillIndex {
    /// Reads the records of partition `partition` of the spill or map output
    /// file at `path` in key order (its runs merged), checking every block and
    /// the segment's CRC-32. The bytes handed to `body` are valid only during the call.
    public func forEachRecord(
        in path: String, partition: Int, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard self.segments.indices.contains(partition) else {
            throw SpillFormatError(.corrupt, "\(path) has no partition \(partition)")
        }
        let input = ReduceInput(source: .file(path), segment: self.segments[partition], name: "\(path) partition \(partition)")
        let merger = RecordMerger(try SegmentCursor.open(input))
        while try merger.advance() { try body(merger.key, merger.value) }
    }
}
