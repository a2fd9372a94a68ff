import Foundation
import MapReduce

/// A job's journal file (see docs/journal.md): the magic `MRJRNL01`, then
/// records appended one after another, each `| length: u32 | CRC-32 of the
/// JSON: u32 | JSON |` (big-endian). Reading takes the longest prefix of
/// whole, intact records, so a crash at any byte leaves a readable journal.
final class JournalFile {
    static let magic = Array("MRJRNL01".utf8)
    /// The journal's name in the output directory's `_temporary`.
    static let name = "_journal"
    /// The longest record a reader accepts.
    static let maxRecordLength = 16 << 20

    /// What a journal holds.
    struct Contents {
        /// Its intact records, in order.
        var records: [JournalRecord]
        /// The bytes they take, the magic included.
        var length: Int64
        /// The bytes after them: a record cut short or damaged by a crash, or nothing.
        var ignored: Int64
    }

    private let file: FileDescriptor

    private init(file: consuming FileDescriptor) {
        self.file = file
    }

    /// Starts a new journal in `directory` whose first record is `first`, durably (the directory's entry too).
    static func create(in directory: String, first: JournalRecord) throws -> JournalFile {
        let journal = JournalFile(file: try .open(writing: "\(directory)/\(Self.name)", access: .ownerOnly))
        try Self.magic.withUnsafeBytes { try journal.file.write($0) }
        try journal.append(first, sync: true)
        try Directory(path: directory).sync()
        return journal
    }

    /// Opens the journal at `path` to append to, after its first `length` bytes
    /// (its readable prefix: a torn tail is cut off first).
    static func reopen(at path: String, keeping length: Int64) throws -> JournalFile {
        let journal = JournalFile(file: try .open(appending: path, access: .ownerOnly))
        try journal.file.truncate(to: length)
        try journal.file.sync()
        return journal
    }

    /// Appends `record`; with `sync`, returns once it is durable.
    func append(_ record: JournalRecord, sync: Bool) throws {
        let json = try JSONEncoder().encode(record)
        var bytes = ByteWriter(capacity: json.count + 8)
        bytes.appendBigEndian(UInt32(json.count))
        json.withUnsafeBytes { bytes.appendBigEndian(CRC32.checksum($0)) }
        bytes.append(contentsOf: Array(json))
        try self.file.write(bytes.bytes)
        if sync { try self.file.sync() }
    }

    /// Reads the journal at `path`; throws if there is none or it is not a journal.
    static func read(at path: String) throws -> Contents {
        let bytes = try FileDescriptor.open(reading: path).readToEnd()
        guard bytes.starts(with: Self.magic) else { throw JobError("\(PathBytes.display(path)) is not a job journal") }
        var records: [JournalRecord] = []
        var position = Self.magic.count
        let decoder = JSONDecoder()
        while bytes.count - position >= 8 {
            let length = Int(bytes[position..<position + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            let crc = bytes[position + 4..<position + 8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard length <= Self.maxRecordLength, bytes.count - position - 8 >= length else { break }
            let json = bytes[position + 8..<position + 8 + length]
            guard json.withUnsafeBytes({ CRC32.checksum($0) }) == crc,
                let record = try? decoder.decode(JournalRecord.self, from: Data(json))
            else { break }
            records.append(record)
            position += 8 + length
        }
        return Contents(records: records, length: Int64(position), ignored: Int64(bytes.count - position))
    }
}
