/// Where a segment's stored bytes are read from: a file (the segment at its
/// offset) or memory (the segment alone). Shared by the cursors of its runs.
struct SegmentBytes {
    private let file: OpenFile?
    private let memory: [UInt8]
    /// The position of the segment's first byte in `file` or `memory`.
    private let base: Int64

    /// The stored bytes of `input`'s segment.
    init(_ input: ReduceInput) throws {
        switch input.source {
        case .file(let path):
            self.file = try OpenFile(path: path)
            self.memory = []
            self.base = input.segment.offset
        case .memory(let bytes):
            self.file = nil
            self.memory = bytes
            self.base = 0
        }
    }

    /// Reads up to `buffer.count` bytes from `offset` in the segment; returns how many there were.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let file = self.file { return try file.descriptor.read(at: self.base + offset, into: buffer) }
        let start = Int(min(offset, Int64(self.memory.count)))
        let count = min(buffer.count, self.memory.count - start)
        self.memory.withUnsafeBytes { memory in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: memory[start..<(start + count)]))
        }
        return count
    }
}
