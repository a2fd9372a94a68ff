/// The layout of a key-value file (docs/key-value-files.md): a header naming the
/// key and value types, blocks of records, an index of the blocks, and a footer.
///
///     header = "MRKV" version:u8 keyTypeLength:varint keyType valueTypeLength:varint valueType
///     block  = (keyLength:varint key valueLength:varint value)*
///     index  = (offset:u64 length:u32 records:u32 crc32:u32)*        one per block
///     footer = indexOffset:u64 blockCount:u32 "MRKV"
///
/// Integers are big-endian; keys and values are in their `KeyCodable` and
/// `ValueCodable` encodings.
public enum KeyValueFile {
    static let magic: [UInt8] = Array("MRKV".utf8)
    static let version: UInt8 = 1
    static let footerSize = 16
    static let indexEntrySize = 20
    /// A block ends once it holds this many bytes or more (so one larger record ends the block it joins).
    static let blockTarget = 64 << 10
    /// The longest header a reader reads, and so the longest one a writer may write.
    static let headerLimit = 64 << 10

    /// The name a type goes by in headers: its fully qualified Swift name, the same in every
    /// process. (For a private or local type, Swift names an "unknown context at $<address>",
    /// an address that changes from process to process; it is left out.)
    static func typeName(_ type: Any.Type) -> String {
        String(reflecting: type).replacing(/\(unknown context at \$[0-9a-f]+\)/, with: "(private)")
    }

    /// One block: where it starts, its length, its records and the CRC-32 of its bytes.
    struct Block: Hashable {
        var offset: Int64
        var length: Int
        var records: Int
        var checksum: UInt32
    }

    /// What a file's header, index and footer say, checked against each other and the file's size.
    struct Layout {
        var keyType: String
        var valueType: String
        var blocks: [Block]

        /// Reads and checks the layout of a file of `size` bytes, named `path` in errors, that
        /// `read` reads: it fills its buffer from an offset and returns how much it filled.
        init(size: Int64, path: String, read: (Int64, UnsafeMutableRawBufferPointer) throws -> Int) throws {
            func invalid(_ reason: String) -> JobError { JobError("\(PathBytes.display(path)) is not a key-value file: \(reason)") }
            let headerPrefix = 5
            guard size >= Int64(headerPrefix + 2 + KeyValueFile.footerSize) else { throw invalid("it is \(size) bytes") }
            var footer = [UInt8](repeating: 0, count: KeyValueFile.footerSize)
            guard try footer.withUnsafeMutableBytes({ try read(size - Int64(KeyValueFile.footerSize), $0) }) == footer.count,
                Array(footer[12...]) == KeyValueFile.magic
            else { throw invalid("no footer") }
            let headLength = Int(min(size, Int64(KeyValueFile.headerLimit)))
            var head = [UInt8](repeating: 0, count: headLength)
            guard try head.withUnsafeMutableBytes({ try read(0, $0) }) == headLength,
                Array(head[0..<4]) == KeyValueFile.magic
            else { throw invalid("no header") }
            guard head[4] == KeyValueFile.version else { throw invalid("version \(head[4]), not \(KeyValueFile.version)") }
            let header: (keyType: String, valueType: String, end: Int)
            do {
                header = try head.withUnsafeBytes { try Self.parseHeader(UnsafeRawBufferPointer(rebasing: $0[headerPrefix...])) }
            } catch {
                throw invalid("its header is cut short (\(error))")
            }
            let (keyType, valueType, headerEnd) = (header.keyType, header.valueType, headerPrefix + header.end)
            let (indexOffset, blockCount) = footer.withUnsafeBytes { bytes in
                (Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)), Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))))
            }
            let indexEnd = size - Int64(KeyValueFile.footerSize)
            guard indexOffset >= Int64(headerEnd), indexOffset <= indexEnd,
                indexEnd - indexOffset == Int64(blockCount) * Int64(KeyValueFile.indexEntrySize)
            else { throw invalid("its index does not fit its size") }
            var index = [UInt8](repeating: 0, count: blockCount * KeyValueFile.indexEntrySize)
            guard try index.withUnsafeMutableBytes({ try read(indexOffset, $0) }) == index.count else {
                throw invalid("its index is cut short")
            }
            let blocks = index.withUnsafeBytes { bytes in
                (0..<blockCount).map { entry in
                    let at = entry * KeyValueFile.indexEntrySize
                    return Block(
                        offset: Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)),
                        length: Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self))),
                        records: Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self))),
                        checksum: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self)))
                }
            }
            var next = Int64(headerEnd)
            for (number, block) in blocks.enumerated() {
                guard block.offset == next, block.length > 0 else { throw invalid("block \(number) is not where the one before ends") }
                next += Int64(block.length)
            }
            guard next == indexOffset else { throw invalid("its blocks do not end where its index starts") }
            self.keyType = keyType
            self.valueType = valueType
            self.blocks = blocks
        }

        /// The type names after the magic and version, and where they end.
        private static func parseHeader(_ bytes: UnsafeRawBufferPointer) throws -> (keyType: String, valueType: String, end: Int) {
            var reader = ByteReader(bytes)
            let key = try reader.readBytes(Int(clamping: try reader.readVarint()))
            let value = try reader.readBytes(Int(clamping: try reader.readVarint()))
            return (String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self), reader.position)
        }
    }

    /// The header of a file in `format`: none for text.
    static func header(of format: OutputFormat) -> ByteWriter {
        var writer = ByteWriter()
        guard case .keyValue(_, _, let keyType, let valueType) = format.kind else { return writer }
        precondition(keyType.utf8.count + valueType.utf8.count < Self.headerLimit - 32, "type names longer than a header holds")
        for byte in Self.magic { writer.append(byte) }
        writer.append(Self.version)
        writer.appendVarint(UInt64(keyType.utf8.count))
        writer.append(contentsOf: keyType.utf8)
        writer.appendVarint(UInt64(valueType.utf8.count))
        writer.append(contentsOf: valueType.utf8)
        return writer
    }
}
