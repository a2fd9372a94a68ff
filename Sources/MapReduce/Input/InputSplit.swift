/// A file to read, with its size when the job started.
public struct InputFile: Hashable, Sendable, Codable {
    /// The path as the user gave it, or as found under a directory the user gave.
    public var path: String
    /// The file's size in bytes when the job started.
    public var size: Int64

    /// The file at `path`, of `size` bytes.
    public init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }
}

/// A byte range of one input file, and possibly whole small files after it:
/// the unit of work of one map task.
public struct InputSplit: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The path of the file the range is in.
    public var path: String
    /// The first byte of the range.
    public var start: Int64
    /// The number of bytes in the range.
    public var length: Int64
    /// For a job with named inputs: the input (and so the mapper) this split belongs to.
    public var input: String?
    /// Small files read after this range by the same task, so that many small
    /// files make a few tasks rather than one each.
    public var more: [InputSplit]

    /// The `length` bytes of the file at `path` from byte `start`, of the named input `input`
    /// (nil for the job's own), with the whole files `more` read after them.
    public init(path: String, start: Int64, length: Int64, input: String? = nil, more: [InputSplit] = []) {
        self.path = path
        self.start = start
        self.length = length
        self.input = input
        self.more = more
    }

    /// This range and the files after it, in reading order.
    public var pieces: [InputSplit] {
        var first = self
        first.more = []
        return [first] + self.more.map { piece in
            var piece = piece
            piece.input = self.input
            return piece
        }
    }

    /// Files larger than `splitSize` cut into byte ranges of `splitSize`, and the smaller ones
    /// packed whole, several to a split: the splits of a format whose records a reader finds
    /// from any byte (lines, blocks).
    static func byteRanges(of files: [InputFile], splitSize: Int64) -> [InputSplit] {
        precondition(splitSize > 0, "split size must be positive")
        var splits: [InputSplit] = []
        var small: [InputFile] = []
        for file in files {
            guard file.size > splitSize else {
                small.append(file)
                continue
            }
            var start: Int64 = 0
            while start < file.size {
                let length = min(splitSize, file.size - start)
                splits.append(InputSplit(path: file.path, start: start, length: length))
                start += length
            }
        }
        return splits + InputSplit.packing(small, splitSize: splitSize)
    }

    /// Packs whole small files into splits (Hadoop's CombineFileInputFormat):
    /// each file counts as at least `openCost` bytes, for opening it costs
    /// about as much as reading that much, and a split holds up to
    /// `splitSize` of them: ten thousand 1 KB files make 10 tasks, not 10,000.
    static func packing(_ files: [InputFile], splitSize: Int64, openCost: Int64 = 64 << 10) -> [InputSplit] {
        var splits: [InputSplit] = []
        var pending: [InputSplit] = []
        var pendingCost: Int64 = 0
        func flush() {
            guard let first = pending.first else { return }
            splits.append(InputSplit(path: first.path, start: 0, length: first.length, more: Array(pending.dropFirst())))
            pending = []
            pendingCost = 0
        }
        for file in files {
            let cost = max(file.size, openCost)
            if !pending.isEmpty, pendingCost + cost > splitSize { flush() }
            pending.append(InputSplit(path: file.path, start: 0, length: file.size))
            pendingCost += cost
        }
        flush()
        return splits
    }

    /// One past the last byte of the range.
    public var end: Int64 { self.start + self.length }

    /// The file and byte range, and how many files follow, for messages.
    public var description: String {
        "\(self.path) bytes \(self.start)-\(self.end)" + (self.more.isEmpty ? "" : " and \(self.more.count) more files")
    }
}

/// How a job's input files become splits, and splits become records.
public protocol InputFormat: SendableMetatype {
    /// What the mapper gets: a `Line`, a `WholeFile`, ... A view into the reader's
    /// buffer is non-escapable, so that it cannot outlive the `map` call.
    associatedtype Record: ~Escapable

    /// Cuts `files` into splits of about `splitSize` bytes.
    static func splits(of files: [InputFile], splitSize: Int64) throws -> [InputSplit]

    /// Reads the records of `split` in order, handing each to `body`, which
    /// must not keep it past the call. Returns the number of input bytes read.
    static func read(_ split: InputSplit, _ body: (Record) throws -> Void) throws -> Int64

    /// Where `record` starts in its file, for error messages.
    static func offset(of record: Record) -> Int64

    /// Whether a record is a whole file, held in memory at once, so that
    /// the job refuses files larger than `--max-whole-file` before it starts.
    static var readsWholeFiles: Bool { get }
}

extension InputFormat {
    /// False by default: a record is a part of a file.
    public static var readsWholeFiles: Bool { false }
}

extension InputSplit {
    /// Throws if the file is now shorter than the split says: it changed
    /// since the job started, and reading it would silently lose records.
    func checkUnchanged(_ file: borrowing FileDescriptor) throws {
        let size = try file.size()
        guard size >= self.end else {
            throw JobError("input file \(PathBytes.display(self.path)) is now \(size) bytes, shorter than when the job started (it was read up to byte \(self.end))")
        }
    }
}
