import CMapReduceZlib

/// A streaming raw-deflate decompressor that owns one zlib stream.
///
/// Not `Sendable`: an inflater is confined to the task that made it.
public final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// What one call to `inflate` did.
    public struct Progress: Hashable, Sendable {
        /// Input bytes consumed.
        public var consumed: Int
        /// Output bytes written.
        public var produced: Int
        /// Whether the end of the deflate stream was reached.
        public var finished: Bool
    }

    /// Makes a zlib stream for raw deflate data (no zlib or gzip header).
    public init() throws(CompressionError) {
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        let code = CMapReduceZlib_inflateInit2(self.stream, -MAX_WBITS)
        guard code == Z_OK else {
            self.stream.deallocate()
            throw CompressionError(operation: "inflateInit2", code: code, message: "")
        }
    }

    deinit {
        inflateEnd(self.stream)
        self.stream.deallocate()
    }

    /// Decompresses from `input` into `output` until one of them is used up
    /// or the stream ends.
    public func inflate(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(CompressionError) -> Progress {
        self.stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        self.stream.pointee.avail_in = uInt(input.count)
        self.stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        self.stream.pointee.avail_out = uInt(output.count)
        let code = CMapReduceZlib.inflate(self.stream, Z_NO_FLUSH)
        guard code == Z_OK || code == Z_STREAM_END || (code == Z_BUF_ERROR && input.isEmpty) else {
            let message = self.stream.pointee.msg.map { String(cString: $0) } ?? ""
            throw CompressionError(operation: "inflate", code: code, message: message)
        }
        return Progress(
            consumed: input.count - Int(self.stream.pointee.avail_in),
            produced: output.count - Int(self.stream.pointee.avail_out),
            finished: code == Z_STREAM_END)
    }

    /// Decompresses one whole stream that must inflate to exactly `output.count` bytes.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CompressionError) {
        self.reset()
        let progress = try self.inflate(input, into: output)
        guard progress.finished, progress.produced == output.count, progress.consumed == input.count else {
            throw CompressionError(
                operation: "inflate", code: Z_DATA_ERROR,
                message: "stream of \(input.count) bytes inflated to \(progress.produced) bytes"
                    + (progress.finished ? "" : " without ending") + ", expected \(output.count)")
        }
    }

    /// Starts a new stream.
    public func reset() {
        inflateReset(self.stream)
    }
}
