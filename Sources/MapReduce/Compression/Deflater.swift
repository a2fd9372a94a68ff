import CMapReduceZlib

/// A streaming raw-deflate compressor that owns one zlib stream.
///
/// Not `Sendable`: a deflater is confined to the task that made it.
public final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// Makes a compressor at `level` (0 stores, 1 is fastest, 9 compresses most).
    public init(level: Int) throws(CompressionError) {
        precondition((0...9).contains(level), "compression level \(level) is outside 0...9")
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        let code = CMapReduceZlib_deflateInit2(self.stream, Int32(level), -MAX_WBITS)
        guard code == Z_OK else {
            self.stream.deallocate()
            throw CompressionError(operation: "deflateInit2", code: code, message: "")
        }
    }

    deinit {
        deflateEnd(self.stream)
        self.stream.deallocate()
    }

    /// Compresses `input` and appends what zlib produces to `output`.
    ///
    /// With `finish`, the stream is ended and all of its output flushed; call
    /// `reset()` before starting the next stream.
    public func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout ByteWriter) throws(CompressionError) {
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        self.stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        self.stream.pointee.avail_in = uInt(input.count)
        while true {
            let room = max(Int(deflateBound(self.stream, uLong(self.stream.pointee.avail_in))), 64)
            output.reserve(room)
            let code = output.appendUnsafe(upTo: room) { buffer in
                self.stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                self.stream.pointee.avail_out = uInt(buffer.count)
                let code = CMapReduceZlib.deflate(self.stream, flush)
                return (code, buffer.count - Int(self.stream.pointee.avail_out))
            }
            switch code {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                if !finish && self.stream.pointee.avail_in == 0 { return }
            default:
                throw self.error("deflate", code)
            }
        }
    }

    /// Compresses `input` as one whole stream and appends it to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteWriter) throws(CompressionError) {
        self.reset()
        try self.deflate(input, finish: true, into: &output)
    }

    /// Starts a new stream with the same settings.
    public func reset() {
        deflateReset(self.stream)
    }

    private func error(_ operation: String, _ code: Int32) -> CompressionError {
        let message = self.stream.pointee.msg.map { String(cString: $0) } ?? ""
        return CompressionError(operation: operation, code: code, message: message)
    }
}
