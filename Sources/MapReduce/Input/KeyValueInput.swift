/// One record of a key-value file: its key and value, decoded, and where its block starts.
public struct KeyValueRecord<Key: KeyCodable, Value: ValueCodable> {
    /// The record's key.
    public let key: Key
    /// The record's value.
    public let value: Value
    /// The offset in its file of the block that holds the record, for error messages.
    public let blockOffset: Int64
}

/// The key-value files that a job with `outputFormat` `.keyValue(Key.self, Value.self)`
/// writes, read as typed records with no text to parse: the input of the next job
/// of a chain (see docs/key-value-files.md).
///
/// Splits are byte ranges; a block belongs to the split in which it starts.
/// Every file is checked before the job starts: a file that is not a key-value
/// file, or holds other types, fails the job with one line naming it. Each
/// block's CRC-32 is checked as it is read.
public enum KeyValueInput<Key: KeyCodable, Value: ValueCodable>: InputFormat {
    /// A record is one key and its value, decoded.
    public typealias Record = KeyValueRecord<Key, Value>

    /// Checks that each file is a key-value file of `Key` and `Value` records, then cuts
    /// the files larger than `splitSize` into ranges of `splitSize` bytes and packs the
    /// smaller ones whole, several to a split.
    public static func splits(of files: [InputFile], splitSize: Int64) throws -> [InputSplit] {
        for file in files { _ = try Self.layout(of: file.path) }
        return InputSplit.byteRanges(of: files, splitSize: splitSize)
    }

    /// The offset of the block that holds the record.
    public static func offset(of record: Record) -> Int64 { record.blockOffset }

    /// Reads the records of the blocks that start in the split's byte range, checking each
    /// block's CRC-32; returns the number of block bytes read.
    public static func read(_ split: InputSplit, _ body: (Record) throws -> Void) throws -> Int64 {
        let file = try FileDescriptor.open(reading: split.path)
        try split.checkUnchanged(file)
        let layout = try Self.layout(of: file, path: split.path)
        var buffer = [UInt8]()
        var bytes: Int64 = 0
        for block in layout.blocks where block.offset >= split.start && block.offset < split.end {
            if buffer.count < block.length { buffer = [UInt8](repeating: 0, count: block.length) }
            try buffer.withUnsafeMutableBytes { buffer in
                let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[..<block.length])
                guard try file.read(at: block.offset, into: bytes) == block.length else {
                    throw JobError("\(PathBytes.display(split.path)): the block at \(block.offset) is cut short")
                }
                try Self.decode(UnsafeRawBufferPointer(bytes), block, path: split.path, body)
            }
            bytes += Int64(block.length)
        }
        return bytes
    }

    /// Checks `block`'s checksum and record count and hands each record to `body`.
    static func decode(_ bytes: UnsafeRawBufferPointer, _ block: KeyValueFile.Block, path: String, _ body: (Record) throws -> Void) throws {
        guard CRC32.checksum(bytes) == block.checksum else {
            throw JobError("\(PathBytes.display(path)): the block at \(block.offset) does not match its checksum")
        }
        var reader = ByteReader(bytes)
        var records = 0
        while !reader.isAtEnd {
            let key: Key, value: Value
            do {
                key = try Key.decodeKey(try reader.readBytes(Int(clamping: try reader.readVarint())))
                value = try Value.decodeValue(try reader.readBytes(Int(clamping: try reader.readVarint())))
            } catch {
                throw JobError("\(PathBytes.display(path)): record \(records) of the block at \(block.offset) does not decode: \(error)")
            }
            records += 1
            try body(Record(key: key, value: value, blockOffset: block.offset))
        }
        guard records == block.records else {
            throw JobError("\(PathBytes.display(path)): the block at \(block.offset) holds \(records) records, not \(block.records)")
        }
    }

    static func layout(of path: String) throws -> KeyValueFile.Layout {
        let file = try FileDescriptor.open(reading: path)
        return try Self.layout(of: file, path: path)
    }

    static func layout(of file: borrowing FileDescriptor, path: String) throws -> KeyValueFile.Layout {
        try Self.checked(KeyValueFile.Layout(size: try file.size(), path: path) { try file.read(at: $0, into: $1) }, path: path)
    }

    /// `layout`, checked to be of a file of records of `Key` and `Value`.
    static func checked(_ layout: KeyValueFile.Layout, path: String) throws -> KeyValueFile.Layout {
        let key = KeyValueFile.typeName(Key.self), value = KeyValueFile.typeName(Value.self)
        guard layout.keyType == key, layout.valueType == value else {
            throw JobError("\(PathBytes.display(path)) holds records of \(layout.keyType) and \(layout.valueType), not of \(key) and \(value)")
        }
        return layout
    }

    /// Every record of the key-value file whose bytes are `bytes`, named `name` in errors: for the test kit.
    package static func records(in bytes: [UInt8], name: String) throws -> [Record] {
        try bytes.withUnsafeBytes { file in
            let layout = try Self.checked(
                KeyValueFile.Layout(size: Int64(file.count), path: name) { offset, buffer in
                    let available = max(0, min(buffer.count, file.count - Int(offset)))
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: file[Int(offset)..<(Int(offset) + available)]))
                    return available
                }, path: name)
            var records: [Record] = []
            for block in layout.blocks {
                let bytes = UnsafeRawBufferPointer(rebasing: file[Int(block.offset)..<(Int(block.offset) + block.length)])
                try Self.decode(bytes, block, path: name) { records.append($0) }
            }
            return records
        }
    }
}
