/// The length of the records of a `FixedLengthInput`.
public protocol RecordLength: SendableMetatype {
    /// The number of bytes in each record.
    static var bytes: Int { get }
}

/// One fixed-length record: its bytes and its offset in its file.
///
/// Non-escapable: the compiler does not let a mapper keep it, or its bytes,
/// past the `map` call that receives it.
public struct FixedLengthRecord: ~Escapable {
    /// The record's bytes in the reader's buffer.
    @usableFromInline let base: UnsafeRawBufferPointer
    /// The offset of the record's first byte in its file.
    public let offset: Int64

    @_lifetime(borrow base)
    @inlinable init(base: UnsafeRawBufferPointer, offset: Int64) {
        self.base = base
        self.offset = offset
    }

    /// The record's bytes.
    public var bytes: Span<UInt8> {
        @_lifetime(copy self)
        @inlinable get { _overrideLifetime(self.base.assumingMemoryBound(to: UInt8.self).span, copying: self) }
    }
}

/// Binary input of records of `Length.bytes` bytes each, with no line
/// structure (any byte may occur). Splits start and end on record
/// boundaries; a file that is not a whole number of records is an error.
public enum FixedLengthInput<Length: RecordLength>: InputFormat {
    /// A record is `Length.bytes` bytes.
    public typealias Record = FixedLengthRecord

    /// Cuts each file into ranges of as many whole records as fit in `splitSize` bytes (at
    /// least one); throws for a file that is not a whole number of records.
    public static func splits(of files: [InputFile], splitSize: Int64) throws -> [InputSplit] {
        let length = Int64(Length.bytes)
        let step = max(length, splitSize / length * length)
        var splits: [InputSplit] = []
        for file in files {
            guard file.size % length == 0 else {
                throw JobError("\(file.path) is \(file.size) bytes, not a whole number of \(length)-byte records")
            }
            var start: Int64 = 0
            while start < file.size {
                splits.append(InputSplit(path: file.path, start: start, length: min(step, file.size - start)))
                start += step
            }
        }
        return splits
    }

    /// The record's byte offset in its file.
    public static func offset(of record: FixedLengthRecord) -> Int64 { record.offset }

    /// Reads the records of the split's byte range in order; returns the number of bytes read.
    public static func read(_ split: InputSplit, _ body: (FixedLengthRecord) throws -> Void) throws -> Int64 {
        let length = Length.bytes
        let file = try FileDescriptor.open(reading: split.path)
        try split.checkUnchanged(file)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, (1 << 20) / length * length), alignment: 16)
        defer { chunk.deallocate() }
        var position = split.start
        while position < split.end {
            let wanted = Int(min(Int64(chunk.count), split.end - position))
            let read = try file.read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<wanted]))
            guard read == wanted else {
                throw SpillFormatError(.truncated, "\(split.path) ended at byte \(position + Int64(read)) while reading \(split)")
            }
            for start in stride(from: 0, to: read, by: length) {
                try body(FixedLengthRecord(base: UnsafeRawBufferPointer(rebasing: chunk[start..<(start + length)]), offset: position + Int64(start)))
            }
            position += Int64(read)
        }
        return position - split.start
    }
}
