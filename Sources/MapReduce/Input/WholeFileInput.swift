/// A whole input file as one record, for jobs such as an inverted index
/// that need to know which file each word came from.
///
/// Non-escapable: the compiler does not let a mapper keep it, or its
/// contents, past the `map` call that receives it.
public struct WholeFile: ~Escapable {
    /// The file's path as given (or as found under a directory given); see `PathBytes`.
    public let path: String
    /// The file's path, byte for byte.
    public var pathBytes: Bytes { Bytes(PathBytes.bytes(of: self.path)) }
    /// The file's bytes in the reader's buffer.
    @usableFromInline let base: UnsafeRawBufferPointer

    @_lifetime(borrow base)
    init(path: String, base: UnsafeRawBufferPointer) {
        self.path = path
        self.base = base
    }

    /// The file's bytes.
    public var contents: Span<UInt8> {
        @_lifetime(copy self)
        @inlinable get { _overrideLifetime(self.base.assumingMemoryBound(to: UInt8.self).span, copying: self) }
    }

    /// The words of the file, by the Unicode letter rule (see `Words`).
    public var words: Words {
        @_lifetime(copy self)
        @inlinable get { _overrideLifetime(Words(self.base), copying: self) }
    }
}

/// Input where each file is one record, never cut; small files are packed several to a split.
/// A file larger than the job's `maxWholeFile` fails the job before any map runs.
public enum WholeFileInput: InputFormat {
    /// A record is one whole file.
    public typealias Record = WholeFile

    /// Packs the files whole into splits, several small ones to a split; a file is never cut.
    public static func splits(of files: [InputFile], splitSize: Int64) -> [InputSplit] {
        InputSplit.packing(files, splitSize: splitSize)
    }

    /// 0: a record starts where its file does.
    public static func offset(of file: WholeFile) -> Int64 { 0 }

    /// True: each record is a file held in memory whole.
    public static var readsWholeFiles: Bool { true }

    /// Reads the split's file into one buffer and hands it to `body` whole; returns its size.
    public static func read(_ split: InputSplit, _ body: (WholeFile) throws -> Void) throws -> Int64 {
        let file = try FileDescriptor.open(reading: split.path)
        try split.checkUnchanged(file)
        let size = Int(split.length)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
        defer { buffer.deallocate() }
        let count = try file.read(at: 0, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size]))
        try body(WholeFile(path: split.path, base: UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
        return Int64(count)
    }
}

extension WholeFileInput {
    /// The default largest file read whole: a task holds one file in memory
    /// at a time, so a worker holds at most its slots times this much.
    public static let defaultMaxFileSize: Int64 = 256 << 20

    /// Throws, naming it, for the first of `files` larger than `limit` bytes.
    static func checkSizes(of files: [InputFile], limit: Int64) throws(JobError) {
        guard let file = files.first(where: { $0.size > limit }) else { return }
        throw JobError("input file \(PathBytes.display(file.path)) is \(file.size) bytes, more than --max-whole-file \(limit): the job reads each file whole into memory")
    }
}
