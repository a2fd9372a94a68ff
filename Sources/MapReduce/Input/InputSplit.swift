/// A file to read, with its size when the job started.
public struct InputFile: Hashable, Sendable, Codable {
    /// The path as the user gave it, or as found under a directory the user gave.
    public var path: String
    public var size: Int64

    public init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }
}

/// A byte range of one input file: the unit of work of one map task.
public struct InputSplit: Hashable, Sendable, Codable, CustomStringConvertible {
    public var path: String
    /// The first byte of the range.
    public var start: Int64
    /// The number of bytes in the range.
    public var length: Int64
    /// For a job with named inputs: the input (and so the mapper) this split belongs to.
    public var input: String?

    public init(path: String, start: Int64, length: Int64, input: String? = nil) {
        self.path = path
        self.start = start
        self.length = length
        self.input = input
    }

    /// One past the last byte of the range.
    public var end: Int64 { self.start + self.length }

    public var description: String { "\(self.path) bytes \(self.start)-\(self.end)" }
}

/// How a job's input files become splits, and splits become records.
public protocol InputFormat {
    /// What the mapper gets: a `Line`, a `WholeFile`, ...
    associatedtype Record

    /// Cuts `files` into splits of about `splitSize` bytes.
    static func splits(of files: [InputFile], splitSize: Int64) throws -> [InputSplit]

    /// Reads the records of `split` in order, handing each to `body`, which
    /// must not keep it past the call. Returns the number of input bytes read.
    static func read(_ split: InputSplit, _ body: (Record) throws -> Void) throws -> Int64

    /// Where `record` starts in its file, for error messages.
    static func offset(of record: Record) -> Int64
}
