/// Writes a file through a buffer and counts what it wrote.
public struct FileWriter: ~Copyable {
    private var file: FileDescriptor
    private var buffer: ByteWriter
    private let flushThreshold: Int
    /// Bytes written so far, buffered ones included.
    public private(set) var offset: Int64 = 0

    /// Creates or truncates `path`; a file it creates gets the permissions `access` allows.
    public init(path: String, access: FileAccess, bufferSize: Int = 1 << 20) throws(SystemError) {
        self.init(file: try .open(writing: path, access: access), bufferSize: bufferSize)
    }

    /// Writes to `file`, an open file of the caller's.
    public init(file: consuming FileDescriptor, bufferSize: Int = 1 << 20) {
        self.file = file
        self.buffer = ByteWriter(capacity: bufferSize)
        self.flushThreshold = bufferSize
    }

    /// The file's path, for error messages.
    public var path: String { self.file.path }

    /// Writes `bytes`, through the buffer unless they fill it alone.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        self.offset += Int64(bytes.count)
        if bytes.count >= self.flushThreshold {
            try self.flush()
            try self.file.write(bytes)
            return
        }
        self.buffer.append(bytes)
        if self.buffer.count >= self.flushThreshold { try self.flush() }
    }

    /// Lets `body` encode straight into the buffer.
    public mutating func write(_ body: (inout ByteWriter) -> Void) throws(SystemError) {
        let before = self.buffer.count
        body(&self.buffer)
        self.offset += Int64(self.buffer.count - before)
        if self.buffer.count >= self.flushThreshold { try self.flush() }
    }

    /// Writes the buffered bytes to the file.
    public mutating func flush() throws(SystemError) {
        try self.file.write(self.buffer.bytes)
        self.buffer.removeAll()
    }

    /// Flushes and closes the file.
    public consuming func close() throws(SystemError) {
        try self.flush()
    }

    /// Flushes the file, makes it durable, and closes it.
    public consuming func syncAndClose() throws(SystemError) {
        try self.flush()
        try self.file.syncAndClose()
    }
}
