#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Text files read line by line: the default input of a `Mapper`.
///
/// Files larger than the split size are cut into byte ranges; smaller ones
/// are packed, whole, several to a split. A line belongs to the split in which
/// it starts: a split that does not start at 0 skips the partial line at
/// its start, and reads past its end to finish its last line (Hadoop's
/// LineRecordReader rule), so every line is read exactly once whatever the
/// split size. Lines end at `\n`; a trailing `\r` is dropped.
public enum TextInput: InputFormat {
    /// A record is one line.
    public typealias Record = Line

    /// Cuts each file larger than `splitSize` into ranges of `splitSize` bytes and packs the
    /// smaller ones whole, several to a split; an empty file makes no split.
    public static func splits(of files: [InputFile], splitSize: Int64) -> [InputSplit] {
        InputSplit.byteRanges(of: files.filter { $0.size > 0 }, splitSize: splitSize)
    }

    /// The line's byte offset in its file.
    public static func offset(of line: Line) -> Int64 { line.offset }

    /// Reads the lines that start in the split's byte range, the last one finished past its
    /// end; returns the number of bytes read.
    public static func read(_ split: InputSplit, _ body: (Line) throws -> Void) throws -> Int64 {
        let file = try FileDescriptor.open(reading: split.path)
        try split.checkUnchanged(file)
        var reader = LineReader(file: file, split: split)
        return try reader.forEachLine(body)
    }
}

/// Reads the lines of one split through a buffer that grows to fit the longest line.
struct LineReader: ~Copyable {
    private let file: FileDescriptor
    private let split: InputSplit
    private var buffer: UnsafeMutableRawBufferPointer
    /// The file offset of `buffer[0]`.
    private var bufferOffset: Int64
    /// Bytes of `buffer` holding file data.
    private var filled = 0
    /// The next unread byte of `buffer`.
    private var cursor = 0
    private var atEndOfFile = false

    /// How much to read at once while inside the split, and once past its end.
    private static let chunkSize = 1 << 20
    private static let tailChunkSize = 1 << 14

    init(file: consuming FileDescriptor, split: InputSplit) {
        self.file = file
        self.split = split
        self.buffer = .allocate(byteCount: Self.chunkSize, alignment: 16)
        // A split not at 0 starts one byte early, so that skipping through
        // the first newline lands on the first line that starts in it.
        self.bufferOffset = max(split.start - 1, 0)
    }

    deinit {
        self.buffer.deallocate()
    }

    /// Calls `body` with each line that starts in the split; returns the bytes those lines take.
    mutating func forEachLine(_ body: (Line) throws -> Void) throws -> Int64 {
        if self.split.start > 0 {
            guard try self.nextLineEnd() != nil else { return 0 }
        }
        let firstLineStart = self.bufferOffset + Int64(self.cursor)
        var lineStart = firstLineStart
        while lineStart < self.split.end {
            guard let lineEnd = try self.nextLineEnd() else { break }
            let start = Int(lineStart - self.bufferOffset)
            var end = lineEnd
            if end > start, self.buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            try body(Line(base: UnsafeRawBufferPointer(rebasing: self.buffer[start..<end]), offset: lineStart))
            lineStart = self.bufferOffset + Int64(self.cursor)
        }
        return lineStart - firstLineStart
    }

    /// Finds the end of the line at the cursor and moves the cursor past
    /// its newline. Returns the buffer index where the line's content ends,
    /// or nil at the end of the file with no line left.
    private mutating func nextLineEnd() throws -> Int? {
        var scanFrom = self.cursor
        while true {
            let unread = UnsafeRawBufferPointer(rebasing: self.buffer[scanFrom..<self.filled])
            if let base = unread.baseAddress, let hit = memchr(base, Int32(UInt8(ascii: "\n")), unread.count) {
                let end = scanFrom + (base.distance(to: UnsafeRawPointer(hit)))
                self.cursor = end + 1
                return end
            }
            if self.atEndOfFile {
                guard self.cursor < self.filled else { return nil }
                self.cursor = self.filled
                return self.filled
            }
            let scanned = self.filled - self.cursor
            try self.fill()
            scanFrom = self.cursor + scanned
        }
    }

    /// Moves the unread bytes to the front of the buffer (growing it if
    /// they fill it) and reads more after them.
    private mutating func fill() throws {
        let unread = self.filled - self.cursor
        if self.cursor > 0 {
            self.buffer.baseAddress!.copyMemory(from: self.buffer.baseAddress! + self.cursor, byteCount: unread)
            self.bufferOffset += Int64(self.cursor)
            self.cursor = 0
            self.filled = unread
        }
        if self.filled == self.buffer.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: self.buffer.count * 2, alignment: 16)
            larger.baseAddress!.copyMemory(from: self.buffer.baseAddress!, byteCount: self.filled)
            self.buffer.deallocate()
            self.buffer = larger
        }
        let readOffset = self.bufferOffset + Int64(self.filled)
        let wanted = readOffset < self.split.end ? Self.chunkSize : Self.tailChunkSize
        let room = min(self.buffer.count - self.filled, wanted)
        let target = UnsafeMutableRawBufferPointer(rebasing: self.buffer[self.filled..<(self.filled + room)])
        let n = try self.file.read(at: readOffset, into: target)
        self.filled += n
        if n < room { self.atEndOfFile = true }
    }
}
