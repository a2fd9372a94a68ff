/// Gathers the records of a key-value file into blocks and keeps the file's index;
/// the caller writes the bytes it hands back (see `KeyValueFile`).
struct KeyValueBlocks: ~Copyable {
    /// The types of the records, nil once the file is ended (or for text output, never begun).
    private(set) var types: (key: ObjectIdentifier, value: ObjectIdentifier)?
    /// The records of the block being filled.
    private var block = ByteWriter()
    private var blockRecords = 0
    private var index = ByteWriter()
    private var blockCount = 0
    private var scratch = ByteWriter()
    /// Where the block being filled starts in the file.
    private var offset: Int64

    /// Blocks of records of these types, in a file whose header is `headerLength` bytes.
    init(types: (key: ObjectIdentifier, value: ObjectIdentifier)?, headerLength: Int) {
        self.types = types
        self.offset = Int64(headerLength)
    }

    /// Adds one record; returns a full block's bytes to write, valid until the next call.
    mutating func append(key: some KeyCodable, value: some ValueCodable) -> UnsafeRawBufferPointer? {
        self.scratch.removeAll()
        key.encodeKey(to: &self.scratch)
        self.block.appendVarint(UInt64(self.scratch.count))
        self.block.append(self.scratch.bytes)
        self.scratch.removeAll()
        value.encodeValue(to: &self.scratch)
        self.block.appendVarint(UInt64(self.scratch.count))
        self.block.append(self.scratch.bytes)
        self.blockRecords += 1
        return self.block.count >= KeyValueFile.blockTarget ? self.takeBlock() : nil
    }

    /// The last block (if any records are left), then the index and footer: the bytes that end
    /// the file, valid until this value changes or goes.
    mutating func finish() -> UnsafeRawBufferPointer {
        self.types = nil
        if self.blockRecords > 0 { self.indexBlock() } else { self.block.removeAll() }
        self.block.append(self.index.bytes)
        self.block.appendBigEndian(self.offset)
        self.block.appendBigEndian(UInt32(self.blockCount))
        for byte in KeyValueFile.magic { self.block.append(byte) }
        return self.block.bytes
    }

    /// Ends the block being filled: indexes it and returns its bytes, valid until the next call.
    private mutating func takeBlock() -> UnsafeRawBufferPointer {
        self.indexBlock()
        defer { self.block.removeAll() }
        return self.block.bytes
    }

    /// Adds the block being filled to the index.
    private mutating func indexBlock() {
        let bytes = self.block.bytes
        self.index.appendBigEndian(self.offset)
        self.index.appendBigEndian(UInt32(bytes.count))
        self.index.appendBigEndian(UInt32(self.blockRecords))
        self.index.appendBigEndian(CRC32.checksum(bytes))
        self.blockCount += 1
        self.offset += Int64(bytes.count)
        self.blockRecords = 0
    }
}
